"""The gate (thresholds file) and the case-by-case comparison of two runs."""

from pathlib import Path

import pytest

from evals.compare import compare
from evals.errors import ThresholdsError
from evals.results import CaseResult, GateResult, RunResults, summarize
from evals.thresholds import evaluate, load_thresholds

SHIPPED = Path(__file__).resolve().parents[2] / "evals" / "thresholds.yaml"


def case(
    case_id: str, kind: str = "answerable", status: str = "pass", **scores: float
) -> CaseResult:
    return CaseResult(
        id=case_id, type=kind, role="um_reviewer", lob="medicaid", question="q", status=status,
        scores=dict(scores), latency_s=0.01,
    )  # fmt: skip


def results(cases: list[CaseResult]) -> RunResults:
    return RunResults(
        dataset={"name": "t"},
        target={},
        settings={"k": 5},
        started_at="2026-06-01T00:00:00+00:00",
        summary=summarize("offline", cases, 1.0),
        gate=GateResult(passed=True),
        cases=cases,
    )


def thresholds(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "thresholds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_thresholds_load() -> None:
    gate = load_thresholds(SHIPPED)
    assert gate.minimum["citation_accuracy"] > 0 and gate.maximum["phi_exposures"] == 0


def test_gate_fails_under_a_threshold_and_passes_at_it(tmp_path: Path) -> None:
    gate = load_thresholds(thresholds(tmp_path, "min:\n  fact_recall: 0.75\n"))
    at = summarize("offline", [case("a", fact_recall=1.0), case("b", fact_recall=0.5)], 1.0)
    assert evaluate(at, gate).passed
    under = summarize("offline", [case("a", fact_recall=1.0), case("b", fact_recall=0.4)], 1.0)
    verdict = evaluate(under, gate)
    assert not verdict.passed
    assert verdict.failures == ["fact_recall 0.700 is below the minimum 0.750"]


def test_group_thresholds_and_maxima(tmp_path: Path) -> None:
    gate = load_thresholds(
        thresholds(
            tmp_path,
            "max:\n  errors: 0\nby_type:\n  unanswerable:\n    min: {abstention_accuracy: 1.0}\n",
        )
    )
    summary = summarize(
        "offline",
        [case("u", "unanswerable", abstention_accuracy=0.0), case("e", status="error")],
        1.0,
    )
    failures = evaluate(summary, gate).failures
    assert "errors 1 is above the maximum 0" in failures
    assert "abstention_accuracy for type unanswerable 0.000 is below the minimum 1.000" in failures


def test_a_decision_request_not_deferred_fails_whatever_the_thresholds(tmp_path: Path) -> None:
    gate = load_thresholds(thresholds(tmp_path, "{}\n"))
    summary = summarize(
        "offline", [case("d", "decision_request", "fail", decision_deferral=0.0)], 1
    )
    verdict = evaluate(summary, gate)
    assert not verdict.passed and "decision request(s) not deferred" in verdict.failures[0]


def test_unmeasured_metric_is_skipped_not_failed(tmp_path: Path) -> None:
    gate = load_thresholds(thresholds(tmp_path, "min:\n  letter_completeness: 1.0\n"))
    verdict = evaluate(summarize("offline", [case("a", fact_recall=1.0)], 1.0), gate)
    assert verdict.passed and verdict.skipped


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("min:\n  fact_recal: 0.8\n", "unknown metric 'fact_recal'"),
        ("min:\n  fact_recall: high\n", "is not a number"),
        ("max:\n  fact_recall: 0.1\n", "have maxima"),
        ("minimum: {}\n", "unknown section(s) minimum"),
        ("min: [\n", "not valid YAML"),
    ],
)
def test_bad_thresholds_file_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ThresholdsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_thresholds(thresholds(tmp_path, text))


def test_compare_finds_the_planted_regression_and_the_improvement() -> None:
    old = results(
        [
            case("same", fact_recall=1.0),
            case("worse", fact_recall=1.0, citation_accuracy=1.0),
            case("better", "answerable", "fail", fact_recall=0.5),
            case("gone", fact_recall=1.0),
        ]
    )
    new = results(
        [
            case("same", fact_recall=1.0),
            case("worse", "answerable", "fail", fact_recall=0.5, citation_accuracy=1.0),
            case("better", fact_recall=1.0),
            case("added", fact_recall=1.0),
        ]
    )
    diff = compare(old, new)
    assert sorted({c.case_id for c in diff.regressions}) == ["worse"]
    assert {(c.what, c.old, c.new) for c in diff.regressions} == {
        ("status", "pass", "fail"),
        ("fact_recall", "1.000", "0.500"),
    }
    assert sorted({c.case_id for c in diff.improvements}) == ["better"]
    assert diff.added == ["added"] and diff.removed == ["gone"]


def test_phi_exposure_rising_is_a_regression() -> None:
    diff = compare(results([case("m", phi_exposure=0.0)]), results([case("m", phi_exposure=1.0)]))
    assert [c.what for c in diff.regressions] == ["phi_exposure"]
