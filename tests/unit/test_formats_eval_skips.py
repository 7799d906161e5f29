"""`eval run --corpus`: files the run's index could not take are listed in its output, its
results.json and report.html."""

from pathlib import Path

import pytest

from bot.schemas import AgentReply, AgentRequest, Intent
from evals.cli import _print_outcome
from evals.dataset import load_dataset
from evals.results import read_results
from evals.run import run_eval
from evals.runner import RunOptions
from evals.target import Target
from evals.thresholds import load_thresholds

THRESHOLDS = Path(__file__).resolve().parents[2] / "evals" / "thresholds.yaml"
SKIPPED = [
    ("corpus/scan.pdf", "has no text layer (1 page(s) of images?); run OCR"),
    ("corpus/part438.xml", "malformed XML (mismatched tag: line 3, column 2)"),
]


class _Abstains:
    def ask(self, request: AgentRequest) -> AgentReply:
        return AgentReply(
            answer="The indexed documents do not say.", abstained=True, intent=Intent.question
        )


def _run(tmp_path: Path, skipped: list[tuple[str, str]] = SKIPPED):
    dataset = tmp_path / "d.yaml"
    dataset.write_text(
        "name: tiny\nenvironment: {now: '2026-06-01T14:00:00Z'}\ncases:\n"
        "  - id: dental\n    question: What is the dental implant limit?\n"
        "    type: unanswerable\n    role: um_reviewer\n"
    )
    target = Target(name="offline", agent=_Abstains(), skipped_files=list(skipped))  # type: ignore[arg-type]
    return run_eval(
        load_dataset(dataset), target, RunOptions(), load_thresholds(THRESHOLDS), tmp_path / "out"
    )


def test_results_json_and_report_list_every_skipped_corpus_file(tmp_path: Path) -> None:
    output = _run(tmp_path)
    results = read_results(tmp_path / "out" / "results.json")
    assert [(f.path, f.reason) for f in results.skipped_files] == SKIPPED
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Files not indexed (2)" in html
    for path, reason in SKIPPED:
        assert f"<td>{path}</td><td>{reason}</td>" in html
    assert output.results.skipped_files == results.skipped_files


def test_run_output_names_every_skipped_corpus_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _print_outcome(_run(tmp_path))
    err = capsys.readouterr().err
    assert "2 file(s) of the corpus not indexed" in err
    for path, reason in SKIPPED:
        assert f"skipped {path}: {reason}" in err


def test_a_run_with_every_file_indexed_has_no_skipped_section(tmp_path: Path) -> None:
    _run(tmp_path, skipped=[])
    assert read_results(tmp_path / "out" / "results.json").skipped_files == []
    assert "Files not indexed" not in (tmp_path / "out" / "report.html").read_text()
