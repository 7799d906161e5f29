"""Minimum necessary: which role may call which tool and see which fields (45 CFR 164.502(b))."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel

from tests.tools_support import (
    FakeSearcher,
    a_member,
    agent_tools,
    audit_count,
    context,
    first_id,
    make_store,
)
from tools.audit import verify
from tools.catalogue import catalogue
from tools.db import Database
from tools.errors import InvalidInput, PermissionDenied
from tools.models import AuditRecord, Case, Provider
from tools.roles import (
    ACCESS,
    CASE_FIELDS,
    MEMBER_FIELDS,
    Principal,
    Resource,
    Role,
    ToolName,
    require_tool,
    visible_fields,
)

CM, UR, CL, CO, AD = (
    Role.case_manager,
    Role.um_reviewer,
    Role.clinician,
    Role.compliance,
    Role.admin,
)
# The policy, written out independently of tools.roles.ACCESS so a change there must be made
# deliberately in both places.
ALLOWED: dict[ToolName, set[Role]] = {
    ToolName.lookup_member: {CM, UR, CL, CO},
    ToolName.find_members: {CM, UR, CL},
    ToolName.get_case: {CM, UR, CL, CO},
    ToolName.list_cases: {CM, UR, CL, CO},
    ToolName.check_network_status: {CM, UR, CL, CO, AD},
    ToolName.get_contract_terms: {UR, CL, CO},
    ToolName.compute_decision_deadline: {CM, UR, CL, CO, AD},
    ToolName.find_criteria: {CM, UR, CL, CO, AD},
    ToolName.audit_verify: {CO, AD},
    ToolName.audit_export: {CO},
    ToolName.draft_case_note: {UR, CL},
    ToolName.draft_denial_letter: {UR, CL},
    ToolName.get_draft: {UR, CL},
    ToolName.list_drafts: {UR, CL},
    ToolName.revise_draft: {UR, CL},
    ToolName.sign_draft: {CL},
}
PHI_TOOLS = {ToolName.lookup_member, ToolName.find_members, ToolName.get_case, ToolName.list_cases}
# The tools of the plan data that run on any store with one valid input each (valid_inputs).
PLAN_DATA_TOOLS = [
    s
    for s in catalogue().specs
    if s.name in PHI_TOOLS
    or s.name
    in {
        ToolName.check_network_status,
        ToolName.get_contract_terms,
        ToolName.compute_decision_deadline,
        ToolName.find_criteria,
    }
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    store = make_store(f"sqlite:///{tmp_path_factory.mktemp('roles')}/roles.db")
    yield store
    store.dispose()


def valid_inputs(db: Database) -> dict[ToolName, dict[str, Any]]:
    member = a_member(db)
    hospital = first_id(db, Provider.npi, Provider.name == "Synthetic General Hospital")
    return {
        ToolName.lookup_member: {"member_id": member.member_id},
        ToolName.find_members: {
            "name": member.last_name,
            "date_of_birth": member.date_of_birth.isoformat(),
        },
        ToolName.get_case: {"case_id": first_id(db, Case.case_id)},
        ToolName.list_cases: {"status": ["in_review"]},
        ToolName.check_network_status: {"npi": hospital, "plan_id": "PLN-MA-01"},
        ToolName.get_contract_terms: {"npi": hospital, "plan_id": "PLN-MCD-01"},
        ToolName.compute_decision_deadline: {
            "line_of_business": "medicaid",
            "request_type": "pre_service",
            "urgency": "standard",
            "received_at": "2026-11-20T10:00:00-05:00",
        },
        ToolName.find_criteria: {
            "service_or_code": "E0601",
            "line_of_business": "medicare_advantage",
        },
    }


def test_every_role_has_exactly_the_plan_data_tools_the_policy_lists() -> None:
    for role in Role:
        granted = {t for t in ALLOWED if t in ACCESS[role].tools}
        expected = {t for t, roles in ALLOWED.items() if role in roles}
        assert granted == expected, role


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("spec", PLAN_DATA_TOOLS, ids=lambda s: s.name.value)
def test_each_tool_runs_for_allowed_roles_and_refuses_the_others(
    db: Database, spec: Any, role: Role
) -> None:
    ctx = context(db, role, searcher=FakeSearcher())
    request = valid_inputs(db)[spec.name]
    before = audit_count(db)
    if role in ALLOWED[spec.name]:
        result = spec(ctx, request)
        assert isinstance(result, spec.output_model)
        written = audit_count(db) - before
        assert (written >= 1) if spec.name in PHI_TOOLS else (written == 0)
    else:
        with pytest.raises(PermissionDenied) as err:
            spec(ctx, request)
        assert role.value in str(err.value) and spec.name.value in str(err.value)
        assert audit_count(db) == before


@pytest.mark.parametrize("role", list(Role))
def test_agents_are_offered_only_the_tools_the_role_may_call(db: Database, role: Role) -> None:
    offered = {spec.name for spec in catalogue().for_agent(Principal("x.y", role))}
    assert offered == {t for t in offered if role in ALLOWED[t]}
    assert offered == {s.name for s in catalogue().specs if s.agent and role in ALLOWED[s.name]}
    names = {t.name for t in agent_tools(context(db, role))}
    assert names == {t.value for t in offered}


def test_clinical_notes_reach_only_reviewers_and_clinicians() -> None:
    for role, grant in ACCESS.items():
        assert ("clinical_notes" in grant.case_fields) is (role in {UR, CL}), role


def test_compliance_sees_no_demographics_contact_or_clinical_detail() -> None:
    member = ACCESS[CO].member_fields
    case = ACCESS[CO].case_fields
    assert not member & {
        "first_name",
        "last_name",
        "date_of_birth",
        "sex",
        "phone",
        "email",
        "address_line",
        "pcp_name",
    }
    assert not case & {"clinical_notes", "diagnosis_codes", "member_name"}
    assert "member_id" in member and "case_id" in case


def test_admin_sees_no_member_or_case_field() -> None:
    assert not ACCESS[AD].member_fields and not ACCESS[AD].case_fields
    assert not ACCESS[AD].tools & PHI_TOOLS


def test_role_field_grants_name_only_known_fields() -> None:
    for grant in ACCESS.values():
        assert grant.member_fields <= MEMBER_FIELDS
        assert grant.case_fields <= CASE_FIELDS


def _call(db: Database, role: Role, tool: Callable[..., BaseModel], request: dict) -> Any:
    return tool(context(db, role), request)


def test_case_manager_sees_member_contact_but_not_clinical_notes(db: Database) -> None:
    from tools.cases import get_case
    from tools.members import lookup_member

    member = _call(db, CM, lookup_member, {"member_id": a_member(db).member_id})
    assert member.phone and member.address_line and member.pcp_npi is not None
    case_id = first_id(db, Case.case_id, Case.clinical_notes.is_not(None))
    case = _call(db, CM, get_case, {"case_id": case_id})
    assert case.clinical_notes is None
    assert "clinical_notes" in case.withheld_fields
    assert case.service_codes


@pytest.mark.parametrize("role", [UR, CL])
def test_reviewers_and_clinicians_see_clinical_notes_but_not_member_contact(
    db: Database, role: Role
) -> None:
    from tools.cases import get_case
    from tools.members import lookup_member

    case_id = first_id(db, Case.case_id, Case.clinical_notes.is_not(None))
    case = _call(db, role, get_case, {"case_id": case_id})
    assert case.clinical_notes and case.clinical_notes.startswith("[synthetic]")
    member = _call(db, role, lookup_member, {"member_id": case.member_id})
    assert member.phone is None and member.email is None
    assert {"phone", "email", "address_line"} <= set(member.withheld_fields)
    assert member.first_name and member.date_of_birth


def test_compliance_gets_ids_and_tracking_only(db: Database) -> None:
    from tools.cases import get_case
    from tools.members import lookup_member

    case_id = first_id(db, Case.case_id, Case.clinical_notes.is_not(None))
    case = _call(db, CO, get_case, {"case_id": case_id})
    assert case.clinical_notes is None and case.diagnosis_codes is None
    assert case.member_name is None
    assert case.received_at and case.status and case.member_id
    member = _call(db, CO, lookup_member, {"member_id": case.member_id})
    dumped = member.model_dump()
    for name in ("first_name", "last_name", "date_of_birth", "phone", "pcp_npi"):
        assert dumped[name] is None
    assert member.plan_id and member.eligible is not None


@pytest.mark.parametrize(
    ("role", "tool", "field"),
    [
        (CM, "get_case", "clinical_notes"),
        (CO, "get_case", "clinical_notes"),
        (CO, "get_case", "diagnosis_codes"),
        (CO, "lookup_member", "date_of_birth"),
        (UR, "lookup_member", "phone"),
        (CL, "lookup_member", "address_line"),
    ],
)
def test_asking_for_a_field_outside_the_role_is_refused_and_not_audited(
    db: Database, role: Role, tool: str, field: str
) -> None:
    from tools.cases import get_case
    from tools.members import lookup_member

    before = audit_count(db)
    with pytest.raises(PermissionDenied, match=field):
        if tool == "get_case":
            get_case(context(db, role), {"case_id": first_id(db, Case.case_id), "fields": [field]})
        else:
            lookup_member(
                context(db, role), {"member_id": a_member(db).member_id, "fields": [field]}
            )
    assert audit_count(db) == before


def test_unknown_field_name_is_invalid_input(db: Database) -> None:
    from tools.members import lookup_member

    with pytest.raises(InvalidInput, match="unknown member field"):
        lookup_member(context(db, CM), {"member_id": a_member(db).member_id, "fields": ["ssn"]})


def test_requested_fields_narrow_the_output_and_the_audit_record(db: Database) -> None:
    from tools.members import lookup_member

    member_id = a_member(db).member_id
    record = lookup_member(
        context(db, CM), {"member_id": member_id, "fields": ["plan_id", "eligible"]}
    )
    assert record.plan_id and record.eligible is not None
    assert record.first_name is None and record.phone is None
    with db.read_only() as session:
        last = session.scalars(sa.select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert last is not None
    assert last.fields == ["eligible", "member_id", "plan_id"]
    assert last.member_id == member_id and last.tool == "lookup_member"


def test_audit_records_never_list_a_withheld_field(db: Database) -> None:
    with db.read_only() as session:
        rows = session.execute(sa.select(AuditRecord.role, AuditRecord.fields)).all()
        assert verify(session).ok
    assert rows
    for role, fields in rows:
        allowed = ACCESS[Role(role)].member_fields | ACCESS[Role(role)].case_fields
        assert set(fields) <= allowed, (role, fields)


def test_visible_fields_always_include_the_record_id_when_a_subset_is_asked() -> None:
    principal = Principal("cm.alex", CM)
    assert "member_id" in visible_fields(principal, Resource.member, ["plan_id"])
    assert "case_id" in visible_fields(principal, Resource.case, ["status"])


@pytest.mark.parametrize("role", list(Role))
def test_audit_verify_and_export_permissions(role: Role) -> None:
    principal = Principal("someone", role)
    for tool in (ToolName.audit_verify, ToolName.audit_export):
        if role in ALLOWED[tool]:
            require_tool(principal, tool)
        else:
            with pytest.raises(PermissionDenied):
                require_tool(principal, tool)


def test_a_context_with_an_unknown_role_cannot_be_built(db: Database) -> None:
    from tools.context import ToolContext

    with pytest.raises(ValueError):
        ToolContext(principal=Principal("x.y", "superuser"), db=db, purpose="t")  # type: ignore[arg-type]


def test_refused_calls_are_logged_with_ids_only(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    from tools.members import lookup_member

    member = a_member(db)
    with pytest.raises(PermissionDenied):
        lookup_member(context(db, AD), {"member_id": member.member_id})
    messages = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("ad.eli" in m and "lookup_member" in m for m in messages)
    assert not any(member.last_name in m for m in messages)
