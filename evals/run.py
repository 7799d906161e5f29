"""One evaluation run: cases -> scores -> gate -> results.json, junit.xml and report.html."""

import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.dataset import Dataset
from evals.judge import Judge
from evals.junit import write_junit
from evals.report import write_report
from evals.results import RunResults, SkippedFile, summarize, write_results
from evals.runner import Progress, Runner, RunOptions
from evals.target import Target
from evals.thresholds import Thresholds, evaluate

RESULTS = "results.json"
JUNIT = "junit.xml"
REPORT = "report.html"


@dataclass(frozen=True)
class RunOutput:
    results: RunResults
    directory: Path

    @property
    def passed(self) -> bool:
        return self.results.gate.passed


def _labelled(progress: Progress | None, engine: str) -> Progress | None:
    if progress is None:
        return None

    def report(done: int, total: int, case_id: str) -> None:
        progress(done, total, f"{engine}: {case_id}")

    return report


def run_eval(
    dataset: Dataset,
    target: Target,
    options: RunOptions,
    thresholds: Thresholds,
    out_dir: Path,
    *,
    baseline: Target | None = None,
    judge: Judge | None = None,
    progress: Progress | None = None,
    target_info: dict[str, Any] | None = None,
) -> RunOutput:
    """Run every case (and the baseline's, if given), gate, and write the three reports."""
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    runner = Runner(target, options, judge)
    warnings = runner.warnings_for(dataset)
    clock = time.perf_counter()
    cases = runner.run(dataset, _labelled(progress, target.name))
    summary = summarize(target.name, cases, time.perf_counter() - clock)
    baseline_summary = baseline_cases = None
    if baseline is not None:
        base_runner = Runner(baseline, options)
        clock = time.perf_counter()
        baseline_cases = base_runner.run(dataset, _labelled(progress, baseline.name))
        baseline_summary = summarize(baseline.name, baseline_cases, time.perf_counter() - clock)
    unconfirmed = [c.id for c in cases if c.details.get("retrieval_unconfirmed")]
    if unconfirmed:
        warnings.append(
            f"{len(unconfirmed)} case(s) cite passages the harness could not confirm were "
            "retrieved, because the reply does not report its searches as tool calls: "
            + ", ".join(unconfirmed[:10])
            + (" ..." if len(unconfirmed) > 10 else "")
        )
    if dataset.environment.now is None:
        warnings.append(
            "the dataset sets no environment.now: answers that depend on today's date "
            "(eligibility, deadlines, documents in force) may change from day to day"
        )
    results = RunResults(
        dataset={
            "path": dataset.path,
            "name": dataset.name,
            "sha256": dataset.sha256,
            "cases": len(dataset),
            "environment": {
                "now": dataset.environment.now.isoformat() if dataset.environment.now else None,
                "seed": dataset.environment.seed,
                "members": dataset.environment.members,
            },
        },
        target={"engine": target.name, "description": target.description, **(target_info or {})},
        settings=asdict(options),
        started_at=started_at,
        summary=summary,
        gate=evaluate(summary, thresholds),
        warnings=warnings,
        skipped_files=[SkippedFile(path=p, reason=why) for p, why in target.skipped_files],
        cases=cases,
        baseline=baseline_summary,
        baseline_cases=baseline_cases,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    write_results(results, out_dir / RESULTS)
    write_junit(results, out_dir / JUNIT)
    write_report(results, out_dir / REPORT)
    return RunOutput(results, out_dir)
