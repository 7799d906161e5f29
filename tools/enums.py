"""Vocabularies shared by the store, the tools and the deadline engine.

Values are stored as text (with CHECK constraints) so the same schema works on SQLite and
PostgreSQL and a new value is a migration, never a silent typo.
"""

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from retrieval import LineOfBusiness

# One vocabulary with retrieval's documents. A document may govern `all` lines of business; a
# plan, member, case or request belongs to exactly one of the others.
PLAN_LINES: tuple[LineOfBusiness, ...] = tuple(
    lob for lob in LineOfBusiness if lob is not LineOfBusiness.all
)


def _one_plan_line(value: LineOfBusiness) -> LineOfBusiness:
    if value is LineOfBusiness.all:
        raise ValueError("Input should be " + ", ".join(f"'{lob}'" for lob in PLAN_LINES))
    return value


PlanLine = Annotated[
    LineOfBusiness,
    AfterValidator(_one_plan_line),
    WithJsonSchema({"type": "string", "enum": [lob.value for lob in PLAN_LINES]}),
]


class RequestType(StrEnum):
    pre_service = "pre_service"
    concurrent = "concurrent"
    post_service = "post_service"
    part_b_drug = "part_b_drug"


class Urgency(StrEnum):
    standard = "standard"
    expedited = "expedited"


class CaseStatus(StrEnum):
    received = "received"
    in_review = "in_review"
    pended_info = "pended_info"
    decision_pending_clinician = "decision_pending_clinician"
    approved = "approved"
    denied = "denied"
    withdrawn = "withdrawn"


OPEN_STATUSES = frozenset(
    {
        CaseStatus.received,
        CaseStatus.in_review,
        CaseStatus.pended_info,
        CaseStatus.decision_pending_clinician,
    }
)


class PaymentModel(StrEnum):
    per_diem = "per_diem"
    drg = "drg"
    fee_schedule = "fee_schedule"
    capitation = "capitation"
    shared_savings = "shared_savings"


class NetworkStatus(StrEnum):
    in_network = "in_network"
    out_of_network = "out_of_network"


class ProviderKind(StrEnum):
    individual = "individual"
    organization = "organization"


class Determination(StrEnum):
    """The decision a clinician recorded; a partial approval approves part of what was asked."""

    approved = "approved"
    partially_approved = "partially_approved"
    denied = "denied"


class ExtensionBy(StrEnum):
    """Who asked for a timeframe extension: the member (enrollee) or the plan."""

    member = "member"
    plan = "plan"


class AppealOutcome(StrEnum):
    upheld = "upheld"
    overturned = "overturned"
