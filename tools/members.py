"""Member tools: look a member up by id, or find candidates by name and date of birth."""

import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools import audit
from tools.catalogue import tool
from tools.context import ToolContext
from tools.enums import CaseStatus, LineOfBusiness, RequestType, Urgency
from tools.errors import InvalidInput, MemberNotFound
from tools.ids import MemberId, PersonName
from tools.plandata import PlanReads
from tools.plandata.records import MemberRow
from tools.roles import Resource, ToolName, visible_fields

log = logging.getLogger(__name__)


class LookupMemberInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: MemberId = Field(description="Member id: M followed by 7 digits, e.g. M1000001")
    on_date: date | None = Field(
        None, description="Date to check eligibility on (YYYY-MM-DD); today if omitted"
    )
    fields: list[str] | None = Field(
        None,
        description="Only these fields (minimum necessary); every field your role may see if "
        "omitted",
    )


class OpenCase(BaseModel):
    case_id: str
    status: CaseStatus
    request_type: RequestType
    urgency: Urgency
    received_at: datetime
    due_at: datetime | None


class MemberRecord(BaseModel):
    """A member as one role may see them. Fields the role may not see are null and listed in
    withheld_fields; fields that are simply empty are null and not listed."""

    member_id: str
    as_of: date
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    phone: str | None = None
    email: str | None = None
    address_line: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    preferred_language: str | None = None
    plan_id: str | None = None
    plan_name: str | None = None
    line_of_business: LineOfBusiness | None = None
    eligible: bool | None = None
    coverage_start: date | None = None
    coverage_end: date | None = None
    pcp_npi: str | None = None
    pcp_name: str | None = None
    open_cases: list[OpenCase] | None = None
    withheld_fields: list[str] = Field(default_factory=list)


def pick_span(spans: Sequence[Any], on: date) -> tuple[Any | None, bool]:
    """The span covering `on`; else the latest one before it; else the first after it."""
    covering = [s for s in spans if s.start_date <= on and (s.end_date is None or s.end_date >= on)]
    if covering:
        return max(covering, key=lambda s: s.start_date), True
    before = [s for s in spans if s.start_date <= on]
    if before:
        return max(before, key=lambda s: s.start_date), False
    return (min(spans, key=lambda s: s.start_date) if spans else None), False


DEMOGRAPHIC_AND_CONTACT = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "address_line",
    "city",
    "state",
    "postal_code",
    "preferred_language",
)
COVERAGE_FIELDS = frozenset(
    {
        "plan_id",
        "plan_name",
        "line_of_business",
        "eligible",
        "coverage_start",
        "coverage_end",
        "pcp_npi",
        "pcp_name",
    }
)


def _member_values(
    reads: PlanReads, member: MemberRow, on: date, wanted: frozenset[str]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(member, name) for name in DEMOGRAPHIC_AND_CONTACT if name in wanted
    }
    if wanted & COVERAGE_FIELDS:
        span, eligible = pick_span(reads.coverage(member.member_id), on)
        values.update(
            plan_id=span.plan_id if span else None,
            plan_name=span.plan_name if span else None,
            line_of_business=span.line_of_business if span else None,
            eligible=eligible,
            coverage_start=span.start_date if span else None,
            coverage_end=span.end_date if span else None,
            pcp_npi=span.pcp_npi if span and eligible else None,
            pcp_name=span.pcp_name if span and eligible else None,
        )
    if "open_cases" in wanted:
        values["open_cases"] = [
            OpenCase.model_validate(c, from_attributes=True)
            for c in reads.open_cases(member.member_id)
        ]
    return {k: v for k, v in values.items() if k in wanted}


@tool(ToolName.lookup_member, LookupMemberInput, MemberRecord, discloses=True, agent=True)
def lookup_member(ctx: ToolContext, req: LookupMemberInput) -> MemberRecord:
    """Look up one member by member id: plan, line of business, eligibility on a date, primary
    care provider and open UM cases. Which fields come back depends on your role (minimum
    necessary); ask only for the fields you need. Every call is recorded in the audit trail."""
    wanted = visible_fields(ctx.principal, Resource.member, req.fields)
    on = req.on_date or ctx.today()
    with ctx.plandata.disclosing() as reads:
        member = reads.member(req.member_id)
        if member is None:
            raise MemberNotFound(req.member_id)
        values = _member_values(reads, member, on, wanted)
        returned = sorted(wanted)
        audit.record_call(
            reads.audit,
            ctx,
            ToolName.lookup_member,
            [audit.Disclosure(member_id=member.member_id, fields=returned)],
        )
    withheld = sorted(
        set(MemberRecord.model_fields) - {"member_id", "as_of", "withheld_fields"} - wanted
    )
    # Which member was read is in the audit trail; application logs carry no member ids.
    log.debug("lookup_member by %s: %d field(s)", ctx.principal.user_id, len(returned))
    return MemberRecord(member_id=member.member_id, as_of=on, withheld_fields=withheld, **values)


class FindMembersInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: PersonName = Field(
        description="The member's name or part of it, e.g. 'Alpha Testperson' or 'Testperson'"
    )
    date_of_birth: date = Field(description="Date of birth, YYYY-MM-DD")
    limit: int = Field(10, ge=1, le=25, description="At most this many candidates")


class MemberCandidate(BaseModel):
    member_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    plan_id: str | None = Field(description="Plan covering the member today, if any")


class MemberCandidates(BaseModel):
    candidates: list[MemberCandidate]
    truncated: bool = Field(description="More members matched than were returned")


CANDIDATE_FIELDS = ("member_id", "first_name", "last_name", "date_of_birth", "plan_id")


def name_matches(query: str, first: str, last: str) -> bool:
    """Every word of the query starts a word of the member's name (case-insensitive)."""
    have = f"{first} {last}".casefold().replace("-", " ").split()
    return all(
        any(h.startswith(q) for h in have) for q in query.casefold().replace("-", " ").split()
    )


@tool(ToolName.find_members, FindMembersInput, MemberCandidates, discloses=True, agent=True)
def find_members(ctx: ToolContext, req: FindMembersInput) -> MemberCandidates:
    """Find members by name and date of birth, to get a member id. Returns only id, name, date
    of birth and current plan for each candidate; use lookup_member for more. Every candidate
    returned is recorded in the audit trail."""
    today = ctx.today()
    if req.date_of_birth > today:
        raise InvalidInput(f"date_of_birth {req.date_of_birth} is in the future")
    with ctx.plandata.disclosing() as reads:
        # Date of birth is indexed and selective; names are compared here, where prefix and
        # case rules are plain Python rather than dialect-specific LIKE escaping.
        born = reads.members_born_on(req.date_of_birth)
        matches = [m for m in born if name_matches(req.name, m.first_name, m.last_name)]
        shown = matches[: req.limit]
        plans = reads.plans_on([m.member_id for m in shown], today)
        candidates = [
            MemberCandidate(
                member_id=m.member_id,
                first_name=m.first_name,
                last_name=m.last_name,
                date_of_birth=m.date_of_birth,
                plan_id=plans.get(m.member_id),
            )
            for m in shown
        ]
        detail = {"results": len(candidates)}
        disclosures = [
            audit.Disclosure(member_id=c.member_id, fields=CANDIDATE_FIELDS, detail=detail)
            for c in candidates
        ] or [audit.Disclosure(fields=(), detail=detail)]
        audit.record_call(reads.audit, ctx, ToolName.find_members, disclosures)
    log.info("find_members by %s: %d candidate(s)", ctx.principal.user_id, len(candidates))
    return MemberCandidates(candidates=candidates, truncated=len(matches) > len(shown))
