"""The harness on the real product: bot.runtime's offline engine, the real embedding model, a
real index built from a folder (--corpus) and a store seeded for the run."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.cli import app

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "evals"
pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    out = tmp_path_factory.mktemp("tiny-run")
    lenient = out / "thresholds.yaml"
    lenient.write_text("{}\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "run",
            str(FIXTURES / "dataset.yaml"),
            "--corpus",
            str(FIXTURES / "corpus"),
            "--out",
            str(out),
            "--thresholds",
            str(lenient),
        ],
    )
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, out


def test_an_analyst_folder_and_yaml_give_three_reports(tiny_run: tuple[int, Path]) -> None:
    _, out = tiny_run
    assert {p.name for p in out.iterdir()} >= {"results.json", "junit.xml", "report.html"}
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["target"]["engine"] == "offline"
    assert results["summary"]["cases"] == 12
    assert results["dataset"]["environment"]["now"] == "2026-06-01T14:00:00+00:00"


def test_the_offline_engine_answers_defers_and_abstains(tiny_run: tuple[int, Path]) -> None:
    _, out = tiny_run
    cases = {c["id"]: c for c in json.loads((out / "results.json").read_text())["cases"]}
    for case_id in ("ma-expedited", "medicaid-standard", "dental-implants", "approve-cpap"):
        assert cases[case_id]["status"] == "pass", (case_id, cases[case_id]["failures"])
    assert cases["approve-cpap"]["scores"]["decision_deferral"] == 1.0
    assert cases["medicaid-standard"]["scores"]["citation_accuracy"] == 1.0
    assert cases["medicaid-deadline"]["scores"]["deadline_accuracy"] == 1.0


def test_the_same_run_twice_scores_identically(tiny_run: tuple[int, Path], tmp_path: Path) -> None:
    _, first = tiny_run
    lenient = first / "thresholds.yaml"
    again = runner.invoke(
        app,
        [
            "run",
            str(FIXTURES / "dataset.yaml"),
            "--corpus",
            str(FIXTURES / "corpus"),
            "--out",
            str(tmp_path),
            "--thresholds",
            str(lenient),
        ],
    )
    assert again.exit_code in (0, 1), again.output
    a = json.loads((first / "results.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert a["summary"]["fingerprint"] == b["summary"]["fingerprint"]
    assert [c["answer"] for c in a["cases"]] == [c["answer"] for c in b["cases"]]
