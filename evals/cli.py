"""`python -m evals`: run a dataset, compare two runs, validate a dataset.

Exit status: 0 the gate passed (or no regressions), 1 the gate failed (or regressions with
--fail-on-regression), 2 bad input (dataset, thresholds, results file, options).
"""

import json
import logging
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evals.compare import Comparison
from evals.compare import compare as compare_runs
from evals.dataset import SCHEMA_PATH, Dataset, load_dataset
from evals.errors import DatasetError, EvalError
from evals.results import METRICS, RunSummary, read_results
from evals.run import JUNIT, REPORT, RESULTS, RunOutput, run_eval
from evals.runner import RunOptions
from evals.settings import EvalSettings
from evals.thresholds import load_thresholds

if TYPE_CHECKING:  # bot.runtime is imported only when a run starts
    from bot.runtime import EngineName

app = typer.Typer(
    help="careassist evals: check answer accuracy, citations, abstention, deferral and letter "
    "completeness against a dataset, offline and deterministic.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ENGINES: tuple["EngineName", ...] = ("offline", "llm", "baseline")


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def _dataset(path: Path) -> Dataset:
    try:
        return load_dataset(path)
    except DatasetError as exc:
        for problem in exc.problems:
            err.print(f"[bold red]error:[/] {problem}", highlight=False)
        err.print(f"{len(exc.problems)} problem(s); nothing was run.", highlight=False)
        raise typer.Exit(2) from exc


def _now(value: str | None, dataset: Dataset) -> datetime:
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise typer.BadParameter(f"'{value}' is not an ISO date-time") from exc
        if parsed.tzinfo is None:
            raise typer.BadParameter("--now needs a UTC offset, e.g. 2026-06-01T13:00:00Z")
        return parsed
    return dataset.environment.now or datetime.now(UTC)


def _summary_table(summary: RunSummary, baseline: RunSummary | None, k: int) -> Table:
    table = Table(title=f"{summary.passed}/{summary.cases} cases passed ({summary.engine})")
    table.add_column("metric")
    table.add_column(summary.engine, justify="right")
    if baseline:
        table.add_column(baseline.engine, justify="right")
    for key, label in METRICS.items():
        value = summary.overall.get(key)
        base = baseline.overall.get(key) if baseline else None
        if value is None and base is None:
            continue
        if key in ("retrieval_recall_at_k", "mrr"):
            label = label.replace("@k", f"@{k}")
        row = [label, "n/a" if value is None else f"{value:.3f}"]
        if baseline:
            row.append("n/a" if base is None else f"{base:.3f}")
        table.add_row(*row)
    extra = [
        ("errors", str(summary.errors), str(baseline.errors) if baseline else ""),
        (
            "PHI exposures",
            str(summary.phi_exposures),
            str(baseline.phi_exposures) if baseline else "",
        ),
        (
            "latency p50 / p95",
            f"{summary.latency['p50_s'] * 1000:.0f} / {summary.latency['p95_s'] * 1000:.0f} ms",
            f"{baseline.latency['p50_s'] * 1000:.0f} / {baseline.latency['p95_s'] * 1000:.0f} ms"
            if baseline
            else "",
        ),
        ("run time", f"{summary.seconds:.1f} s", f"{baseline.seconds:.1f} s" if baseline else ""),
    ]
    for name, shown, shown_base in extra:
        table.add_row(name, shown, *([shown_base] if baseline else []))
    return table


def _print_outcome(output: RunOutput) -> None:
    results = output.results
    for warning in results.warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False)
    if results.skipped_files:
        # The run did not see these documents: say so before any score is read.
        err.print(
            f"[red]{len(results.skipped_files)} file(s) of the corpus not indexed:[/]",
            highlight=False,
        )
        for skipped in results.skipped_files:
            line = f"{escape(skipped.path)}: {escape(skipped.reason)}"
            err.print(f"[red]skipped[/] {line}", highlight=False)
    console.print(_summary_table(results.summary, results.baseline, results.settings["k"]))
    failing = [c for c in results.cases if c.status != "pass"]
    for case in failing[:10]:
        reason = case.error or "; ".join(case.failures)
        console.print(f"  [red]{case.status}[/] {case.id}: {reason}", highlight=False)
    if len(failing) > 10:
        console.print(f"  ... and {len(failing) - 10} more in the report", highlight=False)
    d = output.directory
    console.print(f"Reports: {d / REPORT}, {d / RESULTS}, {d / JUNIT}", highlight=False)
    if results.gate.passed:
        console.print("[bold green]gate passed[/]")
    else:
        console.print("[bold red]gate failed:[/]")
        for failure in results.gate.failures:
            console.print(f"  - {failure}", highlight=False)


@app.command()
def run(
    dataset_path: Annotated[Path, typer.Argument(metavar="DATASET", help="YAML or JSONL dataset")],
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Build a temporary index from this folder of documents"),
    ] = None,
    index: Annotated[
        Path | None, typer.Option("--index", help="Use this existing index directory")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="offline (default), llm or baseline")
    ] = "offline",
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the reports")] = None,
    compare_baseline: Annotated[
        bool,
        typer.Option("--compare-baseline", help="Also run the naive baseline on the same cases"),
    ] = False,
    thresholds: Annotated[
        Path | None, typer.Option("--thresholds", help="Gate file (default evals/thresholds.yaml)")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", help="Use this plan-data store instead of seeding a private one"
        ),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Clock for the run (default: the dataset's environment.now)"),
    ] = None,
    k: Annotated[
        int | None, typer.Option("--k", min=1, max=50, help="k of recall@k and MRR")
    ] = None,
    judge: Annotated[
        str | None,
        typer.Option("--judge", help="Add an LLM faithfulness score (off by default; not gated)"),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only", help="Run only cases whose id matches this glob (repeatable), e.g. 'lt-*'"
        ),
    ] = None,
) -> None:
    """Run DATASET through the agent and write results.json, junit.xml and report.html."""
    settings = EvalSettings()
    if corpus is not None and index is not None:
        raise fail("give --corpus or --index, not both")
    if engine not in ENGINES:
        raise fail(f"unknown engine '{engine}'; use one of {', '.join(ENGINES)}")
    if corpus is not None and not corpus.is_dir():
        raise fail(f"--corpus {corpus} is not a folder")
    if index is not None and not index.is_dir():
        raise fail(f"--index {index} is not a folder")
    data = _dataset(dataset_path)
    if only:
        data = data.subset(only)
        if not len(data):
            raise fail(f"no case id matches {', '.join(only)}")
    try:
        gate = load_thresholds(thresholds or settings.thresholds)
    except EvalError as exc:
        raise fail(str(exc)) from exc
    options = RunOptions(
        k=k or settings.k,
        retrieved_k=settings.retrieved_k,
        support_overlap=settings.support_overlap,
    )
    clock = _now(now, data)
    out_dir = out or Path(".careassist") / "evals" / f"{Path(data.path).stem}-{engine}"
    from evals.judge import ChatModelJudge
    from evals.runtime_target import TargetConfig, build_target

    with tempfile.TemporaryDirectory(prefix="careassist-eval-") as tmp:
        work = Path(tmp)

        def config(name: "EngineName") -> TargetConfig:
            return TargetConfig(
                engine=name,
                workdir=work / name,
                now=clock,
                corpus=None if name != engine else corpus,
                index=index if name == engine or corpus is None else work / engine / "index",
                database_url=database_url,
                seed=data.environment.seed,
                members=data.environment.members,
            )

        try:
            with err.status("loading the model, index and seeded store"):
                target = build_target(config(engine))
                baseline = (
                    build_target(config("baseline"))
                    if compare_baseline and engine != "baseline"
                    else None
                )
            spec = judge or settings.judge
            chosen_judge = ChatModelJudge(spec) if spec else None
        except EvalError as exc:
            raise fail(str(exc)) from exc
        except Exception as exc:  # the product's own errors carry a one-line reason
            raise fail(f"{type(exc).__name__}: {exc}") from exc
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("evaluating", total=len(data))

            def progress(done: int, total: int, label: str) -> None:
                bar.update(task, completed=done, total=total, description=label)

            output = run_eval(
                data,
                target,
                options,
                gate,
                out_dir,
                baseline=baseline,
                judge=chosen_judge,
                progress=progress,
                target_info={
                    "corpus": str(corpus) if corpus else None,
                    "index": str(index) if index else None,
                    "now": clock.isoformat(),
                },
            )
    _print_outcome(output)
    if not output.passed:
        raise typer.Exit(1)


@app.command()
def compare(
    old: Annotated[Path, typer.Argument(help="Earlier results.json (or its folder)")],
    new: Annotated[Path, typer.Argument(help="Later results.json (or its folder)")],
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when any case regressed")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON")] = False,
) -> None:
    """List regressions and improvements case by case between two runs."""
    try:
        before, after = read_results(old), read_results(new)
    except EvalError as exc:
        raise fail(str(exc)) from exc
    result = compare_runs(before, after)
    if as_json:
        print(
            json.dumps(
                {
                    "regressions": [c.__dict__ for c in result.regressions],
                    "improvements": [c.__dict__ for c in result.improvements],
                    "added": result.added,
                    "removed": result.removed,
                    "overall": {k: list(v) for k, v in result.overall.items()},
                },
                indent=2,
            )
        )
    else:
        _print_comparison(result, before.summary.engine, after.summary.engine)
    if fail_on_regression and result.regressions:
        raise typer.Exit(1)


def _print_comparison(result: Comparison, old_name: str, new_name: str) -> None:
    table = Table(title=f"overall: {old_name} -> {new_name}")
    for col in ("metric", "old", "new", "change"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for metric, (a, b) in result.overall.items():
        change = "" if a is None or b is None else f"{b - a:+.3f}"
        table.add_row(
            METRICS[metric],
            "n/a" if a is None else f"{a:.3f}",
            "n/a" if b is None else f"{b:.3f}",
            change,
        )
    console.print(table)
    for title, changes, style in (
        ("Regressions", result.regressions, "red"),
        ("Improvements", result.improvements, "green"),
    ):
        cases = len({c.case_id for c in changes})
        console.print(f"[bold {style}]{title}: {len(changes)} in {cases} case(s)[/]")
        for c in changes:
            console.print(f"  {c.case_id}: {c.what} {c.old} -> {c.new}", highlight=False)
    if result.added:
        console.print(f"Added cases: {', '.join(result.added)}", highlight=False)
    if result.removed:
        console.print(f"Removed cases: {', '.join(result.removed)}", highlight=False)


@app.command()
def validate(
    dataset_path: Annotated[Path, typer.Argument(metavar="DATASET", help="YAML or JSONL dataset")],
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Also check that expected sources exist in these documents and state the "
            "expected facts",
        ),
    ] = None,
) -> None:
    """Check a dataset against the schema (and, with --corpus, its documents) without running."""
    data = _dataset(dataset_path)
    counts: dict[str, int] = {}
    for case in data:
        counts[case.type] = counts.get(case.type, 0) + 1
    detail = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
    console.print(f"{data.path}: {len(data)} valid cases ({detail})", highlight=False)
    if corpus is None:
        return
    if not corpus.is_dir():
        raise fail(f"--corpus {corpus} is not a folder")
    from evals.lint import lint

    findings = lint(data, corpus)
    for finding in findings:
        err.print(f"[yellow]warning:[/] {finding}", highlight=False)
    if findings:
        raise typer.Exit(1)
    console.print(f"every expected source and fact was found in {corpus}", highlight=False)


@app.command()
def schema() -> None:
    """Print the dataset JSON Schema (for editors that validate YAML as you type)."""
    print(SCHEMA_PATH.read_text(encoding="utf-8"), end="")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    app()
