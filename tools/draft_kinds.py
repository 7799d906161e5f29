"""How each kind of draft is made and revised: a UM case note or a denial letter.

Each kind reads the case, builds its fields, renders its text (tools.casenotes, tools.letters),
runs the completeness checker and stores a new draft version through tools.drafts. Nothing here
signs: that is tools.signoff's, and only a person's.
"""

import logging
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Session

from tools.casenotes import (
    CaseNoteFields,
    CriterionPassage,
    build_case_note,
    check_case_note,
    render_case_note,
)
from tools.catalogue import tool
from tools.completeness import CASE_NOTE, DRAFT_BANNER, check_letter, program_for
from tools.context import ToolContext
from tools.drafts import (
    CASE_NOTE_FIELDS,
    LETTER_FIELDS,
    Draft,
    DraftId,
    DraftKind,
    DraftOut,
    active_clinician,
    case_and_plan,
    disclose,
    draft_out,
    drafting,
    load_draft,
    reviewer_line,
    service_line,
    store_draft,
    successor_of,
)
from tools.enums import LineOfBusiness, RequestType
from tools.errors import CaseNotFound, DraftConflict, InvalidInput
from tools.ids import CaseId, UserId
from tools.letters import LetterFields, plan_contacts, render_letter
from tools.plandata import DisclosingReads
from tools.plandata.records import CaseDetail, StaffRow
from tools.roles import Principal, Resource, ToolName, visible_fields

log = logging.getLogger(__name__)


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


class ReviseDraftInput(BaseModel):
    """The changes; every other part of the draft is carried over to the new version."""

    model_config = ConfigDict(extra="forbid")

    draft_id: DraftId = Field(description="The draft version to revise (the latest one)")
    reason: str | None = Field(
        None, max_length=2000, description="Letter: the specific reason, replacing the old one"
    )
    criteria_citations: list[str] | None = Field(
        None, max_length=20, description="Letter: the citations of the criteria relied on"
    )
    reviewer_user_id: UserId | None = Field(
        None, description="Letter: the clinician who reviewed the case"
    )
    information_needed: list[str] | None = Field(
        None, max_length=20, description="Letter: information that would let the plan reconsider"
    )
    effective_date: date | None = Field(
        None, description="Letter (Medicaid): when a reduction or termination takes effect"
    )
    notice_date: date | None = Field(None, description="Letter: the date of the notice")
    reviewer_notes: str | None = Field(
        None, max_length=20_000, description="Case note: the reviewer's notes, replacing the old"
    )
    criteria: list[CriterionPassage] | None = Field(
        None, max_length=20, description="Case note: the criteria passages to apply"
    )
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


@tool(ToolName.draft_case_note, DraftCaseNoteInput, DraftOut, discloses=True, agent=True)
def draft_case_note(ctx: ToolContext, req: DraftCaseNoteInput) -> DraftOut:
    """Draft a UM case note for a case: member and request summary (ids only), the clinical
    information as provided, the criteria passages applied with citations, each numbered
    criterion marked met / not met / not documented by a keyword match (a reading aid, not a
    judgment), missing documentation, and "Determination: pending clinician review". Stored as a
    draft for clinician review; audited."""
    visible_fields(ctx.principal, Resource.case, CASE_NOTE_FIELDS)
    with drafting(ctx) as (reads, session):
        case, plan = case_and_plan(reads, req.case_id)
        base = {
            "case_id": case.case_id,
            "member_id": case.member_id,
            "plan_id": case.plan_id,
            "line_of_business": LineOfBusiness(plan.line_of_business).value,
            "service": service_line(case),
            "diagnosis_codes": list(case.diagnosis_codes or []),
            "request_type": RequestType(case.request_type).value,
            "urgency": case.urgency.value,
            "received_at": case.received_at,
            "due_at": case.due_at,
            "clinical_notes": case.clinical_notes or "",
        }
        fields = build_case_note(base, req.reviewer_notes, req.criteria)
        draft = _store_case_note(session, ctx, case, plan.line_of_business, fields)
        disclose(reads.audit, ctx, ToolName.draft_case_note, [draft])
        out = draft_out(session, draft, ctx.zone)
    log.info("draft %s (case note v1) by %s", out.draft_id, ctx.principal.user_id)
    return out


def _store_case_note(
    session: Session,
    ctx: ToolContext,
    case: CaseDetail | Draft,
    lob: LineOfBusiness,
    fields: CaseNoteFields,
    previous: Draft | None = None,
    body: str | None = None,
) -> Draft:
    stored = fields.model_dump(mode="json")
    body = body if body is not None else render_case_note(fields)
    report = check_case_note(body, stored)
    return store_draft(
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


@tool(ToolName.draft_denial_letter, DraftDenialLetterInput, DraftOut, discloses=True, agent=True)
def draft_denial_letter(ctx: ToolContext, req: DraftDenialLetterInput) -> DraftOut:
    """Draft a denial letter for a case from the template of its plan's line of business
    (Medicare Advantage, MA Part B drug, Medicaid, commercial ERISA), with the specific reason
    and the criteria citations given, and check it for every element those rules require. The
    letter is stored as a draft marked "requires clinician review and signature; not sent"; it
    states no decision of the assistant's and only a clinician can sign it. Audited."""
    visible_fields(ctx.principal, Resource.case, LETTER_FIELDS)
    with drafting(ctx) as (reads, session):
        case, plan = case_and_plan(reads, req.case_id)
        member = reads.member(case.member_id)
        if member is None:
            raise CaseNotFound(req.case_id)
        program = program_for(plan.line_of_business, case.request_type)
        reviewer = _letter_reviewer(reads, ctx.principal, case, req.reviewer_user_id)
        provider = reads.provider(case.requesting_npi)
        fields = LetterFields(
            notice_date=req.notice_date or ctx.today(),
            plan_id=plan.plan_id,
            plan_name=plan.name,
            member_id=member.member_id,
            member_name=f"{member.first_name} {member.last_name}",
            case_id=case.case_id,
            service=service_line(case),
            provider_name=provider.name if provider else "",
            payment=RequestType(case.request_type) is RequestType.post_service,
            reason=req.reason,
            criteria=req.criteria_citations,
            reviewer=reviewer_line(reviewer) if reviewer else "",
            reviewer_user_id=reviewer.user_id if reviewer else None,
            information_needed=req.information_needed,
            effective_date=req.effective_date,
        ).with_contact(plan_contacts().get(plan.plan_id))
        draft = _store_letter(session, ctx, case, plan.line_of_business, program, fields)
        disclose(reads.audit, ctx, ToolName.draft_denial_letter, [draft])
        out = draft_out(session, draft, ctx.zone)
    log.info("draft %s (%s letter v1) by %s", out.draft_id, program, ctx.principal.user_id)
    return out


def _letter_reviewer(
    reads: DisclosingReads, principal: Principal, case: CaseDetail, requested: str | None
) -> StaffRow | None:
    """The clinician the letter names as reviewer: as asked, else the case's or the caller."""
    if requested:
        user = active_clinician(reads, requested)
        if user is None:
            raise InvalidInput(f"reviewer {requested} is not an active clinician")
        return user
    return active_clinician(reads, case.assigned_reviewer) or active_clinician(
        reads, principal.user_id
    )


def _store_letter(
    session: Session,
    ctx: ToolContext,
    case: CaseDetail | Draft,
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
    return store_draft(
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


@tool(ToolName.revise_draft, ReviseDraftInput, DraftOut, discloses=True, agent=True)
def revise_draft(ctx: ToolContext, req: ReviseDraftInput) -> DraftOut:
    """Make a new version of a draft with the changes given (letter: reason, criteria, reviewer,
    information needed, dates; case note: reviewer notes, criteria; or the whole edited text).
    The old version is kept unchanged, including a signed one; the new one is a draft again and
    needs its own clinician signature. Audited."""
    with drafting(ctx) as (reads, session):
        old = load_draft(session, ctx.principal, req.draft_id)
        newer = successor_of(session, old.draft_id)
        if newer:
            raise DraftConflict(
                f"draft {old.draft_id} was already revised as {newer}; revise the latest version"
            )
        if old.kind is DraftKind.case_note:
            new = _revise_case_note(session, ctx, old, req)
        else:
            new = _revise_letter(reads, session, ctx, old, req)
        disclose(reads.audit, ctx, ToolName.revise_draft, [new], supersedes=old.draft_id)
        out = draft_out(session, new, ctx.zone)
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


def _revise_letter(
    reads: DisclosingReads, session: Session, ctx: ToolContext, old: Draft, req: ReviseDraftInput
) -> Draft:
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
        reviewer = active_clinician(reads, req.reviewer_user_id)
        if reviewer is None:
            raise InvalidInput(f"reviewer {req.reviewer_user_id} is not an active clinician")
        changes["reviewer"] = reviewer_line(reviewer)
        changes["reviewer_user_id"] = reviewer.user_id
    fields = LetterFields.model_validate({**fields.model_dump(), **changes})
    return _store_letter(session, ctx, old, old.lob, old.program, fields, previous=old)
