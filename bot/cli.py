"""The `careassist` command line: a thin face over retrieval, tools and the agent."""

import json
import logging
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from bot.cli_agent import register as register_agent
from bot.cli_drafts import register as register_drafts
from bot.cli_errors import handle_errors
from bot.cli_reports import register as register_reports
from bot.cli_service import register as register_service
from bot.cli_tools import register as register_tools
from retrieval import DocType, Filters, LineOfBusiness

app = typer.Typer(
    help="careassist: grounded, cited answers for utilization-management staff.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

IndexOpt = Annotated[Path | None, typer.Option("--index", help="Index directory")]


def parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from exc


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index")],
    index: IndexOpt = None,
) -> None:
    """Index documents (eCFR XML, HTML, PDF, DOCX, text, Markdown); re-running syncs changes."""
    from bot.cli_runtime import runtime
    from retrieval.ingest import ingest as run_ingest

    rt = runtime(index)
    settings = rt.retrieval
    embedder = rt.embedder
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = "reading documents" if stage == "load" else "embedding chunks"
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = run_ingest(paths, settings, embedder, progress)
    from rich.markup import escape as literal  # file names and reasons may hold "[...]"

    for warning in report.warnings:
        err_console.print(f"[yellow]warning:[/] {literal(warning)}", highlight=False)
    if report.skipped:
        # Every file not indexed is named with its reason: nothing is left out silently.
        err_console.print(f"[red]{len(report.skipped)} file(s) not indexed:[/]", highlight=False)
        for path, reason in report.skipped:
            line = f"{literal(path)}: {literal(reason)}"
            err_console.print(f"[red]skipped[/] {line}", highlight=False)
    state = "unchanged" if report.unchanged else f"generation {report.generation}"
    console.print(
        f"Indexed {report.documents} documents, {report.chunks} chunks "
        f"({report.embedded} embedded, {len(report.removed_documents)} documents removed, "
        f"{len(report.skipped)} files skipped) in {report.seconds:.1f} s; index {state} "
        f"at {settings.index_dir}",
        highlight=False,
    )
    if report.skipped:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words")],
    index: IndexOpt = None,
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="Number of passages")] = 5,
    lob: Annotated[LineOfBusiness | None, typer.Option("--lob", help="Line of business")] = None,
    doc_type: Annotated[DocType | None, typer.Option("--type", help="Document type")] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date the documents must be in force (default today)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print hits as JSON")] = False,
) -> None:
    """Search the index: hybrid dense + keyword retrieval with citations."""
    from bot.cli_runtime import runtime

    rt = runtime(index)
    filters = Filters(
        lob=lob,
        doc_types=(doc_type,) if doc_type else (),
        as_of=parse_day(as_of) or rt.today(),
    )
    hits = rt.searcher.search(query, k=k, filters=filters)
    if as_json:
        print(json.dumps([h.model_dump() for h in hits], indent=2))
        return
    if not hits:
        console.print("No passages match (check the filters).")
        return
    table = Table(show_lines=True)
    for col in ("#", "citation", "title", "passage"):
        table.add_column(col)
    for n, hit in enumerate(hits, 1):
        snippet = hit.text if len(hit.text) < 400 else hit.text[:400] + "…"
        table.add_row(str(n), escape(hit.citation), escape(hit.title), escape(snippet))
    console.print(table)


@app.command(
    "eval",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def eval_harness(ctx: typer.Context) -> None:
    """The evaluation harness: eval run|compare|validate|schema (see evals/README.md)."""
    # A separate process: nothing in the product imports the harness that judges it.
    raise typer.Exit(subprocess.call([sys.executable, "-m", "evals", *ctx.args]))


register_tools(app)
register_agent(app)
register_drafts(app)
register_service(app)
register_reports(app)
handle_errors(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Third-party loggers that chatter below WARNING or repeat what our one-line reasons say.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    app()
