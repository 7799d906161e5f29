"""Drafts of case notes and denial letters, and the clinician sign-off gate.

Rules enforced here, whatever face calls (and backed by triggers in migration 0003):
- a draft is stored with status `draft` and the DRAFT banner; nothing is ever sent;
- only an active user with the clinician role in the staff directory may sign, never the
  assistant (sign_draft is not among the tools offered to the agent, and machine user ids are
  refused outright);
- signing records name, credentials, attestation and time, is audited, and is refused while the
  completeness checker reports a missing element;
- a signed draft never changes and is never signed twice; any change is a new version that
  supersedes the old one, and only the latest version may be revised or signed.
Every read of member or case data (drafting, showing, listing, revising, signing) is audited in
the same transaction as the read.
"""

import hashlib
import logging
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Mapped, Session, mapped_column

from tools import audit
from tools.casenotes import (
    CaseNoteFields,
    CriterionPassage,
    build_case_note,
    check_case_note,
    render_case_note,
)
from tools.context import ToolContext, parse_input
from tools.db import lock_key
from tools.enums import LineOfBusiness, RequestType
from tools.errors import (
    CaseNotFound,
    DraftConflict,
    DraftNotFound,
    InvalidInput,
    PermissionDenied,
    SignOffRefused,
)
from tools.ids import CaseId, UserId
from tools.letters import (
    CASE_NOTE,
    DRAFT_BANNER,
    CompletenessReport,
    LetterDraft,
    LetterFields,
    check_letter,
    plan_contacts,
    program_for,
    render_letter,
    signed_text,
)
from tools.models import Base, Case, EnumText, JSONType, Member, Plan, Provider, User, UTCDateTime
from tools.roles import Principal, Resource, Role, ToolName, require_tool, visible_fields

log = logging.getLogger(__name__)

DRAFT_ID_RE = re.compile(r"^D[0-9]{7}$")
CREDENTIALS_RE = re.compile(r"^[A-Za-z][A-Za-z.\-]*(?:,? [A-Za-z][A-Za-z.\-]*){0,5}$")
# Ids the assistant or other automation might run under: none of them ever signs.
MACHINE_USER_IDS = frozenset({"careassist", "assistant", "system", "agent", "bot", "automation"})
ATTESTATION = (
    "I reviewed this draft, the case record and the criteria cited. The determination is my "
    "own clinical judgment and I take responsibility for it."
)
NOT_SENT = "Draft: requires clinician review and signature. Nothing has been sent."

# What each kind of draft shows, in the access table's field names (minimum necessary).
LETTER_FIELDS = frozenset(
    {
        "case_id",
        "member_id",
        "member_name",
        "plan_id",
        "line_of_business",
        "request_type",
        "service_codes",
        "service_description",
        "requesting_provider_name",
        "assigned_reviewer",
    }
)
CASE_NOTE_FIELDS = frozenset(
    {
        "case_id",
        "member_id",
        "plan_id",
        "line_of_business",
        "request_type",
        "urgency",
        "received_at",
        "due_at",
        "service_codes",
        "service_description",
        "diagnosis_codes",
        "clinical_notes",
    }
)


class DraftKind(StrEnum):
    case_note = "case_note"
    denial_letter = "denial_letter"

    @property
    def case_fields(self) -> frozenset[str]:
        return CASE_NOTE_FIELDS if self is DraftKind.case_note else LETTER_FIELDS


class DraftStatus(StrEnum):
    draft = "draft"
    signed = "signed"


class Draft(Base):
    """One version of a case note or denial letter; see migration 0003_drafts."""

    __tablename__ = "drafts"

    draft_id: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    kind: Mapped[DraftKind] = mapped_column(EnumText(DraftKind))
    case_id: Mapped[str] = mapped_column(sa.String(8), index=True)
    member_id: Mapped[str] = mapped_column(sa.String(8), index=True)
    lob: Mapped[LineOfBusiness] = mapped_column(EnumText(LineOfBusiness))
    program: Mapped[str] = mapped_column(sa.String(32))
    version: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[DraftStatus] = mapped_column(EnumText(DraftStatus), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType)
    completeness: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_by: Mapped[str | None] = mapped_column(sa.String(40))
    signer_name: Mapped[str | None] = mapped_column(sa.String(120))
    credentials: Mapped[str | None] = mapped_column(sa.String(60))
    attestation: Mapped[str | None] = mapped_column(sa.Text)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supersedes: Mapped[str | None] = mapped_column(
        sa.ForeignKey("drafts.draft_id", name="fk_drafts_supersedes"), unique=True
    )

    def text(self, zone: tzinfo = UTC) -> str:
        """The draft as it reads now: with the DRAFT banner, or the signature line (its time in
        `zone`, the plan's time zone) once signed."""
        if self.status is not DraftStatus.signed or self.signed_at is None:
            return self.body
        when = self.signed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        return signed_text(
            self.body,
            f"SIGNED by {self.signer_name}, {self.credentials} ({self.signed_by}) on {when}. "
            "Clinician attestation on file. careassist does not send letters.",
        )


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


def _text_items(value: list[str], what: str, limit: int = 300) -> list[str]:
    items = [" ".join(v.split()) for v in value]
    for item in items:
        if len(item) > limit:
            raise InvalidInput(f"each {what} must be at most {limit} characters")
    return [i for i in items if i]


class DraftCaseNoteInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId = Field(description="Case id: C followed by 7 digits")
    reviewer_notes: str = Field(
        "", max_length=20_000, description="The reviewer's own notes on the clinical information"
    )
    criteria: list[CriterionPassage] = Field(
        default_factory=list,
        max_length=20,
        description="Criteria passages to apply, as find_criteria returns them "
        "({citation, title, text})",
    )


class DraftDenialLetterInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId = Field(description="Case id: C followed by 7 digits")
    reason: str = Field(
        max_length=2000,
        description="The specific reason: the criterion not met and what is missing, e.g. "
        "'MP-201 §2.2 criterion 2: six weeks of conservative therapy not documented'",
    )
    criteria_citations: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Citations of the criteria relied on, e.g. 'MP-201 §2.2'",
    )
    reviewer_user_id: UserId | None = Field(
        None,
        description="The clinician who reviewed the case (default: the case's assigned "
        "reviewer if a clinician)",
    )
    information_needed: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Information that would let the plan reconsider (ERISA: to perfect the claim)",
    )
    effective_date: date | None = Field(
        None, description="Medicaid: when a reduction or termination takes effect"
    )
    notice_date: date | None = Field(None, description="Date of the notice (default today)")

    @field_validator("criteria_citations", "information_needed")
    @classmethod
    def _items(cls, value: list[str]) -> list[str]:
        return _text_items(value, "item")


class DraftRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_id: DraftId = Field(description="Draft id: D followed by 7 digits")


class ListDraftsInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId | None = Field(None, description="Only this case's drafts")
    status: DraftStatus | None = Field(None, description="draft or signed")
    kind: DraftKind | None = Field(None, description="case_note or denial_letter")
    limit: int = Field(50, ge=1, le=200)


class ReviseDraftInput(BaseModel):
    """The changes; every other part of the draft is carried over to the new version."""

    model_config = ConfigDict(extra="forbid")

    draft_id: DraftId = Field(description="The draft version to revise (the latest one)")
    reason: str | None = Field(None, max_length=2000)
    criteria_citations: list[str] | None = Field(None, max_length=20)
    reviewer_user_id: UserId | None = None
    information_needed: list[str] | None = Field(None, max_length=20)
    effective_date: date | None = None
    notice_date: date | None = None
    reviewer_notes: str | None = Field(None, max_length=20_000)
    criteria: list[CriterionPassage] | None = Field(None, max_length=20)
    body: str | None = Field(
        None, max_length=100_000, description="The whole edited text (keep the DRAFT banner)"
    )

    @field_validator("criteria_citations", "information_needed")
    @classmethod
    def _items(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _text_items(value, "item")

    @model_validator(mode="after")
    def _one_kind_of_change(self) -> "ReviseDraftInput":
        changes = self.model_dump(exclude={"draft_id"}, exclude_none=True)
        if not changes:
            raise InvalidInput("say what to change: a field or the edited body")
        if "body" in changes and len(changes) > 1:
            raise InvalidInput("change either the body text or fields, not both at once")
        if self.body is not None and DRAFT_BANNER not in self.body:
            raise InvalidInput(
                f"keep the line '{DRAFT_BANNER}': it is replaced by the signature on sign-off"
            )
        return self


class SignDraftInput(BaseModel):
    """What a signer supplies. Name and credentials are not among it: they are read from the
    staff directory, so a signature cannot claim a qualification the plan has not recorded."""

    model_config = ConfigDict(extra="forbid")

    draft_id: DraftId
    attestation: str = Field(min_length=20, max_length=1000)


def _directory_credentials(user: User) -> str:
    value = " ".join((user.credentials or "").split())
    if not value:
        raise SignOffRefused(
            f"no credentials on file for {user.user_id} in the staff directory; an admin records "
            "them (careassist users add --update --credentials ...) before you sign"
        )
    if not CREDENTIALS_RE.match(value):
        raise SignOffRefused(
            f"the credentials on file for {user.user_id} do not look like 'MD', 'DO' or "
            "'MD, FACP'; an admin corrects them before you sign"
        )
    return value


# ----- store helpers ---------------------------------------------------------------------


def _next_id(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text(f"SELECT pg_advisory_xact_lock({lock_key('drafts')})"))
    # SQLite: the transaction began with BEGIN IMMEDIATE and holds the only write lock.
    last = session.scalar(sa.select(sa.func.max(Draft.draft_id)))
    return f"D{(int(last[1:]) if last else 0) + 1:07d}"


def _successor(session: Session, draft_id_: str) -> str | None:
    return session.scalar(sa.select(Draft.draft_id).where(Draft.supersedes == draft_id_))


def _load(session: Session, principal: Principal, draft_id_: str) -> Draft:
    draft = session.get(Draft, draft_id_)
    if draft is None:
        raise DraftNotFound(draft_id_)
    visible_fields(principal, Resource.case, draft.kind.case_fields)
    return draft


def _disclose(
    session: Session, ctx: ToolContext, tool: ToolName, drafts: list[Draft], **detail: Any
) -> None:
    if not drafts:
        return
    audit.record(
        session,
        principal=ctx.principal,
        tool=tool,
        channel=ctx.channel,
        purpose=ctx.purpose,
        disclosures=[
            audit.Disclosure(
                member_id=d.member_id,
                case_id=d.case_id,
                fields=sorted(d.kind.case_fields),
                detail={"draft_id": d.draft_id, "version": d.version, **detail},
            )
            for d in drafts
        ],
        at=ctx.now(),
    )


def _out(session: Session, draft: Draft, zone: tzinfo) -> DraftOut:
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
        superseded_by=_successor(session, draft.draft_id),
        notice=NOT_SENT if draft.status is DraftStatus.draft else "Signed by a clinician.",
    )


def _store(
    session: Session,
    ctx: ToolContext,
    *,
    kind: DraftKind,
    case: Case | Draft,
    lob: LineOfBusiness,
    program: str,
    body: str,
    fields: dict[str, Any],
    report: CompletenessReport,
    previous: Draft | None = None,
) -> Draft:
    draft = Draft(
        draft_id=_next_id(session),
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


def _case(session: Session, case_id: str) -> tuple[Case, Plan]:
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound(case_id)
    plan = session.get(Plan, case.plan_id)
    if plan is None:
        raise CaseNotFound(case_id)
    return case, plan


def _service(case: Case) -> str:
    codes = ", ".join(case.service_codes or [])
    return f"{case.service_description} ({codes})" if codes else case.service_description


def _clinician(session: Session, user_id: str | None) -> User | None:
    if not user_id:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or Role(user.role) is not Role.clinician:
        return None
    return user


def _reviewer_line(user: User) -> str:
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name


# ----- the tools -------------------------------------------------------------------------


def draft_case_note(ctx: ToolContext, request: DraftCaseNoteInput | Mapping[str, Any]) -> DraftOut:
    """Draft a UM case note for a case: member and request summary (ids only), the clinical
    information as provided, the criteria passages applied with citations, each numbered
    criterion marked met / not met / not documented by a keyword match (a reading aid, not a
    judgment), missing documentation, and "Determination: pending clinician review". Stored as a
    draft for clinician review; audited."""
    require_tool(ctx.principal, ToolName.draft_case_note)
    visible_fields(ctx.principal, Resource.case, CASE_NOTE_FIELDS)
    req = parse_input(DraftCaseNoteInput, request)
    with ctx.db.transaction() as session:
        case, plan = _case(session, req.case_id)
        base = {
            "case_id": case.case_id,
            "member_id": case.member_id,
            "plan_id": case.plan_id,
            "line_of_business": LineOfBusiness(plan.line_of_business).value,
            "service": _service(case),
            "diagnosis_codes": list(case.diagnosis_codes or []),
            "request_type": RequestType(case.request_type).value,
            "urgency": case.urgency.value,
            "received_at": case.received_at,
            "due_at": case.due_at,
            "clinical_notes": case.clinical_notes or "",
        }
        fields = build_case_note(base, req.reviewer_notes, req.criteria)
        draft = _store_case_note(session, ctx, case, plan.line_of_business, fields)
        _disclose(session, ctx, ToolName.draft_case_note, [draft])
        out = _out(session, draft, ctx.zone)
    log.info("draft %s (case note v1) by %s", out.draft_id, ctx.principal.user_id)
    return out


def _store_case_note(
    session: Session,
    ctx: ToolContext,
    case: Case | Draft,
    lob: LineOfBusiness,
    fields: CaseNoteFields,
    previous: Draft | None = None,
    body: str | None = None,
) -> Draft:
    stored = fields.model_dump(mode="json")
    body = body if body is not None else render_case_note(fields)
    report = check_case_note(body, stored)
    return _store(
        session,
        ctx,
        kind=DraftKind.case_note,
        case=case,
        lob=lob,
        program=CASE_NOTE,
        body=body,
        fields=stored,
        report=report,
        previous=previous,
    )


def draft_denial_letter(
    ctx: ToolContext, request: DraftDenialLetterInput | Mapping[str, Any]
) -> DraftOut:
    """Draft a denial letter for a case from the template of its plan's line of business
    (Medicare Advantage, MA Part B drug, Medicaid, commercial ERISA), with the specific reason
    and the criteria citations given, and check it for every element those rules require. The
    letter is stored as a draft marked "requires clinician review and signature; not sent"; it
    states no decision of the assistant's and only a clinician can sign it. Audited."""
    require_tool(ctx.principal, ToolName.draft_denial_letter)
    visible_fields(ctx.principal, Resource.case, LETTER_FIELDS)
    req = parse_input(DraftDenialLetterInput, request)
    with ctx.db.transaction() as session:
        case, plan = _case(session, req.case_id)
        member = session.get(Member, case.member_id)
        if member is None:
            raise CaseNotFound(req.case_id)
        program = program_for(plan.line_of_business, case.request_type)
        reviewer = _letter_reviewer(session, ctx.principal, case, req.reviewer_user_id)
        provider = session.get(Provider, case.requesting_npi)
        fields = LetterFields(
            notice_date=req.notice_date or ctx.today(),
            plan_id=plan.plan_id,
            plan_name=plan.name,
            member_id=member.member_id,
            member_name=f"{member.first_name} {member.last_name}",
            case_id=case.case_id,
            service=_service(case),
            provider_name=provider.name if provider else "",
            payment=RequestType(case.request_type) is RequestType.post_service,
            reason=req.reason,
            criteria=req.criteria_citations,
            reviewer=_reviewer_line(reviewer) if reviewer else "",
            reviewer_user_id=reviewer.user_id if reviewer else None,
            information_needed=req.information_needed,
            effective_date=req.effective_date,
        ).with_contact(plan_contacts().get(plan.plan_id))
        draft = _store_letter(session, ctx, case, plan.line_of_business, program, fields)
        _disclose(session, ctx, ToolName.draft_denial_letter, [draft])
        out = _out(session, draft, ctx.zone)
    log.info("draft %s (%s letter v1) by %s", out.draft_id, program, ctx.principal.user_id)
    return out


def _letter_reviewer(
    session: Session, principal: Principal, case: Case, requested: str | None
) -> User | None:
    """The clinician the letter names as reviewer: as asked, else the case's or the caller."""
    if requested:
        user = _clinician(session, requested)
        if user is None:
            raise InvalidInput(f"reviewer {requested} is not an active clinician")
        return user
    return _clinician(session, case.assigned_reviewer) or _clinician(session, principal.user_id)


def _store_letter(
    session: Session,
    ctx: ToolContext,
    case: Case | Draft,
    lob: LineOfBusiness,
    program: str,
    fields: LetterFields,
    previous: Draft | None = None,
    body: str | None = None,
) -> Draft:
    letter = render_letter(program, fields)
    if body is not None:
        letter = letter.model_copy(update={"body": body})
    report = check_letter(program, letter)
    return _store(
        session,
        ctx,
        kind=DraftKind.denial_letter,
        case=case,
        lob=lob,
        program=program,
        body=letter.body,
        fields=letter.fields,
        report=report,
        previous=previous,
    )


def get_draft(ctx: ToolContext, request: DraftRef | Mapping[str, Any]) -> DraftOut:
    """Show one draft (case note or denial letter) with its completeness report, status and
    signature, if any. Audited."""
    require_tool(ctx.principal, ToolName.get_draft)
    req = parse_input(DraftRef, request)
    with ctx.db.transaction() as session:
        draft = _load(session, ctx.principal, req.draft_id)
        _disclose(session, ctx, ToolName.get_draft, [draft])
        return _out(session, draft, ctx.zone)


def list_drafts(ctx: ToolContext, request: ListDraftsInput | Mapping[str, Any]) -> DraftList:
    """List drafts, newest first, by case, status or kind: ids, version, status, completeness
    and who created or signed them (no text). Audited."""
    require_tool(ctx.principal, ToolName.list_drafts)
    req = parse_input(ListDraftsInput, request)
    query = sa.select(Draft).order_by(Draft.draft_id.desc()).limit(req.limit)
    if req.case_id:
        query = query.where(Draft.case_id == req.case_id)
    if req.status:
        query = query.where(Draft.status == req.status)
    if req.kind:
        query = query.where(Draft.kind == req.kind)
    with ctx.db.transaction() as session:
        drafts = list(session.scalars(query))
        for kind in {d.kind for d in drafts}:
            visible_fields(ctx.principal, Resource.case, kind.case_fields)
        rows = session.execute(
            sa.select(Draft.supersedes, Draft.draft_id).where(
                Draft.supersedes.in_([d.draft_id for d in drafts])
            )
        )
        successors = {old: new for old, new in rows}
        _disclose(session, ctx, ToolName.list_drafts, drafts)
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


def revise_draft(ctx: ToolContext, request: ReviseDraftInput | Mapping[str, Any]) -> DraftOut:
    """Make a new version of a draft with the changes given (letter: reason, criteria, reviewer,
    information needed, dates; case note: reviewer notes, criteria; or the whole edited text).
    The old version is kept unchanged, including a signed one; the new one is a draft again and
    needs its own clinician signature. Audited."""
    require_tool(ctx.principal, ToolName.revise_draft)
    req = parse_input(ReviseDraftInput, request)
    with ctx.db.transaction() as session:
        old = _load(session, ctx.principal, req.draft_id)
        newer = _successor(session, old.draft_id)
        if newer:
            raise DraftConflict(
                f"draft {old.draft_id} was already revised as {newer}; revise the latest version"
            )
        if old.kind is DraftKind.case_note:
            new = _revise_case_note(session, ctx, old, req)
        else:
            new = _revise_letter(session, ctx, old, req)
        _disclose(session, ctx, ToolName.revise_draft, [new], supersedes=old.draft_id)
        out = _out(session, new, ctx.zone)
    log.info("draft %s supersedes %s", out.draft_id, req.draft_id)
    return out


def _revise_case_note(
    session: Session, ctx: ToolContext, old: Draft, req: ReviseDraftInput
) -> Draft:
    unknown = req.model_dump(
        exclude={"draft_id", "reviewer_notes", "criteria", "body"}, exclude_none=True
    )
    if unknown:
        raise InvalidInput(f"a case note has no {', '.join(sorted(unknown))} to change")
    fields = CaseNoteFields.model_validate(old.fields)
    if req.body is None:
        notes = fields.reviewer_notes if req.reviewer_notes is None else req.reviewer_notes
        passages = fields.passages if req.criteria is None else req.criteria
        base = fields.model_dump(
            include={
                "case_id",
                "member_id",
                "plan_id",
                "line_of_business",
                "service",
                "diagnosis_codes",
                "request_type",
                "urgency",
                "received_at",
                "due_at",
                "clinical_notes",
            }
        )
        fields = build_case_note(base, notes, passages)
        return _store_case_note(session, ctx, old, old.lob, fields, previous=old)
    return _store_case_note(session, ctx, old, old.lob, fields, previous=old, body=req.body)


def _revise_letter(session: Session, ctx: ToolContext, old: Draft, req: ReviseDraftInput) -> Draft:
    if req.reviewer_notes is not None or req.criteria is not None:
        raise InvalidInput(
            "a letter takes criteria_citations, not criteria passages or reviewer notes"
        )
    fields = LetterFields.model_validate(old.fields)
    if req.body is not None:
        return _store_letter(session, ctx, old, old.lob, old.program, fields, old, req.body)
    changes: dict[str, Any] = {
        k: v
        for k, v in {
            "reason": req.reason,
            "information_needed": req.information_needed,
            "effective_date": req.effective_date,
            "notice_date": req.notice_date,
        }.items()
        if v is not None
    }
    if req.criteria_citations is not None:
        changes["criteria"] = req.criteria_citations
    if req.reviewer_user_id is not None:
        reviewer = _clinician(session, req.reviewer_user_id)
        if reviewer is None:
            raise InvalidInput(f"reviewer {req.reviewer_user_id} is not an active clinician")
        changes["reviewer"] = _reviewer_line(reviewer)
        changes["reviewer_user_id"] = reviewer.user_id
    fields = LetterFields.model_validate({**fields.model_dump(), **changes})
    return _store_letter(session, ctx, old, old.lob, old.program, fields, previous=old)


def sign_draft(ctx: ToolContext, request: SignDraftInput | Mapping[str, Any]) -> DraftOut:
    """A clinician signs a complete draft: records name and credentials (from the staff
    directory), attestation and time, and makes the draft immutable. Refused for anyone but an
    active clinician or one without credentials on file, for the assistant, for an incomplete
    draft, a signed one or one that a newer version replaced. Not an agent tool: only a person
    signs, through the CLI, the API or Slack. Audited."""
    principal = ctx.principal
    if principal.user_id.lower() in MACHINE_USER_IDS:
        raise PermissionDenied("careassist never signs a draft: a clinician signs it in person")
    if Role(principal.role) is not Role.clinician:
        raise PermissionDenied(
            f"only a clinician may sign a draft; role {Role(principal.role).value} may not"
        )
    require_tool(principal, ToolName.sign_draft)
    req = parse_input(SignDraftInput, request)
    now = ctx.now()
    with ctx.db.transaction() as session:
        user = session.get(User, principal.user_id)
        if user is None or not user.active or Role(user.role) is not Role.clinician:
            raise PermissionDenied(
                f"user {principal.user_id} is not an active clinician in the staff directory"
            )
        credentials = _directory_credentials(user)
        draft = _load(session, principal, req.draft_id)
        _refuse_unsignable(session, principal, draft)
        done = session.execute(
            sa.update(Draft)
            .where(Draft.draft_id == draft.draft_id, Draft.status == DraftStatus.draft)
            .values(
                status=DraftStatus.signed,
                signed_by=principal.user_id,
                signer_name=user.display_name,
                credentials=credentials,
                attestation=req.attestation,
                signed_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise SignOffRefused(f"draft {draft.draft_id} was signed by someone else meanwhile")
        session.refresh(draft)
        _disclose(
            session,
            ctx,
            ToolName.sign_draft,
            [draft],
            action="signed",
            body_sha256=hashlib.sha256(draft.body.encode()).hexdigest(),
        )
        out = _out(session, draft, ctx.zone)
    log.info("draft %s signed by %s", out.draft_id, principal.user_id)
    return out


def _refuse_unsignable(session: Session, principal: Principal, draft: Draft) -> None:
    if draft.status is DraftStatus.signed:
        when = draft.signed_at.isoformat() if draft.signed_at else "earlier"
        raise SignOffRefused(
            f"draft {draft.draft_id} was already signed by {draft.signed_by} at {when}; a signed "
            "draft is never signed again (revise it to make a new version)"
        )
    newer = _successor(session, draft.draft_id)
    if newer:
        raise SignOffRefused(
            f"draft {draft.draft_id} was replaced by {newer}; review and sign the latest version"
        )
    named = draft.fields.get("reviewer_user_id")
    if draft.kind is DraftKind.denial_letter and named and named != principal.user_id:
        raise SignOffRefused(
            f"the letter names {named} as the reviewing clinician; {named} signs it, or revise "
            "it to name you"
        )
    report = completeness_of(draft)
    if not report.complete:
        missing = "; ".join(f"{m.id} ({m.citation})" for m in report.missing)
        raise SignOffRefused(
            f"draft {draft.draft_id} cannot be signed while the checker reports missing "
            f"elements: {missing}. Revise it first."
        )


# The drafting tools an agent may be given. sign_draft is deliberately absent: only a person
# signs, through a face that calls sign_draft directly.
AGENT_TOOLS = (draft_case_note, draft_denial_letter, get_draft, list_drafts, revise_draft)
