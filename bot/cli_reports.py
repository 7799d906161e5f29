"""`careassist report cms-0057-f|um`: the reporting commands, a thin face over tools.report_*."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bot.cli_tools import (
    AsRole,
    PurposeOpt,
    UserOpt,
    _context,
    _fail,
    _parse_day,
    console,
    err_console,
)

OutOpt = Annotated[Path, typer.Option("--out", help="Directory to write the report files into")]


def register(app: typer.Typer) -> None:
    reports = typer.Typer(help="UM and CMS-0057-F reports (aggregates only).", no_args_is_help=True)
    reports.command("cms-0057-f")(cms_command)
    reports.command("um")(um_command)
    app.add_typer(reports, name="report")


def _progress() -> Progress:
    # A spinner with the elapsed time: over a million cases the aggregates take a while.
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def cms_command(
    year: Annotated[int, typer.Option("--year", help="Reporting year, e.g. 2025")],
    out: OutOpt,
    index: Annotated[
        Path | None,
        typer.Option("--index", help="Document index for the list of items (default: settings)"),
    ] = None,
    as_role: AsRole = None,
    user: UserOpt = None,
    purpose: PurposeOpt = None,
) -> None:
    """Write cms-0057-f.csv, .json and .html: the public prior-authorization metrics. Audited."""
    from retrieval import RetrievalSettings
    from tools.report_cms import cms_report
    from tools.report_files import write_cms

    index_dir = index or RetrievalSettings().index_dir
    with _context(user, as_role, purpose or "CMS-0057-F report") as ctx:
        with _progress() as bar:
            bar.add_task(f"computing the CMS-0057-F metrics for {year}", total=None)
            report = cms_report(ctx, {"year": year}, index_dir=index_dir)
        paths = write_cms(report, out)
    console.print(
        f"{len(report.rows)} row(s); items from {report.items_source}; "
        f"{report.data_problems.total} case(s) with data problems left out",
        highlight=False,
    )
    for path in paths:
        console.print(f"wrote {path}", highlight=False)


def um_command(
    start: Annotated[str, typer.Option("--from", help="First receipt date, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="Last receipt date, YYYY-MM-DD")],
    out: OutOpt,
    as_role: AsRole = None,
    user: UserOpt = None,
    purpose: PurposeOpt = None,
) -> None:
    """Write report.html and metrics.json: the UM director's report. Audited."""
    from tools.report_files import write_um
    from tools.report_um import um_report

    first = _parse_day(start, "--from")
    last = _parse_day(end, "--to")
    if not isinstance(first, date) or not isinstance(last, date):
        raise _fail("give --from and --to as YYYY-MM-DD")
    with _context(user, as_role, purpose or "UM performance report") as ctx:
        with _progress() as bar:
            bar.add_task(f"computing the UM report {first} to {last}", total=None)
            report = um_report(ctx, {"start": first, "end": last})
        paths = write_um(report, out)
    console.print(
        f"{report.totals.cases.value if not report.totals.cases.suppressed else '<11'} case(s); "
        f"{report.data_problems.total} with data problems left out",
        highlight=False,
    )
    for path in paths:
        console.print(f"wrote {path}", highlight=False)
