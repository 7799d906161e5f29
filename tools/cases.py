"""Case tools: one UM case by id, or a worklist filtered by assignee, status or due time."""

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tools import audit
from tools.catalogue import tool
from tools.context import ToolContext
from tools.deadlines import AwareDatetime
from tools.enums import OPEN_STATUSES, CaseStatus, LineOfBusiness, RequestType, Urgency
from tools.errors import CaseNotFound, InvalidInput
from tools.ids import CaseId, MemberId, ordered, user_id
from tools.plandata.records import CaseDetail, CaseFilters
from tools.roles import Resource, ToolName, visible_fields

log = logging.getLogger(__name__)


class GetCaseInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId = Field(description="Case id: C followed by 7 digits, e.g. C2000001")
    fields: list[str] | None = Field(
        None,
        description="Only these fields (minimum necessary); every field your role may see if "
        "omitted",
    )


class CaseRecord(BaseModel):
    """A UM case as one role may see it. Fields the role may not see are null and listed in
    withheld_fields."""

    case_id: str
    member_id: str | None = None
    member_name: str | None = None
    plan_id: str | None = None
    line_of_business: LineOfBusiness | None = None
    requesting_npi: str | None = None
    requesting_provider_name: str | None = None
    service_codes: list[str] | None = None
    service_description: str | None = None
    diagnosis_codes: list[str] | None = None
    request_type: RequestType | None = None
    urgency: Urgency | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    overdue: bool | None = Field(None, description="Open and past due_at (shown with due_at)")
    extension_taken: bool | None = None
    status: CaseStatus | None = None
    assigned_reviewer: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    clinical_notes: str | None = None
    withheld_fields: list[str] = Field(default_factory=list)


def is_overdue(case: Any, now: datetime) -> bool | None:
    if case.due_at is None:
        return None
    return case.status in OPEN_STATUSES and case.due_at < now


CASE_COLUMNS = (
    "member_id",
    "plan_id",
    "requesting_npi",
    "service_codes",
    "service_description",
    "diagnosis_codes",
    "request_type",
    "urgency",
    "received_at",
    "due_at",
    "extension_taken",
    "status",
    "assigned_reviewer",
    "decided_at",
    "decided_by",
    "clinical_notes",
)


def _case_values(row: CaseDetail, wanted: frozenset[str], now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(row, name) for name in CASE_COLUMNS if name in wanted}
    if "due_at" in wanted:
        values["overdue"] = is_overdue(row, now)
    if "member_name" in wanted:
        values["member_name"] = f"{row.first_name} {row.last_name}"
    if "line_of_business" in wanted:
        values["line_of_business"] = row.line_of_business
    if "requesting_provider_name" in wanted:
        values["requesting_provider_name"] = row.requesting_provider_name
    return values


@tool(ToolName.get_case, GetCaseInput, CaseRecord, discloses=True, agent=True)
def get_case(ctx: ToolContext, req: GetCaseInput) -> CaseRecord:
    """Get one UM case by case id: member, requesting provider, service and diagnosis codes,
    request type, urgency, receipt time, decision due time, status, reviewer and (for reviewers
    and clinicians only) the clinical notes provided. Fields depend on your role; every call is
    recorded in the audit trail."""
    wanted = visible_fields(ctx.principal, Resource.case, req.fields)
    now = ctx.now()
    with ctx.plandata.disclosing() as reads:
        case = reads.case(req.case_id)
        if case is None:
            raise CaseNotFound(req.case_id)
        values = _case_values(case, wanted, now)
        audit.record_call(
            reads.audit,
            ctx,
            ToolName.get_case,
            [audit.Disclosure(member_id=case.member_id, case_id=case.case_id, fields=wanted)],
            at=now,
        )
    withheld = sorted(
        set(CaseRecord.model_fields) - {"case_id", "overdue", "withheld_fields"} - wanted
    )
    # Which case was read is in the audit trail; application logs carry no case ids.
    log.debug("get_case by %s: %d field(s)", ctx.principal.user_id, len(wanted))
    return CaseRecord(case_id=case.case_id, withheld_fields=withheld, **values)


SUMMARY_FIELDS = frozenset(
    {
        "case_id",
        "member_id",
        "plan_id",
        "status",
        "request_type",
        "urgency",
        "received_at",
        "due_at",
        "assigned_reviewer",
        "service_codes",
    }
)
MAX_LIST = 200


class ListCasesInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: str | None = Field(
        None, description="Reviewer user id, e.g. ur.blake, or 'me' for your own cases"
    )
    status: list[CaseStatus] | None = Field(
        None,
        description="Only cases in these statuses: received, in_review, pended_info, "
        "decision_pending_clinician, approved, denied, withdrawn",
    )
    due_before: AwareDatetime | None = Field(
        None,
        description="Only cases whose decision is due before this time (with offset); open "
        "cases only unless status is given",
    )
    member_id: MemberId | None = Field(None, description="Only this member's cases")
    received_from: date | None = Field(None, description="Received on or after this date")
    received_to: date | None = Field(None, description="Received on or before this date")
    limit: int = Field(50, ge=1, le=MAX_LIST)

    @field_validator("status", mode="before")
    @classmethod
    def _one_status(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("assignee")
    @classmethod
    def _assignee(cls, value: str | None) -> str | None:
        return None if value is None else user_id(value)

    @model_validator(mode="after")
    def _some_filter(self) -> "ListCasesInput":
        if not (
            self.assignee
            or self.status
            or self.due_before
            or self.member_id
            or self.received_from
            or self.received_to
        ):
            raise InvalidInput(
                "give at least one filter (assignee, status, due_before, member_id or received "
                "dates): listing every case is more than any task needs"
            )
        if self.received_from and self.received_to:
            ordered(self.received_from, self.received_to, "received date range")
        return self


class CaseSummary(BaseModel):
    case_id: str
    member_id: str | None = None
    plan_id: str | None = None
    status: CaseStatus | None = None
    request_type: RequestType | None = None
    urgency: Urgency | None = None
    received_at: datetime | None = None
    due_at: datetime | None = None
    overdue: bool | None = None
    assigned_reviewer: str | None = None
    service_codes: list[str] | None = None


class CaseList(BaseModel):
    cases: list[CaseSummary]
    total_matching: int
    truncated: bool


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


@tool(ToolName.list_cases, ListCasesInput, CaseList, discloses=True, agent=True)
def list_cases(ctx: ToolContext, req: ListCasesInput) -> CaseList:
    """List UM cases by assignee ('me' for your own), status, decision due before a time,
    member or receipt dates; at least one filter is required. Sorted by due time, soonest
    first; overdue open cases are flagged. Every case returned is recorded in the audit
    trail."""
    wanted = visible_fields(ctx.principal, Resource.case) & SUMMARY_FIELDS
    now = ctx.now()
    assignee = ctx.principal.user_id if req.assignee == "me" else req.assignee
    filters = CaseFilters(
        assignee=assignee,
        statuses=tuple(req.status) if req.status else None,
        open_only=bool(req.due_before and not req.status),
        due_before=req.due_before,
        member_id=req.member_id,
        received_from=_day_start(req.received_from, ctx.zone) if req.received_from else None,
        received_before=(
            _day_start(req.received_to + timedelta(days=1), ctx.zone) if req.received_to else None
        ),
    )
    with ctx.plandata.disclosing() as reads:
        total = reads.count_cases(filters)
        rows = reads.cases(filters, req.limit)
        summaries = [
            CaseSummary(
                case_id=c.case_id,
                **{k: getattr(c, k) for k in wanted - {"case_id"}},
                overdue=is_overdue(c, now) if "due_at" in wanted else None,
            )
            for c in rows
        ]
        detail = {"results": len(rows), "filters": _filter_names(req)}
        disclosures = [
            audit.Disclosure(member_id=c.member_id, case_id=c.case_id, fields=wanted, detail=detail)
            for c in rows
        ] or [audit.Disclosure(fields=(), detail=detail)]
        audit.record_call(reads.audit, ctx, ToolName.list_cases, disclosures, at=now)
    log.info("list_cases by %s: %d of %d", ctx.principal.user_id, len(rows), total)
    return CaseList(cases=summaries, total_matching=total, truncated=total > len(rows))


def _filter_names(req: ListCasesInput) -> list[str]:
    """Which filters were used (not their values: a member id filter is recorded per row)."""
    names = ("assignee", "status", "due_before", "member_id", "received_from", "received_to")
    return [n for n in names if getattr(req, n)]
