"""Member, case and deadline look-ups: the typed tools, behind the caller's role and audited."""

from datetime import date

from fastapi import APIRouter, Depends, Query

from bot.api.auth import authenticated, require_tool
from bot.api.schemas import DeadlineBody
from bot.api.services import Services, services
from bot.faces.tokens import Caller
from tools.cases import CaseRecord, get_case
from tools.deadlines import DeadlineResult, compute_decision_deadline
from tools.ids import CaseId, MemberId
from tools.members import MemberRecord, lookup_member
from tools.roles import ToolName

router = APIRouter(prefix="/v1", tags=["plan data"])

Purpose = Query(
    None,
    min_length=1,
    max_length=200,
    description="Why you need the record; written to the audit trail with the disclosure",
)
Fields = Query(None, description="Only these fields (minimum necessary); repeat the parameter")
DEADLINE_FIELDS = ["line_of_business", "request_type", "urgency", "received_at", "extension_taken"]


@router.get("/members/{member_id}", response_model=MemberRecord, summary="Look up a member")
def member(
    member_id: MemberId,
    on_date: date | None = Query(None, description="Eligibility on this date (default today)"),
    fields: list[str] | None = Fields,
    purpose: str | None = Purpose,
    caller: Caller = Depends(require_tool(ToolName.lookup_member)),
    svc: Services = Depends(services),
) -> MemberRecord:
    ctx = svc.runtime.tool_context(caller.principal, "api", purpose or "member lookup via API")
    return lookup_member(ctx, {"member_id": member_id, "on_date": on_date, "fields": fields})


@router.get("/cases/{case_id}", response_model=CaseRecord, summary="Get a UM case")
def case(
    case_id: CaseId,
    fields: list[str] | None = Fields,
    purpose: str | None = Purpose,
    caller: Caller = Depends(require_tool(ToolName.get_case)),
    svc: Services = Depends(services),
) -> CaseRecord:
    ctx = svc.runtime.tool_context(caller.principal, "api", purpose or "case lookup via API")
    return get_case(ctx, {"case_id": case_id, "fields": fields})


@router.post("/deadlines", response_model=DeadlineResult, summary="Compute a decision deadline")
def deadline(
    body: DeadlineBody,
    purpose: str | None = Purpose,
    caller: Caller = Depends(authenticated),
    svc: Services = Depends(services),
) -> DeadlineResult:
    ctx = svc.runtime.tool_context(caller.principal, "api", purpose or "deadline via API")
    if body.case_id is None:
        attrs = body.model_dump(exclude={"case_id"})
    else:
        # Only the attributes that set the clock are read (and audited), nothing clinical.
        record = get_case(ctx, {"case_id": body.case_id, "fields": DEADLINE_FIELDS})
        attrs = record.model_dump(include=set(DEADLINE_FIELDS))
    return compute_decision_deadline(ctx, attrs)
