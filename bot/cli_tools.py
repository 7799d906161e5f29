"""CLI commands over the tools: seed, member, case, cases, network, deadline, audit.

A thin face: it builds settings once per command, resolves who is asking from the staff table,
calls the typed tools, and prints a table or JSON. Errors become one line and an exit status in
bot.cli_errors.
"""

import json
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.cli_errors import fail as _fail
from tools.enums import CaseStatus, LineOfBusiness, RequestType, Urgency
from tools.errors import InvalidInput
from tools.roles import Role
from tools.settings import ToolsSettings

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from tools.context import ToolContext

# Piped output would otherwise be cut to 80 columns, truncating ids in tables.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

AsRole = Annotated[
    Role | None,
    typer.Option("--as", help="Role you act in; must match your staff record"),
]
UserOpt = Annotated[
    str | None,
    typer.Option("--user", help="Your staff user id (default: CAREASSIST_USER)"),
]
PurposeOpt = Annotated[
    str | None, typer.Option("--purpose", help="Why you need the data (recorded in the audit)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON")]


def _settings() -> ToolsSettings:
    return ToolsSettings()


def _context(
    user: str | None,
    as_role: Role | None,
    purpose: str,
    settings: ToolsSettings | None = None,
    rt: "Runtime | None" = None,
) -> AbstractContextManager["ToolContext"]:
    # Imported here, like every heavy dependency in this module, to keep `--help` fast.
    from bot.cli_runtime import tool_context

    return tool_context(user, as_role, purpose, settings, rt)


def _parse_day(value: str | None, what: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _fail(f"{what} '{value}' is not a date; use YYYY-MM-DD") from exc


def _parse_time(value: str | None, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _fail(
            f"{what} '{value}' is not a timestamp; use e.g. 2026-03-05T09:00-05:00"
        ) from exc


def _print_model(model: BaseModel, as_json: bool, exclude: set[str] | None = None) -> None:
    if as_json:
        print(model.model_dump_json(indent=2, exclude=exclude))
        return
    table = Table(show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    zone = _settings().zone
    raw = model.model_dump(exclude=exclude)
    for name, value in model.model_dump(mode="json", exclude=exclude).items():
        if value is None or value == []:
            continue
        if isinstance(raw.get(name), datetime):
            # Times people read are in the plan's time zone, as the deadline output is.
            text = raw[name].astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        else:
            text = json.dumps(value) if isinstance(value, dict | list) else str(value)
        table.add_row(escape(name), escape(text))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the tools commands to the `careassist` application."""
    app.command("seed")(seed_command)
    app.command("member")(member_command)
    app.command("case")(case_command)
    app.command("cases")(cases_command)
    app.command("network")(network_command)
    app.command("deadline")(deadline_command)
    audit_app = typer.Typer(help="Verify and export the audit trail.", no_args_is_help=True)
    audit_app.command("verify")(audit_verify_command)
    audit_app.command("export")(audit_export_command)
    app.add_typer(audit_app, name="audit")


def seed_command(
    members: Annotated[int, typer.Option("--members", min=300, help="How many members")] = 300,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same rows")] = 1,
    reference: Annotated[
        str | None,
        typer.Option("--reference", help="Date the data is generated around (default today)"),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Regenerate existing plan data (audit kept)")
    ] = False,
    cases: Annotated[
        int | None, typer.Option("--cases", help="How many cases (default: members / 2)")
    ] = None,
    history_days: Annotated[
        int | None,
        typer.Option("--history-days", help="How many days back decided cases reach (default 500)"),
    ] = None,
) -> None:
    """Create or upgrade the database schema and fill it with deterministic synthetic data."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from bot.cli_runtime import runtime
    from tools.context import plan_today
    from tools.db import safe_url
    from tools.seed import seed as run_seed

    settings = _settings()
    day = _parse_day(reference, "--reference") or plan_today(settings.zone)
    rt = runtime(tools=settings)
    try:
        db = rt.db  # migrated: seed creates or upgrades the schema
        with Progress(
            "seeding cases",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("cases", total=None)
            report = run_seed(
                db,
                members=members,
                seed=seed,
                reference=day,
                replace=replace,
                cases=cases,
                history_days=history_days,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        rt.close()
    table = Table(title=f"Seeded {safe_url(settings.database_url)} (seed {seed}, {day})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in report.counts.items():
        table.add_row(name, str(count))
    console.print(table)
    statuses = ", ".join(f"{k} {v}" for k, v in report.statuses.items())
    console.print(f"Cases by status: {statuses}; open and past due: {report.past_due_open}")


def member_command(
    member_id: Annotated[str | None, typer.Argument(help="Member id, e.g. M1000001")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Find by name (with --dob) instead of id")
    ] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="Date of birth, YYYY-MM-DD")] = None,
    on: Annotated[str | None, typer.Option("--on", help="Eligibility date (default today)")] = None,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="Only this field (repeatable)")
    ] = None,
    as_role: AsRole = None,
    user: UserOpt = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Look a member up by id, or find members by --name and --dob. Audited."""
    from tools.members import find_members, lookup_member

    if member_id is None and not (name and dob):
        raise _fail("give a member id, or --name and --dob to search")
    if member_id is not None and (name or dob):
        raise _fail("give either a member id or --name/--dob, not both")
    if member_id is None:
        with _context(user, as_role, purpose or "CLI member search") as ctx:
            found = find_members(ctx, {"name": name, "date_of_birth": dob})
        if as_json:
            print(found.model_dump_json(indent=2))
            return
        table = Table(title=f"{len(found.candidates)} candidate(s)")
        for col in ("member_id", "name", "date_of_birth", "plan_id"):
            table.add_column(col)
        for c in found.candidates:
            table.add_row(
                c.member_id,
                escape(f"{c.first_name} {c.last_name}"),
                str(c.date_of_birth),
                c.plan_id or "-",
            )
        console.print(table)
        return
    request = {"member_id": member_id, "on_date": _parse_day(on, "--on"), "fields": field or None}
    with _context(user, as_role, purpose or "CLI member lookup") as ctx:
        record = lookup_member(ctx, request)
    _print_model(record, as_json)


def case_command(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. C2000001")],
    field: Annotated[
        list[str] | None, typer.Option("--field", help="Only this field (repeatable)")
    ] = None,
    as_role: AsRole = None,
    user: UserOpt = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one UM case (fields depend on your role). Audited."""
    from tools.cases import get_case

    with _context(user, as_role, purpose or "CLI case lookup") as ctx:
        record = get_case(ctx, {"case_id": case_id, "fields": field or None})
    _print_model(record, as_json)


def cases_command(
    assignee: Annotated[
        str | None, typer.Option("--assignee", help="Reviewer user id, or 'me'")
    ] = None,
    status: Annotated[
        list[CaseStatus] | None, typer.Option("--status", help="Status (repeatable)")
    ] = None,
    due_before: Annotated[
        str | None,
        typer.Option("--due-before", help="Due before this time, e.g. 2026-11-25T17:00-05:00"),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Open cases already past due")] = False,
    member_id: Annotated[str | None, typer.Option("--member", help="One member's cases")] = None,
    received_from: Annotated[str | None, typer.Option("--from", help="Received from date")] = None,
    received_to: Annotated[str | None, typer.Option("--to", help="Received to date")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200)] = 50,
    as_role: AsRole = None,
    user: UserOpt = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List UM cases by assignee, status, due time, member or receipt dates. Audited."""
    from tools.cases import list_cases

    with _context(user, as_role, purpose or "CLI worklist") as ctx:
        before = _parse_time(due_before, "--due-before")
        if overdue:
            before = ctx.now() if before is None else min(before, ctx.now())
        request = {
            "assignee": assignee,
            "status": status,
            "due_before": before,
            "member_id": member_id,
            "received_from": _parse_day(received_from, "--from"),
            "received_to": _parse_day(received_to, "--to"),
            "limit": limit,
        }
        result = list_cases(ctx, {k: v for k, v in request.items() if v is not None})
        zone = ctx.zone
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    more = f" (showing {len(result.cases)})" if result.truncated else ""
    table = Table(title=f"{result.total_matching} case(s){more}")
    for col in ("case", "member", "plan", "status", "type", "urgency", "due", "reviewer"):
        table.add_column(col)
    for c in result.cases:
        due = c.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if c.due_at else "-"
        if c.overdue:
            due = f"[red]{due} OVERDUE[/]"
        table.add_row(
            c.case_id,
            c.member_id or "-",
            c.plan_id or "-",
            c.status.value if c.status else "-",
            c.request_type.value if c.request_type else "-",
            c.urgency.value if c.urgency else "-",
            due,
            c.assigned_reviewer or "-",
        )
    console.print(table)


def network_command(
    npi: Annotated[str, typer.Argument(help="Provider NPI (10 digits)")],
    plan_id: Annotated[str, typer.Option("--plan", help="Plan id, e.g. PLN-MA-01")],
    on: Annotated[str | None, typer.Option("--on", help="Date (default today)")] = None,
    as_role: AsRole = None,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Is a provider in network for a plan on a date?"""
    from tools.providers import check_network_status

    with _context(user, as_role, "CLI network check") as ctx:
        result = check_network_status(
            ctx, {"npi": npi, "plan_id": plan_id, "on_date": _parse_day(on, "--on")}
        )
    _print_model(result, as_json)


def deadline_command(
    case_id: Annotated[
        str | None, typer.Option("--case", help="Take the request from a stored case (audited)")
    ] = None,
    lob: Annotated[LineOfBusiness | None, typer.Option("--lob", help="Line of business")] = None,
    request_type: Annotated[RequestType | None, typer.Option("--type", help="Request type")] = None,
    urgency: Annotated[Urgency, typer.Option("--urgency")] = Urgency.standard,
    received: Annotated[
        str | None,
        typer.Option("--received", help="Receipt time with offset, e.g. 2026-03-05T09:00-05:00"),
    ] = None,
    extension: Annotated[
        bool, typer.Option("--extension", help="The plan has taken an extension")
    ] = False,
    now: Annotated[str | None, typer.Option("--now", help="Measure from this time")] = None,
    as_role: AsRole = None,
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Compute a UM decision deadline and the rule (with citation) that sets it."""
    from tools.deadlines import DeadlineRequest, decision_deadline

    settings = _settings()
    clock_now = _parse_time(now, "--now") or datetime.now(settings.zone)
    if case_id:
        from tools.cases import get_case

        wanted = [
            "line_of_business",
            "request_type",
            "urgency",
            "received_at",
            "extension_taken",
        ]
        with _context(user, as_role, "CLI deadline for a case", settings) as ctx:
            case = get_case(ctx, {"case_id": case_id, "fields": wanted})
        if case.line_of_business is None or case.request_type is None:
            raise InvalidInput(f"case {case_id} lacks the fields a deadline needs")
        request: dict[str, Any] = {
            "line_of_business": case.line_of_business,
            "request_type": case.request_type,
            "urgency": case.urgency,
            "received_at": case.received_at,
            "extension_taken": bool(case.extension_taken),
            "now": clock_now,
        }
    else:
        if lob is None or request_type is None or received is None:
            raise _fail("give --case, or --lob, --type and --received")
        request = {
            "line_of_business": lob,
            "request_type": request_type,
            "urgency": urgency,
            "received_at": _parse_time(received, "--received"),
            "extension_taken": extension,
            "now": clock_now,
        }
    from tools.context import parse_input

    result = decision_deadline(parse_input(DeadlineRequest, request), settings.zone)
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    fmt = "%Y-%m-%d %H:%M %Z"
    colour = "red" if result.overdue else "green"
    console.print(
        f"[bold]Due {result.due_at.strftime(fmt)}[/] ([{colour}]{result.time_remaining_text}[/])",
        highlight=False,
    )
    console.print(
        f"Received {result.received_at.strftime(fmt)}; rule {result.rule.rule_id}: "
        f"{result.rule.timeframe}, extension {result.rule.extension}",
        highlight=False,
    )
    if result.due_at_if_extended and not result.extension_taken:
        console.print(
            f"If extended: due {result.due_at_if_extended.strftime(fmt)}", highlight=False
        )
    console.print(result.rule.text, highlight=False, markup=False)
    console.print(
        f"Citation: {result.rule.citation}; plan policy {result.rule.plan_policy}", highlight=False
    )
    console.print(
        f"Verification: {result.rule.verification.value}. {result.rule.verification_note}",
        highlight=False,
        markup=False,
    )


def audit_verify_command(
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="SEQ:HASH recorded earlier that must still be in the chain"),
    ] = None,
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            "--checkpoints",
            help="A shipped copy of the signed checkpoint file (default: "
            "CAREASSIST_AUDIT_CHECKPOINT_FILE)",
        ),
    ] = None,
    as_role: AsRole = None,
    user: UserOpt = None,
) -> None:
    """Check the audit chain end to end and against its latest signed checkpoint: exit 0 if
    intact, 1 naming the first bad record."""
    from tools.audit import audit_verify

    anchor_seq, anchor_hash = None, None
    if anchor:
        seq, _, digest = anchor.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise _fail("--anchor must be SEQ:HASH, as printed by a previous verify")
        anchor_seq, anchor_hash = int(seq), digest.lower()
    settings = _settings()
    if checkpoints is not None:
        settings = settings.model_copy(update={"audit_checkpoint_file": checkpoints})
    with _context(user, as_role, "audit verification", settings) as ctx:
        report = audit_verify(ctx, {"anchor_seq": anchor_seq, "anchor_hash": anchor_hash})
    if report.ok:
        if report.checkpoint_seq is not None:
            against = f"matches the signed checkpoint at record {report.checkpoint_seq}"
        elif not report.anchored:
            against = "not anchored (no CAREASSIST_AUDIT_KEY): deletions at the end go unseen"
        else:
            against = "no signed checkpoint yet"
        console.print(
            f"audit chain intact: {report.records} record(s); head "
            f"{report.head_seq}:{report.head_hash}\n{against}",
            highlight=False,
        )
        return
    err_console.print(
        f"[bold red]audit chain BROKEN at record {report.first_bad_seq}:[/] {report.message}",
        highlight=False,
    )
    raise typer.Exit(1)


def audit_export_command(
    since: Annotated[str, typer.Option("--since", help="From this date (plan time zone)")],
    until: Annotated[
        str | None, typer.Option("--until", help="Up to and including this date")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
    ] = None,
    as_role: AsRole = None,
    user: UserOpt = None,
) -> None:
    """Export audit records (ids, fields, who, why, when; no PHI beyond ids) as JSONL or CSV."""
    from tools.audit import ExportFormat, audit_export

    try:
        export_format = ExportFormat(fmt)
    except ValueError as exc:
        raise _fail(f"--format must be jsonl or csv, not '{fmt}'") from exc
    request = {
        "since": _parse_day(since, "--since") or date.min,
        "until": _parse_day(until, "--until"),
        "format": export_format,
    }
    settings = _settings()
    with (
        _context(user, as_role, "audit export", settings) as ctx,
        _output(output) as out,
    ):
        count = audit_export(ctx, request, out=out).records
    err_console.print(f"exported {count} audit record(s)", highlight=False)


@contextmanager
def _output(path: Path | None) -> Iterator[Any]:
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
