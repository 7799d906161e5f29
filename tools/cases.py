"""Case tools: one UM case by id, or a worklist filtered by assignee, status or due time."""

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tools import audit
from tools.context import ToolContext, parse_input
from tools.deadlines import AwareDatetime, due_date
from tools.enums import OPEN_STATUSES, CaseStatus, LineOfBusiness, RequestType, Urgency
from tools.errors import CaseNotFound, DeadlineRuleNotFound, InvalidInput
from tools.ids import CaseId, MemberId, ordered, user_id
from tools.models import OPEN_ONLY_SQL, Case, Member, Plan, Provider
from tools.roles import Resource, ToolName, require_tool, visible_fields

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
# Built once (see tools.members): one indexed read with the names a case view shows.
CASE_DETAIL = (
    sa.select(
        Case.__table__,
        Member.first_name,
        Member.last_name,
        Plan.line_of_business,
        Provider.name.label("requesting_provider_name"),
    )
    .join(Member, Member.member_id == Case.member_id)
    .join(Plan, Plan.plan_id == Case.plan_id)
    .join(Provider, Provider.npi == Case.requesting_npi)
    .where(Case.case_id == sa.bindparam("case_id"))
)


def _case_values(row: Any, wanted: frozenset[str], now: datetime) -> dict:
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


def get_case(ctx: ToolContext, request: GetCaseInput | Mapping[str, Any]) -> CaseRecord:
    """Get one UM case by case id: member, requesting provider, service and diagnosis codes,
    request type, urgency, receipt time, decision due time, status, reviewer and (for reviewers
    and clinicians only) the clinical notes provided. Fields depend on your role; every call is
    recorded in the audit trail."""
    require_tool(ctx.principal, ToolName.get_case)
    req = parse_input(GetCaseInput, request)
    wanted = visible_fields(ctx.principal, Resource.case, req.fields)
    now = ctx.now()
    with ctx.db.begin() as conn:
        case = conn.execute(CASE_DETAIL, {"case_id": req.case_id}).first()
        if case is None:
            raise CaseNotFound(req.case_id)
        values = _case_values(case, wanted, now)
        audit.record(
            conn,
            principal=ctx.principal,
            tool=ToolName.get_case,
            channel=ctx.channel,
            purpose=ctx.purpose,
            disclosures=[
                audit.Disclosure(member_id=case.member_id, case_id=case.case_id, fields=wanted)
            ],
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


def list_cases(ctx: ToolContext, request: ListCasesInput | Mapping[str, Any]) -> CaseList:
    """List UM cases by assignee ('me' for your own), status, decision due before a time,
    member or receipt dates; at least one filter is required. Sorted by due time, soonest
    first; overdue open cases are flagged. Every case returned is recorded in the audit
    trail."""
    require_tool(ctx.principal, ToolName.list_cases)
    req = parse_input(ListCasesInput, request)
    wanted = visible_fields(ctx.principal, Resource.case) & SUMMARY_FIELDS
    now = ctx.now()
    assignee = ctx.principal.user_id if req.assignee == "me" else req.assignee
    params: dict[str, Any] = {"limit": req.limit}
    if assignee:
        params["assignee"] = assignee
    if req.status:
        params["statuses"] = list(req.status)
    elif req.due_before:
        params["open_only"] = True
    if req.due_before:
        params["due_before"] = req.due_before
    if req.member_id:
        params["member_id"] = req.member_id
    if req.received_from:
        params["received_from"] = _day_start(req.received_from, ctx.zone)
    if req.received_to:
        params["received_before"] = _day_start(req.received_to + timedelta(days=1), ctx.zone)
    count, dated, undated = _list_statements(frozenset(params) - {"limit"})
    params.pop("open_only", None)
    with ctx.db.begin() as conn:
        total = conn.execute(count, params).scalar_one()
        rows = conn.execute(dated, params).all()
        if len(rows) < req.limit and "due_before" not in params:
            rows += conn.execute(undated, {**params, "limit": req.limit - len(rows)}).all()
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
        audit.record(
            conn,
            principal=ctx.principal,
            tool=ToolName.list_cases,
            channel=ctx.channel,
            purpose=ctx.purpose,
            disclosures=disclosures,
            at=now,
        )
    log.info("list_cases by %s: %d of %d", ctx.principal.user_id, len(rows), total)
    return CaseList(cases=summaries, total_matching=total or 0, truncated=(total or 0) > len(rows))


SUMMARY_COLUMNS = (
    Case.case_id,
    Case.member_id,
    Case.plan_id,
    Case.status,
    Case.request_type,
    Case.urgency,
    Case.received_at,
    Case.due_at,
    Case.assigned_reviewer,
    Case.service_codes,
)
FILTERS: dict[str, Callable[[], sa.ColumnElement[bool]]] = {
    "assignee": lambda: Case.assigned_reviewer == sa.bindparam("assignee"),
    "statuses": lambda: Case.status.in_(sa.bindparam("statuses", expanding=True)),
    # Literal, not bound: SQLite uses the partial index only when the query repeats its WHERE.
    "open_only": lambda: sa.text(OPEN_ONLY_SQL),
    "due_before": lambda: Case.due_at < sa.bindparam("due_before"),
    "member_id": lambda: Case.member_id == sa.bindparam("member_id"),
    "received_from": lambda: Case.received_at >= sa.bindparam("received_from"),
    "received_before": lambda: Case.received_at < sa.bindparam("received_before"),
}


@lru_cache(maxsize=64)
def _list_statements(used: frozenset[str]) -> tuple[sa.Select[Any], sa.Select[Any], sa.Select[Any]]:
    """Count, dated-page and undated-page statements for one combination of filters, built once.

    Cases with a due time come first, soonest first; cases without one (no verified rule) follow
    by receipt. Two pages rather than one ORDER BY "due_at IS NULL, due_at": that expression
    defeats the due_at indexes, and a worklist would sort every matching case to show 50.
    """
    conditions = [FILTERS[name]() for name in sorted(used)]
    count = sa.select(sa.func.count()).select_from(Case).where(*conditions)
    limit = sa.bindparam("limit", type_=sa.Integer)
    dated = (
        sa.select(*SUMMARY_COLUMNS)
        .where(*conditions, Case.due_at.is_not(None))
        .order_by(Case.due_at, Case.received_at, Case.case_id)
        .limit(limit)
    )
    undated = (
        sa.select(*SUMMARY_COLUMNS)
        .where(*conditions, Case.due_at.is_(None))
        .order_by(Case.received_at, Case.case_id)
        .limit(limit)
    )
    return count, dated, undated


def _filter_names(req: ListCasesInput) -> list[str]:
    """Which filters were used (not their values: a member id filter is recorded per row)."""
    names = ("assignee", "status", "due_before", "member_id", "received_from", "received_to")
    return [n for n in names if getattr(req, n)]


def refresh_due_at(case: Case, lob: LineOfBusiness, zone: ZoneInfo) -> None:
    """Recompute the stored deadline; null where no verified rule exists for the request."""
    try:
        case.due_at = due_date(
            lob, case.request_type, case.urgency, case.received_at, case.extension_taken, zone
        ).due_at.astimezone(UTC)
    except DeadlineRuleNotFound:
        case.due_at = None
