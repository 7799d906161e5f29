"""Synthetic seed data: deterministic, obviously fake, and consistent with the corpus."""

import re
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.tools_support import NOW, REFERENCE, a_member, audit_count, context, make_store
from tools import audit
from tools.db import Database
from tools.deadlines import due_date
from tools.enums import OPEN_STATUSES, CaseStatus, LineOfBusiness, RequestType
from tools.errors import DeadlineRuleNotFound, InvalidInput
from tools.ids import CASE_ID_RE, MEMBER_ID_RE, npi
from tools.members import lookup_member
from tools.models import Case, Contract, EligibilitySpan, Member, Plan, Provider, User
from tools.roles import Role
from tools.seed import PLAN_DATA_TABLES, seed
from tools.seed_catalog import MEMBER_FIRST_NAMES, MEMBER_LAST_NAMES

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    store = make_store(f"sqlite:///{tmp_path_factory.mktemp('seed')}/seed.db")
    yield store
    store.dispose()


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with db.read_only() as session:
        for model in PLAN_DATA_TABLES:
            table = model.__table__
            cols = [c for c in table.columns if c.name != "id"]
            rows = session.execute(sa.select(*cols).order_by(*cols)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def rows(db: Database, model: Any, *where: Any) -> list[Any]:
    with db.read_only() as session:
        return list(session.scalars(sa.select(model).where(*where)))


def test_same_seed_and_reference_give_identical_rows(db: Database, tmp_path: Path) -> None:
    again = make_store(f"sqlite:///{tmp_path}/again.db")
    try:
        assert dump(again) == dump(db)
    finally:
        again.dispose()


def test_another_seed_gives_other_rows(db: Database, tmp_path: Path) -> None:
    other = make_store(f"sqlite:///{tmp_path}/other.db", seed_value=8)
    try:
        mine, theirs = dump(db), dump(other)
        assert mine["members"] != theirs["members"] and mine["cases"] != theirs["cases"]
        assert mine["plans"] == theirs["plans"]
    finally:
        other.dispose()


def test_minimum_volumes_and_every_case_status(db: Database) -> None:
    with db.read_only() as session:
        count = {
            m.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Plan, Member, Provider, Contract, Case, User)
        }
        statuses = set(session.scalars(sa.select(Case.status).distinct()))
        plans_with_members = set(session.scalars(sa.select(EligibilitySpan.plan_id).distinct()))
    assert count["plans"] == 3 and count["members"] >= 300 and count["providers"] == 60
    assert count["contracts"] >= 40 and count["cases"] >= 150
    assert statuses == set(CaseStatus)
    assert plans_with_members == {"PLN-MA-01", "PLN-MCD-01", "PLN-COM-01"}


def test_plans_are_the_three_named_products(db: Database) -> None:
    plans = {p.plan_id: (p.name, p.line_of_business) for p in rows(db, Plan)}
    assert plans == {
        "PLN-MA-01": (
            "Sunrise Synthetic Medicare Advantage HMO",
            LineOfBusiness.medicare_advantage,
        ),
        "PLN-MCD-01": ("Sunrise Synthetic Medicaid Managed Care", LineOfBusiness.medicaid),
        "PLN-COM-01": ("Sunrise Synthetic Commercial PPO (ERISA)", LineOfBusiness.commercial),
    }


def test_staff_principals_are_seeded_with_their_roles(db: Database) -> None:
    users = {u.user_id: (u.role, u.credentials) for u in rows(db, User)}
    assert users["cm.alex"][0] is Role.case_manager
    assert users["ur.blake"][0] is Role.um_reviewer
    assert users["dr.casey"] == (Role.clinician, "MD")
    assert users["co.dana"][0] is Role.compliance
    assert users["ad.eli"][0] is Role.admin


def test_some_open_cases_are_past_due_and_some_are_not(db: Database) -> None:
    open_cases = rows(db, Case, Case.status.in_(OPEN_STATUSES), Case.due_at.is_not(None))
    late = [c for c in open_cases if c.due_at < NOW]
    assert 0 < len(late) < len(open_cases)


def test_ids_have_the_shapes_other_code_matches(db: Database) -> None:
    assert all(MEMBER_ID_RE.match(m.member_id) for m in rows(db, Member))
    assert all(CASE_ID_RE.match(c.case_id) for c in rows(db, Case))
    for p in rows(db, Provider):
        assert p.npi.startswith("9") and npi(p.npi) == p.npi  # passes the NPI check digit


def test_people_are_obviously_synthetic_with_plausible_birth_dates(db: Database) -> None:
    members = rows(db, Member)
    assert all(m.first_name in MEMBER_FIRST_NAMES for m in members)
    assert all(m.last_name in MEMBER_LAST_NAMES for m in members)
    assert all(m.email.endswith("@example.com") and "555" in m.phone for m in members)
    oldest = REFERENCE - timedelta(days=100 * 366)
    assert all(oldest < m.date_of_birth <= REFERENCE for m in members)
    with db.read_only() as session:
        ma_births = session.scalars(
            sa.select(Member.date_of_birth)
            .join(EligibilitySpan, EligibilitySpan.member_id == Member.member_id)
            .where(EligibilitySpan.plan_id == "PLN-MA-01")
        ).all()
    assert ma_births and all((REFERENCE - d).days >= 65 * 365 for d in ma_births)


def test_decisions_are_recorded_by_clinicians(db: Database) -> None:
    clinicians = {u.user_id for u in rows(db, User) if u.role is Role.clinician}
    decided = rows(db, Case, Case.status.in_([CaseStatus.approved, CaseStatus.denied]))
    assert decided and all(c.decided_by in clinicians and c.decided_at for c in decided)
    assert all(c.decided_at is None for c in rows(db, Case, Case.status.in_(OPEN_STATUSES)))


def test_stored_due_times_match_the_deadline_engine(db: Database) -> None:
    zone = db.settings.zone
    plans = {p.plan_id: p.line_of_business for p in rows(db, Plan)}
    for case in rows(db, Case):
        assert case.received_at.tzinfo is UTC or case.received_at.utcoffset() == timedelta(0)
        try:
            expected = due_date(
                plans[case.plan_id],
                case.request_type,
                case.urgency,
                case.received_at,
                case.extension_taken,
                zone,
            ).due_at
        except DeadlineRuleNotFound:
            assert case.due_at is None
            continue
        assert case.due_at == expected


def test_both_sides_of_the_2026_switch_are_represented(db: Database) -> None:
    years = {c.received_at.year for c in rows(db, Case)}
    assert 2025 in years and 2026 in years


def _policy_codes() -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {}
    for path in sorted((CORPUS / "criteria").glob("MP-*.md")):
        text = path.read_text(encoding="utf-8")
        section = re.split(r"^## .*Codes.*$", text, flags=re.M)
        assert len(section) == 2, path
        body = re.split(r"^## ", section[1], flags=re.M)[0]
        codes[path.stem] = {t.upper() for t in re.findall(r"\b[A-Z]?\d[0-9A-Z.]{1,7}\b", body)}
    return codes


def test_case_codes_come_from_the_corpus_medical_policies(db: Database) -> None:
    policies = _policy_codes()
    assert len(policies) >= 10
    for case in rows(db, Case):
        if case.request_type is RequestType.part_b_drug:
            continue  # no sample policy covers Part B drugs
        owners = [p for p, codes in policies.items() if set(case.service_codes) <= codes]
        assert owners, (case.case_id, case.service_codes)
        assert any(set(case.diagnosis_codes) <= policies[p] for p in owners), (
            case.case_id,
            case.diagnosis_codes,
        )


def test_contracts_link_to_corpus_contract_documents_in_force(db: Database) -> None:
    for contract in rows(db, Contract):
        doc = CORPUS / "contracts" / f"{contract.doc_id}.md"
        assert doc.is_file(), contract.doc_id
        effective = re.search(r"^effective_date:\s*(\S+)", doc.read_text(), re.M)
        assert effective
        if not contract.terms.get("superseded"):
            assert contract.effective_date.isoformat() >= effective.group(1)
    payment_models = {c.payment_model.value for c in rows(db, Contract)}
    assert payment_models == {"per_diem", "drg", "fee_schedule", "capitation", "shared_savings"}


def test_named_counterparties_carry_the_terms_their_documents_state(db: Database) -> None:
    with db.read_only() as session:
        terms = {
            (name, plan): (model, t)
            for name, plan, model, t in session.execute(
                sa.select(Provider.name, Contract.plan_id, Contract.payment_model, Contract.terms)
                .join(Contract, Contract.npi == Provider.npi)
                .where(Contract.end_date.is_(None) | (Contract.end_date >= REFERENCE))
            )
        }
    model, t = terms[("Synthetic General Hospital", "PLN-COM-01")]
    assert model.value == "drg" and t["drg_base_rate"] == 7850.00
    model, t = terms[("Example Primary Care Group", "PLN-MA-01")]
    assert model.value == "capitation" and t["pmpm"] == 68.00
    model, t = terms[("Example ACO", "PLN-MA-01")]
    assert model.value == "shared_savings" and t["benchmark_pmpm_2026"] == 1085.00
    model, t = terms[("Example Skilled Nursing and Rehabilitation Center", "PLN-MCD-01")]
    assert model.value == "per_diem" and t["skilled_per_diem"] == 410.00


def test_seeding_again_is_refused_without_replace(db: Database) -> None:
    with pytest.raises(InvalidInput, match="--replace"):
        seed(db, reference=REFERENCE, seed=7)


def test_replace_regenerates_plan_data_and_keeps_the_audit_trail(tmp_path: Path) -> None:
    store = make_store(f"sqlite:///{tmp_path}/replace.db")
    try:
        before = dump(store)
        lookup_member(context(store, Role.case_manager), {"member_id": a_member(store).member_id})
        seed(store, reference=REFERENCE, seed=7, replace=True)
        assert dump(store) == before
        assert audit_count(store) == 1
        with store.read_only() as session:
            assert audit.verify(session).ok
    finally:
        store.dispose()


def test_fewer_than_300_members_is_refused(tmp_path: Path) -> None:
    store = make_store(f"sqlite:///{tmp_path}/small.db")
    try:
        with pytest.raises(InvalidInput, match="at least 300"):
            seed(store, members=299, reference=REFERENCE, replace=True)
    finally:
        store.dispose()


def test_more_members_bring_proportionally_more_cases(tmp_path: Path) -> None:
    store = make_store(f"sqlite:///{tmp_path}/big.db", members=1000)
    try:
        with store.read_only() as session:
            assert session.scalar(sa.select(sa.func.count()).select_from(Member)) == 1000
            assert session.scalar(sa.select(sa.func.count()).select_from(Case)) == 500
    finally:
        store.dispose()
