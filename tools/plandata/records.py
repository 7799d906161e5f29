"""The values plan data comes back as, whatever the source: plain frozen records, no ORM rows.

A FHIR or payer-system adapter builds the same records from its own resources, so the tools
above the port never learn where a member came from.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tools.enums import (
    CaseStatus,
    LineOfBusiness,
    NetworkStatus,
    PaymentModel,
    ProviderKind,
    RequestType,
    Urgency,
)
from tools.roles import Role


@dataclass(frozen=True, slots=True)
class MemberRow:
    member_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    sex: str
    phone: str
    email: str
    address_line: str
    city: str
    state: str
    postal_code: str
    preferred_language: str


@dataclass(frozen=True, slots=True)
class MemberName:
    """What a search by name and date of birth may disclose about a candidate."""

    member_id: str
    first_name: str
    last_name: str
    date_of_birth: date


@dataclass(frozen=True, slots=True)
class CoverageSpan:
    """One eligibility span (end inclusive, open when null) with its plan and PCP named."""

    plan_id: str
    start_date: date
    end_date: date | None
    pcp_npi: str | None
    plan_name: str
    line_of_business: LineOfBusiness
    pcp_name: str | None


@dataclass(frozen=True, slots=True)
class OpenCaseRow:
    case_id: str
    status: CaseStatus
    request_type: RequestType
    urgency: Urgency
    received_at: datetime
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case as a worklist shows it."""

    case_id: str
    member_id: str
    plan_id: str
    status: CaseStatus
    request_type: RequestType
    urgency: Urgency
    received_at: datetime
    due_at: datetime | None
    assigned_reviewer: str | None
    service_codes: list[str]


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """One case with the names a case view shows (member, line of business, requester)."""

    case_id: str
    member_id: str
    plan_id: str
    requesting_npi: str
    service_codes: list[str]
    service_description: str
    diagnosis_codes: list[str]
    request_type: RequestType
    urgency: Urgency
    received_at: datetime
    due_at: datetime | None
    extension_taken: bool
    status: CaseStatus
    assigned_reviewer: str | None
    decided_at: datetime | None
    decided_by: str | None
    clinical_notes: str | None
    first_name: str
    last_name: str
    line_of_business: LineOfBusiness
    requesting_provider_name: str


@dataclass(frozen=True, slots=True)
class CaseFilters:
    """A worklist's conditions; unset ones do not filter. received_before is exclusive."""

    assignee: str | None = None
    statuses: tuple[CaseStatus, ...] | None = None
    # Open cases only (used with due_before when no status is given).
    open_only: bool = False
    due_before: datetime | None = None
    member_id: str | None = None
    received_from: datetime | None = None
    received_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class PlanRow:
    plan_id: str
    name: str
    line_of_business: LineOfBusiness
    cms_contract_id: str | None


@dataclass(frozen=True, slots=True)
class ProviderRow:
    npi: str
    name: str
    kind: ProviderKind
    specialty: str
    city: str
    state: str
    phone: str


@dataclass(frozen=True, slots=True)
class NetworkSpanRow:
    npi: str
    plan_id: str
    status: NetworkStatus
    start_date: date
    end_date: date | None


@dataclass(frozen=True, slots=True)
class ContractRow:
    contract_id: str
    plan_id: str
    npi: str
    doc_id: str
    payment_model: PaymentModel
    effective_date: date
    end_date: date | None
    timely_filing_days: int
    admission_notification_business_days: int | None
    prior_auth_required: bool
    delegated_um: bool
    terms: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StaffRow:
    user_id: str
    role: Role
    display_name: str
    credentials: str | None
    active: bool
