"""CLI commands for drafts: `careassist draft case-note|denial-letter` and
`careassist drafts list|show|revise|sign`.

A thin face over the drafting tools: who is asking comes from the staff table (--user, --as),
every rule (who may sign, completeness, immutability) is enforced by the tools, and a refusal is one
line with exit status 2. Signing happens only here or in the API, never through the agent.
"""

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli_tools import AsRole, JsonOpt, PurposeOpt, UserOpt, _context, _fail, console
from tools.draft_kinds import draft_case_note, draft_denial_letter, revise_draft
from tools.drafts import DraftKind, DraftOut, DraftStatus, get_draft, list_drafts
from tools.signoff import ATTESTATION, sign_draft

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from tools.context import ToolContext

draft_app = typer.Typer(help="Draft a case note or a denial letter for clinician review.")
drafts_app = typer.Typer(help="List, show, revise and sign drafts.")

CriteriaOpt = Annotated[
    list[str] | None,
    typer.Option("--criteria", help="Citation of a criterion relied on (repeat for more)"),
]
IndexOpt = Annotated[Path | None, typer.Option("--index", help="Index directory")]


def _print_draft(out: DraftOut, as_json: bool) -> None:
    if as_json:
        print(out.model_dump_json(indent=2))
        return
    console.print(out.text, highlight=False, markup=False)
    report = out.completeness
    console.print(
        f"[bold]{out.draft_id}[/] v{out.version} {out.kind.value} for {out.case_id}: "
        f"{out.status.value}; {report.summary()}",
        highlight=False,
    )
    for missing in report.missing:
        console.print(
            f"  [red]missing[/] {missing.id}: "
            + escape(f"{missing.description} ({missing.citation}) - {missing.why}"),
            highlight=False,
        )
    for warning in report.warnings:
        console.print(f"  [yellow]plain language:[/] {escape(warning)}", highlight=False)
    if report.unverified:
        ids = ", ".join(e.id for e in report.unverified)
        console.print(
            f"  [yellow]unverified rules relied on[/] (verify at eCFR): {ids}", highlight=False
        )
    if out.status is DraftStatus.draft:
        console.print(f"  {out.notice}", highlight=False, markup=False)


def _criteria_passages(
    rt: "Runtime", ctx: "ToolContext", case_id: str, citations: list[str]
) -> list[dict[str, str]]:
    """Criteria passages for the case's codes from the index, narrowed to `citations` if given."""
    from retrieval import IndexStore
    from tools.cases import get_case
    from tools.criteria import find_criteria

    if IndexStore(rt.retrieval).current_name() is None:
        console.print(
            "[yellow]warning:[/] no document index: the note is drafted without criteria "
            "(run `careassist ingest corpus`)",
            highlight=False,
        )
        return []
    ctx = dataclasses.replace(ctx, searcher=rt.searcher)
    case = get_case(
        ctx,
        {
            "case_id": case_id,
            "fields": ["service_codes", "service_description", "line_of_business"],
        },
    )
    query = " ".join(case.service_codes or []) or case.service_description or case_id
    found = find_criteria(
        ctx, {"service_or_code": query, "line_of_business": case.line_of_business}
    )
    sections = [s for s in found.sections if s.kind == "criteria"]
    if citations:
        wanted = [c.strip() for c in citations]
        sections = [s for s in found.sections if s.citation in wanted]
        unknown = sorted(set(wanted) - {s.citation for s in sections})
        if unknown:
            raise _fail(f"no criteria section in the index for {', '.join(unknown)}")
    return [{"citation": s.citation, "title": s.title, "text": s.text} for s in sections[:3]]


@draft_app.command("case-note")
def case_note_command(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. C2000001")],
    notes: Annotated[str, typer.Option("--notes", help="Your notes on the clinical information")],
    criteria: CriteriaOpt = None,
    index: IndexOpt = None,
    user: UserOpt = None,
    as_role: AsRole = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a case note: request summary, clinical information, criteria marked met / not met /
    not documented (a keyword match; the clinician decides), missing documentation."""
    from bot.cli_runtime import runtime

    rt = runtime(index, migrate=False)
    with _context(user, as_role, purpose or f"case note for {case_id}", rt=rt) as ctx:
        passages = _criteria_passages(rt, ctx, case_id, criteria or [])
        out = draft_case_note(
            ctx, {"case_id": case_id, "reviewer_notes": notes, "criteria": passages}
        )
    _print_draft(out, as_json)


@draft_app.command("denial-letter")
def denial_letter_command(
    case_id: Annotated[str, typer.Argument(help="Case id, e.g. C2000001")],
    reason: Annotated[
        str, typer.Option("--reason", help="The specific reason: criterion not met and why")
    ],
    criteria: CriteriaOpt = None,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="User id of the reviewing clinician")
    ] = None,
    info: Annotated[
        list[str] | None,
        typer.Option("--info", help="Information that would let the plan reconsider (repeat)"),
    ] = None,
    effective_date: Annotated[
        str | None, typer.Option("--effective-date", help="Medicaid: when a reduction starts")
    ] = None,
    user: UserOpt = None,
    as_role: AsRole = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a denial letter from the template of the case's line of business and check it for
    every required element. It stays a draft until a clinician signs it; nothing is sent."""
    request: dict[str, Any] = {
        "case_id": case_id,
        "reason": reason,
        "criteria_citations": criteria or [],
        "information_needed": info or [],
        "reviewer_user_id": reviewer,
        "effective_date": effective_date,
    }
    with _context(user, as_role, purpose or f"denial letter for {case_id}") as ctx:
        out = draft_denial_letter(ctx, request)
    _print_draft(out, as_json)


@drafts_app.command("list")
def list_command(
    case: Annotated[str | None, typer.Option("--case", help="Only this case's drafts")] = None,
    status: Annotated[DraftStatus | None, typer.Option("--status")] = None,
    kind: Annotated[DraftKind | None, typer.Option("--kind")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200)] = 50,
    user: UserOpt = None,
    as_role: AsRole = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List drafts, newest first, with status, version and completeness."""
    request = {"case_id": case, "status": status, "kind": kind, "limit": limit}
    with _context(user, as_role, purpose or "draft worklist") as ctx:
        listing = list_drafts(ctx, request)
    if as_json:
        print(listing.model_dump_json(indent=2))
        return
    if not listing.drafts:
        console.print("No drafts match.")
        return
    table = Table()
    for col in ("draft", "v", "kind", "case", "status", "complete", "created by", "signed by"):
        table.add_column(col)
    for d in listing.drafts:
        complete = "yes" if d.complete else "missing: " + ", ".join(d.missing)
        if d.superseded_by:
            complete += f" (replaced by {d.superseded_by})"
        table.add_row(
            d.draft_id,
            str(d.version),
            d.kind.value,
            d.case_id,
            d.status.value,
            complete,
            d.created_by,
            d.signed_by or "",
        )
    console.print(table)


@drafts_app.command("show")
def show_command(
    draft_id: Annotated[str, typer.Argument(help="Draft id, e.g. D0000001")],
    user: UserOpt = None,
    as_role: AsRole = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a draft's text, completeness report and signature."""
    with _context(user, as_role, purpose or f"review draft {draft_id}") as ctx:
        out = get_draft(ctx, {"draft_id": draft_id})
    _print_draft(out, as_json)


@drafts_app.command("revise")
def revise_command(
    draft_id: Annotated[str, typer.Argument(help="Draft id of the latest version")],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    criteria: CriteriaOpt = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer")] = None,
    info: Annotated[list[str] | None, typer.Option("--info")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Case note: reviewer notes")] = None,
    body_file: Annotated[
        Path | None, typer.Option("--body-file", help="The whole edited text, from a file")
    ] = None,
    user: UserOpt = None,
    as_role: AsRole = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Make a new version of a draft with these changes; the old version stays as it was."""
    request: dict[str, Any] = {
        "draft_id": draft_id,
        "reason": reason,
        "criteria_citations": criteria,
        "reviewer_user_id": reviewer,
        "information_needed": info,
        "reviewer_notes": notes,
    }
    if body_file is not None:
        try:
            request["body"] = body_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot read {body_file}: {exc.strerror}") from exc
    with _context(user, as_role, purpose or f"revise draft {draft_id}") as ctx:
        out = revise_draft(ctx, {k: v for k, v in request.items() if v is not None})
    _print_draft(out, as_json)


@drafts_app.command("sign")
def sign_command(
    draft_id: Annotated[str, typer.Argument(help="Draft id, e.g. D0000001")],
    attest: Annotated[bool, typer.Option("--attest", help=f"Attest: {ATTESTATION}")] = False,
    user: UserOpt = None,
    as_role: AsRole = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Sign a complete draft as the reviewing clinician (clinicians only), with the name and
    credentials the staff directory holds for you. It becomes immutable; careassist still sends
    nothing."""
    if not attest:
        raise _fail(f"signing needs --attest, by which you state: {ATTESTATION}")
    request = {"draft_id": draft_id, "attestation": ATTESTATION}
    with _context(user, as_role, purpose or f"sign draft {draft_id}") as ctx:
        out = sign_draft(ctx, request)
    _print_draft(out, as_json)


def register(app: typer.Typer) -> None:
    """Add the draft commands to the `careassist` application."""
    app.add_typer(draft_app, name="draft")
    app.add_typer(drafts_app, name="drafts")
