"""Drafts of case notes and denial letters: the stored row, its shapes, showing and listing.

Rules enforced by the drafting tools, whatever face calls (and backed by triggers in migration
0003):
- a draft is stored with status `draft` and the DRAFT banner; nothing is ever sent;
- a signed draft never changes and is never signed twice; any change is a new version that
  supersedes the old one, and only the latest version may be revised or signed.
How each kind is drafted and revised is tools.draft_kinds'; the clinician sign-off gate is
tools.signoff's. Every read of member or case data (drafting, showing, listing, revising,
signing) is audited in the same transaction as the read.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from tools import audit
from tools.casenotes import check_case_note
from tools.catalogue import tool
from tools.completeness import CompletenessReport, LetterDraft, check_letter
from tools.context import ToolContext
from tools.db import lock_key
from tools.enums import LineOfBusiness
from tools.errors import CaseNotFound, DraftNotFound, InvalidInput
from tools.ids import CaseId
from tools.models import CASE_NOTE_FIELDS as CASE_NOTE_FIELDS
from tools.models import LETTER_FIELDS as LETTER_FIELDS
from tools.models import Draft, DraftKind, DraftStatus
from tools.plandata import DisclosingReads
from tools.plandata.records import CaseDetail, PlanRow, StaffRow
from tools.roles import Principal, Resource, Role, ToolName, visible_fields

DRAFT_ID_RE = re.compile(r"^D[0-9]{7}$")
NOT_SENT = "Draft: requires clinician review and signature. Nothing has been sent."


def draft_id(value: str) -> str:
    value = value.strip().upper()
    if not DRAFT_ID_RE.match(value):
        raise InvalidInput(f"{value[:20]!r} is not a draft id: expected D followed by 7 digits")
    return value


DraftId = Annotated[str, AfterValidator(draft_id)]


def completeness_of(draft: Draft) -> CompletenessReport:
    """Run the checker on the stored body and fields (never trust the stored report)."""
    if draft.kind is DraftKind.case_note:
        return check_case_note(draft.body, draft.fields)
    letter = LetterDraft(
        program=draft.program,
        payment=bool(draft.fields.get("payment")),
        fields=draft.fields,
        body=draft.body,
    )
    return check_letter(draft.program, letter)


# ----- shapes the tools take and return --------------------------------------------------


class DraftOut(BaseModel):
    """A stored draft. `text` is what a person reads: the DRAFT banner until a clinician signs."""

    draft_id: str
    kind: DraftKind
    case_id: str
    member_id: str
    line_of_business: LineOfBusiness
    program: str
    version: int
    status: DraftStatus
    text: str
    fields: dict[str, Any]
    completeness: CompletenessReport
    created_by: str
    created_at: datetime
    signed_by: str | None = None
    signer_name: str | None = None
    credentials: str | None = None
    attestation: str | None = None
    signed_at: datetime | None = None
    supersedes: str | None = None
    superseded_by: str | None = None
    notice: str = NOT_SENT


class DraftSummary(BaseModel):
    draft_id: str
    kind: DraftKind
    case_id: str
    member_id: str
    version: int
    status: DraftStatus
    complete: bool
    missing: list[str]
    created_by: str
    created_at: datetime
    signed_by: str | None = None
    signed_at: datetime | None = None
    supersedes: str | None = None
    superseded_by: str | None = None


class DraftList(BaseModel):
    drafts: list[DraftSummary]


class DraftRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: DraftId = Field(description="Draft id: D followed by 7 digits")


class ListDraftsInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId | None = Field(None, description="Only this case's drafts")
    status: DraftStatus | None = Field(None, description="draft or signed")
    kind: DraftKind | None = Field(None, description="case_note or denial_letter")
    limit: int = Field(50, ge=1, le=200)


# ----- store helpers ---------------------------------------------------------------------


@contextmanager
def drafting(ctx: ToolContext) -> Iterator[tuple[DisclosingReads, Session]]:
    """Plan data read through the port, and the drafts table (careassist's own store) on the
    connection the audit is written to: drafts, their audit records and (with SQL) the reads
    commit together or not at all."""
    # The session joins the open transaction; closing it neither commits nor rolls it back.
    with ctx.plandata.disclosing() as reads, Session(bind=reads.audit) as session:
        yield reads, session
        session.flush()


def next_id(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text(f"SELECT pg_advisory_xact_lock({lock_key('drafts')})"))
    # SQLite: the transaction began with BEGIN IMMEDIATE and holds the only write lock.
    last = session.scalar(sa.select(sa.func.max(Draft.draft_id)))
    return f"D{(int(last[1:]) if last else 0) + 1:07d}"


def successor_of(session: Session, draft_id_: str) -> str | None:
    return session.scalar(sa.select(Draft.draft_id).where(Draft.supersedes == draft_id_))


def load_draft(session: Session, principal: Principal, draft_id_: str) -> Draft:
    draft = session.get(Draft, draft_id_)
    if draft is None:
        raise DraftNotFound(draft_id_)
    visible_fields(principal, Resource.case, draft.kind.case_fields)
    return draft


def disclose(
    conn: sa.Connection, ctx: ToolContext, tool: ToolName, drafts: list[Draft], **detail: Any
) -> None:
    """The audit record of the drafts shown, on the port's audit connection (a Session would
    keep the new chain head where Database never checkpoints it)."""
    if not drafts:
        return
    audit.record_call(
        conn,
        ctx,
        tool,
        [
            audit.Disclosure(
                member_id=d.member_id,
                case_id=d.case_id,
                fields=sorted(d.kind.case_fields),
                detail={"draft_id": d.draft_id, "version": d.version, **detail},
            )
            for d in drafts
        ],
    )


def draft_out(session: Session, draft: Draft, zone: tzinfo) -> DraftOut:
    return DraftOut(
        draft_id=draft.draft_id,
        kind=draft.kind,
        case_id=draft.case_id,
        member_id=draft.member_id,
        line_of_business=draft.lob,
        program=draft.program,
        version=draft.version,
        status=draft.status,
        text=draft.text(zone),
        fields=draft.fields,
        completeness=CompletenessReport.model_validate(draft.completeness),
        created_by=draft.created_by,
        created_at=draft.created_at,
        signed_by=draft.signed_by,
        signer_name=draft.signer_name,
        credentials=draft.credentials,
        attestation=draft.attestation,
        signed_at=draft.signed_at,
        supersedes=draft.supersedes,
        superseded_by=successor_of(session, draft.draft_id),
        notice=NOT_SENT if draft.status is DraftStatus.draft else "Signed by a clinician.",
    )


def store_draft(
    session: Session,
    ctx: ToolContext,
    *,
    kind: DraftKind,
    case: CaseDetail | Draft,
    lob: LineOfBusiness,
    program: str,
    body: str,
    fields: dict[str, Any],
    report: CompletenessReport,
    previous: Draft | None = None,
) -> Draft:
    draft = Draft(
        draft_id=next_id(session),
        kind=kind,
        case_id=case.case_id,
        member_id=case.member_id,
        lob=lob,
        program=program,
        version=previous.version + 1 if previous else 1,
        status=DraftStatus.draft,
        body=body,
        fields=fields,
        completeness=report.model_dump(mode="json"),
        created_by=ctx.principal.user_id,
        created_at=ctx.now(),
        supersedes=previous.draft_id if previous else None,
    )
    session.add(draft)
    session.flush()
    return draft


def case_and_plan(reads: DisclosingReads, case_id: str) -> tuple[CaseDetail, PlanRow]:
    case = reads.case(case_id)
    if case is None:
        raise CaseNotFound(case_id)
    plan = reads.plan(case.plan_id)
    if plan is None:
        raise CaseNotFound(case_id)
    return case, plan


def service_line(case: CaseDetail) -> str:
    codes = ", ".join(case.service_codes or [])
    return f"{case.service_description} ({codes})" if codes else case.service_description


def active_clinician(reads: DisclosingReads, user_id: str | None) -> StaffRow | None:
    if not user_id:
        return None
    user = reads.staff_user(user_id)
    if user is None or not user.active or Role(user.role) is not Role.clinician:
        return None
    return user


def reviewer_line(user: StaffRow) -> str:
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name


@tool(ToolName.get_draft, DraftRef, DraftOut, discloses=True, agent=True)
def get_draft(ctx: ToolContext, req: DraftRef) -> DraftOut:
    """Show one draft (case note or denial letter) with its completeness report, status and
    signature, if any. Audited."""
    with drafting(ctx) as (reads, session):
        draft = load_draft(session, ctx.principal, req.draft_id)
        disclose(reads.audit, ctx, ToolName.get_draft, [draft])
        return draft_out(session, draft, ctx.zone)


@tool(ToolName.list_drafts, ListDraftsInput, DraftList, discloses=True, agent=True)
def list_drafts(ctx: ToolContext, req: ListDraftsInput) -> DraftList:
    """List drafts, newest first, by case, status or kind: ids, version, status, completeness
    and who created or signed them (no text). Audited."""
    query = sa.select(Draft).order_by(Draft.draft_id.desc()).limit(req.limit)
    if req.case_id:
        query = query.where(Draft.case_id == req.case_id)
    if req.status:
        query = query.where(Draft.status == req.status)
    if req.kind:
        query = query.where(Draft.kind == req.kind)
    with drafting(ctx) as (reads, session):
        drafts = list(session.scalars(query))
        for kind in {d.kind for d in drafts}:
            visible_fields(ctx.principal, Resource.case, kind.case_fields)
        rows = session.execute(
            sa.select(Draft.supersedes, Draft.draft_id).where(
                Draft.supersedes.in_([d.draft_id for d in drafts])
            )
        )
        successors = {old: new for old, new in rows}
        disclose(reads.audit, ctx, ToolName.list_drafts, drafts)
        summaries = [
            DraftSummary(
                draft_id=d.draft_id,
                kind=d.kind,
                case_id=d.case_id,
                member_id=d.member_id,
                version=d.version,
                status=d.status,
                complete=bool(d.completeness.get("complete")),
                missing=[m["id"] for m in d.completeness.get("missing", [])],
                created_by=d.created_by,
                created_at=d.created_at,
                signed_by=d.signed_by,
                signed_at=d.signed_at,
                supersedes=d.supersedes,
                superseded_by=successors.get(d.draft_id),
            )
            for d in drafts
        ]
    return DraftList(drafts=summaries)
