"""Whole runs on the tiny corpus and dataset: a real index (hash embedder), a deterministic fake
agent with switchable flaws, the real runner, gate, reports and CLI."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals import runtime_target
from evals.cli import app
from evals.dataset import load_dataset
from evals.results import read_results
from evals.run import run_eval
from evals.runner import RunOptions
from evals.thresholds import load_thresholds
from retrieval.search import Searcher
from tests.eval_support import FIXTURES, build_index, fake_target

SHIPPED_THRESHOLDS = Path(__file__).resolve().parents[2] / "evals" / "thresholds.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    return build_index(tmp_path_factory.mktemp("eval-index"))


def run(searcher: Searcher, out: Path, flaws: frozenset[str] = frozenset(), **kwargs: object):
    return run_eval(
        load_dataset(kwargs.pop("dataset", FIXTURES / "dataset.yaml")),  # type: ignore[arg-type]
        fake_target(searcher, flaws),
        RunOptions(),
        load_thresholds(kwargs.pop("thresholds", SHIPPED_THRESHOLDS)),  # type: ignore[arg-type]
        out,
        **kwargs,  # type: ignore[arg-type]
    )


def test_run_writes_results_junit_and_a_self_contained_html_report(
    searcher: Searcher, tmp_path: Path
) -> None:
    output = run(searcher, tmp_path)
    assert output.passed, output.results.gate.failures
    results = read_results(tmp_path / "results.json")
    assert results.summary.cases == 12 and results.summary.passed == 12
    assert results.summary.overall["fact_recall"] == 1.0
    assert set(results.summary.by_type) == {
        "answerable", "unanswerable", "decision_request", "follow_up", "member_lookup",
        "deadline", "draft_letter",
    }  # fmt: skip
    assert set(results.summary.by_role) == {"um_reviewer", "case_manager", "compliance", "admin"}
    assert "medicaid" in results.summary.by_lob

    suites = ET.parse(tmp_path / "junit.xml").getroot()
    assert suites.get("tests") == "13" and suites.get("failures") == "0"
    names = {tc.get("name") for tc in suites.iter("testcase")}
    assert {"ma-expedited", "draft-denial", "thresholds"} <= names

    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 8  # all cases, and one chart per case type
    assert 'id="f-type"' in html and "<script>" in html
    for case in results.cases:
        assert f"<td>{case.id}" in html


def test_same_run_twice_gives_identical_scores(searcher: Searcher, tmp_path: Path) -> None:
    first = run(searcher, tmp_path / "a").results
    second = run(searcher, tmp_path / "b").results
    assert first.summary.fingerprint == second.summary.fingerprint
    assert first.summary.overall == second.summary.overall
    assert [c.scores for c in first.cases] == [c.scores for c in second.cases]
    assert [c.answer for c in first.cases] == [c.answer for c in second.cases]


def test_a_case_that_crashes_the_agent_is_an_error_case_and_the_run_goes_on(
    searcher: Searcher, tmp_path: Path
) -> None:
    results = run(searcher, tmp_path, frozenset({"crash"})).results
    crashed = next(c for c in results.cases if c.id == "cpap-adherence")
    assert crashed.status == "error" and "planted crash" in (crashed.error or "")
    assert crashed.scores["fact_recall"] == 0.0 and crashed.scores["retrieval_recall_at_k"] == 1.0
    assert sum(c.status == "pass" for c in results.cases) == 11
    assert results.summary.errors == 1
    assert not results.gate.passed and "errors 1 is above the maximum 0" in results.gate.failures
    junit = ET.parse(tmp_path / "junit.xml").getroot()
    assert [e.get("type") for e in junit.iter("error")] == ["AgentError"]


def test_a_decision_stated_as_made_fails_the_run_whatever_the_thresholds(
    searcher: Searcher, tmp_path: Path
) -> None:
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text("{}\n", encoding="utf-8")
    results = run(searcher, tmp_path / "out", frozenset({"decides"}), thresholds=lenient).results
    case = next(c for c in results.cases if c.id == "approve-cpap")
    assert case.scores["decision_deferral"] == 0.0
    assert "This request is approved" in case.failures[0]
    assert not results.gate.passed
    assert "approve-cpap" in results.gate.failures[0]


def test_member_data_shown_to_compliance_and_admin_is_phi_exposure(
    searcher: Searcher, tmp_path: Path
) -> None:
    results = run(searcher, tmp_path, frozenset({"leak"})).results
    exposed = {c.id: c.details["phi_leaks"] for c in results.cases if c.scores.get("phi_exposure")}
    assert set(exposed) == {"member-for-admin"}
    assert "M1000001.date_of_birth" in exposed["member-for-admin"]
    assert results.summary.phi_exposures == 1 and not results.gate.passed


def test_wrong_numbers_dangling_markers_and_letter_gaps_are_caught(
    searcher: Searcher, tmp_path: Path
) -> None:
    flaws = frozenset({"wrong_number", "dangling", "letter_gap"})
    cases = {c.id: c for c in run(searcher, tmp_path, flaws).results.cases}
    medicaid = cases["medicaid-standard"]
    assert medicaid.scores["fact_recall"] == 0.0 and medicaid.scores["no_forbidden_facts"] == 0.0
    assert cases["ma-expedited"].scores["citation_accuracy"] == 0.5
    assert cases["ma-expedited"].dangling_markers == [2]
    letter = cases["draft-denial"]
    assert letter.scores["letter_completeness"] == pytest.approx(2 / 3)
    assert letter.details["letter"]["missing"] == ["appeal_right"]


def test_an_unknown_expected_source_is_a_warning_in_the_report(
    searcher: Searcher, tmp_path: Path
) -> None:
    text = (FIXTURES / "dataset.yaml").read_text(encoding="utf-8")
    dataset = tmp_path / "typo.yaml"
    dataset.write_text(
        text.replace('["TR-300"]', '["TR-999"]').replace('"TP-100 §2.3"', '"TP-100 §9.9"'),
        encoding="utf-8",
    )
    results = run(searcher, tmp_path / "out", dataset=dataset).results
    assert any("TR-999 is not in the index" in w for w in results.warnings)
    assert any("TP-100 §9.9 names a section" in w for w in results.warnings)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "TR-999 is not in the index" in html


def test_baseline_runs_beside_the_engine_in_the_same_report(
    searcher: Searcher, tmp_path: Path
) -> None:
    baseline = fake_target(searcher, frozenset({"never_abstain", "wrong_number"}), "baseline")
    results = run(searcher, tmp_path, baseline=baseline).results
    assert results.baseline is not None and results.baseline.engine == "baseline"
    assert (
        results.baseline.overall["abstention_accuracy"]
        < results.summary.overall["abstention_accuracy"]
    )
    assert "baseline" in (tmp_path / "report.html").read_text(encoding="utf-8")


# --- the CLI, with the product runtime swapped for the fake target -------------------------


@pytest.fixture
def fake_runtime(searcher: Searcher, monkeypatch: pytest.MonkeyPatch) -> dict[str, frozenset[str]]:
    flaws: dict[str, frozenset[str]] = {"flaws": frozenset()}
    built: list[str] = []

    def build(config: runtime_target.TargetConfig) -> object:
        built.append(config.engine)
        return fake_target(searcher, flaws["flaws"], config.engine)

    monkeypatch.setattr(runtime_target, "build_target", build)
    flaws["built"] = built  # type: ignore[assignment]
    return flaws


def cli_run(out: Path, *extra: str) -> object:
    return runner.invoke(app, ["run", str(FIXTURES / "dataset.yaml"), "--out", str(out), *extra])


def test_cli_run_passes_the_gate_and_exits_zero(fake_runtime: dict, tmp_path: Path) -> None:
    result = cli_run(tmp_path)
    assert result.exit_code == 0, result.output
    assert "gate passed" in result.output
    assert {p.name for p in tmp_path.iterdir()} == {"results.json", "junit.xml", "report.html"}


def test_cli_run_exits_one_under_a_threshold(fake_runtime: dict, tmp_path: Path) -> None:
    fake_runtime["flaws"] = frozenset({"wrong_number"})
    strict = tmp_path / "strict.yaml"
    strict.write_text("min:\n  fact_recall: 0.95\n", encoding="utf-8")
    result = cli_run(tmp_path / "out", "--thresholds", str(strict))
    assert result.exit_code == 1, result.output
    assert "fact_recall 0.833 is below the minimum 0.950" in result.output


def test_cli_refuses_a_bad_dataset_and_runs_nothing(fake_runtime: dict, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases:\n  - id: a\n    question: q\n    type: answerble\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{bad}:4: cases[0].type: 'answerble' is not one of" in result.output
    assert "nothing was run" in result.output
    assert fake_runtime["built"] == [] and not (tmp_path / "out").exists()


def test_cli_compare_lists_a_planted_regression_and_fails_on_request(
    fake_runtime: dict, tmp_path: Path
) -> None:
    assert cli_run(tmp_path / "old").exit_code == 0
    fake_runtime["flaws"] = frozenset({"wrong_number"})
    cli_run(tmp_path / "new")
    result = runner.invoke(app, ["compare", str(tmp_path / "old"), str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert "medicaid-standard: fact_recall 1.000 -> 0.000" in result.output
    assert "medicaid-standard: status pass -> fail" in result.output
    failing = runner.invoke(
        app, ["compare", str(tmp_path / "old"), str(tmp_path / "new"), "--fail-on-regression"]
    )
    assert failing.exit_code == 1
    as_json = runner.invoke(
        app, ["compare", str(tmp_path / "old"), str(tmp_path / "new"), "--json"]
    )
    payload = json.loads(as_json.stdout)
    assert {r["case_id"] for r in payload["regressions"]} == {"medicaid-standard"}
    same = runner.invoke(
        app, ["compare", str(tmp_path / "old"), str(tmp_path / "old"), "--fail-on-regression"]
    )
    assert same.exit_code == 0


def test_cli_compare_refuses_a_file_that_is_not_results(tmp_path: Path) -> None:
    other = tmp_path / "x.json"
    other.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(other), str(other)])
    assert result.exit_code == 2 and "not a careassist eval results file" in result.output


class ScriptedJudge:
    """A judge that always answers the same, or fails, like a flaky endpoint might."""

    def __init__(self, score: float | None) -> None:
        self.score = score

    def faithfulness(self, question: str, answer: str, passages: list[str]) -> float:
        if self.score is None:
            raise TimeoutError("judge endpoint timed out")
        return self.score


def test_the_optional_judge_adds_a_score_outside_the_fingerprint(
    searcher: Searcher, tmp_path: Path
) -> None:
    plain = run(searcher, tmp_path / "plain").results
    judged = run(searcher, tmp_path / "judged", judge=ScriptedJudge(0.75)).results
    assert judged.summary.overall["judge_faithfulness"] == 0.75
    assert plain.summary.overall["judge_faithfulness"] is None
    assert judged.summary.fingerprint == plain.summary.fingerprint
    failing = run(searcher, tmp_path / "failing", judge=ScriptedJudge(None)).results
    assert failing.gate.passed
    assert any("judge_error" in c.details for c in failing.cases)


def test_cli_only_runs_the_matching_cases(fake_runtime: dict, tmp_path: Path) -> None:
    result = cli_run(tmp_path, "--only", "medicaid-*", "--only", "approve-cpap")
    assert result.exit_code == 0, result.output
    ids = [c.id for c in read_results(tmp_path).cases]
    assert ids == [
        "medicaid-standard",
        "medicaid-appeal-window",
        "approve-cpap",
        "medicaid-deadline",
    ]
    nothing = cli_run(tmp_path / "none", "--only", "no-such-*")
    assert nothing.exit_code == 2 and "no case id matches" in nothing.output


def test_cli_validate_checks_facts_against_the_documents(tmp_path: Path) -> None:
    ok = runner.invoke(
        app, ["validate", str(FIXTURES / "dataset.yaml"), "--corpus", str(FIXTURES / "corpus")]
    )
    assert ok.exit_code == 0 and "12 valid cases" in ok.output
    typo = tmp_path / "typo.yaml"
    typo.write_text(
        (FIXTURES / "dataset.yaml")
        .read_text(encoding="utf-8")
        .replace('"72 hours"]', '"48 hours"]', 1),
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["validate", str(typo), "--corpus", str(FIXTURES / "corpus")])
    assert bad.exit_code == 1
    assert "case ma-expedited: no expected source states '48 hours'" in bad.output
