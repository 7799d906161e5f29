"""Who may call which tool and see which fields: minimum necessary in one table.

45 CFR 164.502(b) and 164.514(d) ask for role-based access limited to the PHI each role needs.
ACCESS below is the single place that says so; tools ask `require_tool` and `visible_fields`
and never decide access themselves.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from tools.errors import InvalidInput, PermissionDenied

log = logging.getLogger(__name__)


class Role(StrEnum):
    case_manager = "case_manager"
    um_reviewer = "um_reviewer"
    clinician = "clinician"
    compliance = "compliance"
    admin = "admin"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as the face (CLI, API, Slack) established it."""

    user_id: str
    role: Role
    display_name: str = ""
    credentials: str | None = None


class ToolName(StrEnum):
    lookup_member = "lookup_member"
    find_members = "find_members"
    get_case = "get_case"
    list_cases = "list_cases"
    check_network_status = "check_network_status"
    get_contract_terms = "get_contract_terms"
    compute_decision_deadline = "compute_decision_deadline"
    find_criteria = "find_criteria"
    audit_verify = "audit_verify"
    audit_export = "audit_export"
    draft_case_note = "draft_case_note"
    draft_denial_letter = "draft_denial_letter"
    get_draft = "get_draft"
    list_drafts = "list_drafts"
    revise_draft = "revise_draft"
    sign_draft = "sign_draft"
    report_cms_0057_f = "report_cms_0057_f"
    report_um = "report_um"


class Resource(StrEnum):
    member = "member"
    case = "case"


# Field groups, named so the table reads as policy rather than column lists.
MEMBER_IDS = frozenset({"member_id"})
MEMBER_DEMOGRAPHICS = frozenset({"first_name", "last_name", "date_of_birth", "sex"})
MEMBER_CONTACT = frozenset(
    {"phone", "email", "address_line", "city", "state", "postal_code", "preferred_language"}
)
MEMBER_ELIGIBILITY = frozenset(
    {"plan_id", "plan_name", "line_of_business", "eligible", "coverage_start", "coverage_end"}
)
MEMBER_PCP = frozenset({"pcp_npi", "pcp_name"})
MEMBER_CASES = frozenset({"open_cases"})
MEMBER_FIELDS = (
    MEMBER_IDS
    | MEMBER_DEMOGRAPHICS
    | MEMBER_CONTACT
    | MEMBER_ELIGIBILITY
    | MEMBER_PCP
    | MEMBER_CASES
)

CASE_TRACKING = frozenset(
    {
        "case_id",
        "member_id",
        "plan_id",
        "line_of_business",
        "request_type",
        "urgency",
        "received_at",
        "due_at",
        "extension_taken",
        "status",
        "assigned_reviewer",
        "decided_at",
        "decided_by",
    }
)
CASE_SERVICE = frozenset(
    {"requesting_npi", "requesting_provider_name", "service_codes", "service_description"}
)
CASE_MEMBER_NAME = frozenset({"member_name"})
CASE_DIAGNOSIS = frozenset({"diagnosis_codes"})
CASE_CLINICAL = frozenset({"clinical_notes"})
CASE_FIELDS = CASE_TRACKING | CASE_SERVICE | CASE_MEMBER_NAME | CASE_DIAGNOSIS | CASE_CLINICAL

# Tools every role may call. Whether a tool discloses member or case data is declared with the
# tool (tools.catalogue), which refuses to load if a role without data fields may call one.
EVERY_ROLE = frozenset(
    {
        ToolName.check_network_status,
        ToolName.compute_decision_deadline,
        ToolName.find_criteria,
    }
)

# Reports are aggregates (counts, rates, times); the case ids of inconsistent records they list
# follow the case_id field grant, so admin sees counts only.
REPORT_TOOLS = frozenset({ToolName.report_cms_0057_f, ToolName.report_um})

# Drafting reads the clinical record, so it goes with the reviewer grants; signing is a
# clinician's act alone (tools.signoff also checks the role itself).
DRAFT_TOOLS = frozenset(
    {
        ToolName.draft_case_note,
        ToolName.draft_denial_letter,
        ToolName.get_draft,
        ToolName.list_drafts,
        ToolName.revise_draft,
    }
)


@dataclass(frozen=True)
class Grant:
    tools: frozenset[ToolName]
    member_fields: frozenset[str]
    case_fields: frozenset[str]

    def fields(self, resource: Resource) -> frozenset[str]:
        return self.member_fields if resource is Resource.member else self.case_fields


ACCESS: dict[Role, Grant] = {
    # Coordinates care: reaches the member, sees coverage, PCP and which cases are open.
    # Never the clinical notes.
    Role.case_manager: Grant(
        tools=EVERY_ROLE
        | {ToolName.lookup_member, ToolName.find_members, ToolName.get_case, ToolName.list_cases},
        member_fields=MEMBER_FIELDS,
        case_fields=CASE_TRACKING | CASE_SERVICE | CASE_MEMBER_NAME | CASE_DIAGNOSIS,
    ),
    # Reviews requests against criteria: needs the clinical record of the case, and the
    # contract (delegation, notification terms), but not the member's contact details.
    Role.um_reviewer: Grant(
        tools=EVERY_ROLE
        | DRAFT_TOOLS
        | {
            ToolName.lookup_member,
            ToolName.find_members,
            ToolName.get_case,
            ToolName.list_cases,
            ToolName.get_contract_terms,
            ToolName.report_um,
        },
        member_fields=MEMBER_IDS
        | MEMBER_DEMOGRAPHICS
        | MEMBER_ELIGIBILITY
        | MEMBER_PCP
        | MEMBER_CASES,
        case_fields=CASE_FIELDS,
    ),
    Role.clinician: Grant(
        tools=EVERY_ROLE
        | DRAFT_TOOLS
        | {
            ToolName.sign_draft,
            ToolName.lookup_member,
            ToolName.find_members,
            ToolName.get_case,
            ToolName.list_cases,
            ToolName.get_contract_terms,
        },
        member_fields=MEMBER_IDS
        | MEMBER_DEMOGRAPHICS
        | MEMBER_ELIGIBILITY
        | MEMBER_PCP
        | MEMBER_CASES,
        case_fields=CASE_FIELDS,
    ),
    # Audits timeliness and access: ids, dates, statuses and the audit trail; no clinical
    # notes, no diagnoses, no demographics, and no searching members by name.
    Role.compliance: Grant(
        tools=EVERY_ROLE
        | REPORT_TOOLS
        | {
            ToolName.lookup_member,
            ToolName.get_case,
            ToolName.list_cases,
            ToolName.get_contract_terms,
            ToolName.audit_verify,
            ToolName.audit_export,
        },
        member_fields=MEMBER_IDS | MEMBER_ELIGIBILITY | MEMBER_CASES,
        case_fields=CASE_TRACKING | (CASE_SERVICE - {"requesting_provider_name"}),
    ),
    # Runs the system (users, integrity checks); no member or case data at all.
    Role.admin: Grant(
        tools=EVERY_ROLE | REPORT_TOOLS | {ToolName.audit_verify},
        member_fields=frozenset(),
        case_fields=frozenset(),
    ),
}


def grant_for(principal: Principal) -> Grant:
    return ACCESS[Role(principal.role)]


def may_see_member_data(role: Role) -> bool:
    """Whether the role's grant shows anything of a member or case beyond the member id."""
    grant = ACCESS[Role(role)]
    return bool(grant.member_fields - MEMBER_IDS or grant.case_fields)


def can_call(principal: Principal, tool: ToolName) -> bool:
    return tool in grant_for(principal).tools


def require_tool(principal: Principal, tool: ToolName) -> None:
    if not can_call(principal, tool):
        # Ids only: who tried what. Refused calls disclose nothing, so they are logged, not
        # written to the disclosure audit trail.
        log.warning(
            "permission denied: %s (%s) may not use %s",
            principal.user_id,
            Role(principal.role).value,
            tool.value,
        )
        raise PermissionDenied(
            f"role {Role(principal.role).value} may not use {tool.value} (minimum necessary, "
            "45 CFR 164.502(b)); ask a colleague whose role covers it"
        )


def visible_fields(
    principal: Principal, resource: Resource, requested: Iterable[str] | None = None
) -> frozenset[str]:
    """The fields to return: all the role may see, or the requested subset of them.

    Asking for a field the role may not see is refused outright rather than silently dropped,
    so the caller learns the request was outside its role.
    """
    universe = MEMBER_FIELDS if resource is Resource.member else CASE_FIELDS
    allowed = grant_for(principal).fields(resource)
    if requested is None:
        return allowed
    wanted = frozenset(requested)
    unknown = sorted(wanted - universe)
    if unknown:
        raise InvalidInput(
            f"unknown {resource.value} field(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(universe))}"
        )
    refused = sorted(wanted - allowed)
    if refused:
        log.warning(
            "permission denied: %s (%s) asked for %s field(s) %s",
            principal.user_id,
            Role(principal.role).value,
            resource.value,
            ",".join(refused),
        )
        raise PermissionDenied(
            f"role {Role(principal.role).value} may not see {resource.value} field(s) "
            f"{', '.join(refused)} (minimum necessary, 45 CFR 164.514(d))"
        )
    # The id always travels with a record so the audit and the reader know whose it is.
    ids = frozenset({"member_id"}) if resource is Resource.member else frozenset({"case_id"})
    return wanted | (ids & allowed)
