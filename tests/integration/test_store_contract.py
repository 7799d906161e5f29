"""One contract suite every plan-data implementation passes (tools/plandata: the SQL one on
SQLite and on a real PostgreSQL today), through the tools and through the port's own methods.

Each test gets a freshly migrated and seeded store (PostgreSQL: its own schema). Same tests,
same results: one test runs both backends side by side and compares every answer.
"""

import itertools
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tests.tools_support import (
    IMPLEMENTATIONS,
    NOW,
    FakeSearcher,
    a_member,
    a_member_with_open_case,
    audit_count,
    context,
    first_id,
    make_store,
    open_implementation,
    schema_revision,
)
from tools import audit
from tools.cases import get_case, list_cases
from tools.db import Database, init_db
from tools.enums import OPEN_STATUSES, CaseStatus, NetworkStatus
from tools.errors import (
    CaseNotFound,
    ContractNotFound,
    InvalidInput,
    MemberNotFound,
    PlanNotFound,
    ProviderNotFound,
)
from tools.members import find_members, lookup_member
from tools.models import (
    AuditRecord,
    Base,
    Case,
    Contract,
    EligibilitySpan,
    Member,
    NetworkSpan,
    Provider,
)
from tools.plandata import open_plan_data
from tools.plandata.records import CaseFilters, StaffRow
from tools.providers import check_network_status, get_contract_terms
from tools.roles import Role
from tools.seed import make_npi

CM, UR, CL, CO = Role.case_manager, Role.um_reviewer, Role.clinician, Role.compliance


@pytest.fixture(params=IMPLEMENTATIONS)
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Database]:
    db = open_implementation(request, tmp_path)
    yield db
    db.dispose()


def hospital_npi(db: Database) -> str:
    return first_id(db, Provider.npi, Provider.name == "Synthetic General Hospital")


def counts(db: Database) -> dict[str, int]:
    with db.read_only() as session:
        return {
            m.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(m)) or 0
            for m in (Member, Case, Provider, Contract, AuditRecord)
        }


# Schema ------------------------------------------------------------------------------------


def test_schema_is_at_head_and_init_db_is_idempotent(store: Database) -> None:
    from alembic.script import ScriptDirectory

    from tools.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert schema_revision(store.engine) == head
    init_db(store.settings.database_url, store.settings)
    assert schema_revision(store.engine) == head
    assert counts(store)["members"] == 300


def test_models_match_the_migrated_schema(store: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    mine = set(Base.metadata.tables)
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    relevant = [d for d in diffs if _table_of(d) in mine]
    assert relevant == []


def _table_of(diff: Any) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        if isinstance(part, sa.Table):
            return part.name
        if isinstance(part, str):
            return part
    return None


def test_aware_timestamps_come_back_as_the_same_utc_instant(store: Database) -> None:
    case_id = first_id(store, Case.case_id)
    with store.read_only() as session:
        received = session.get(Case, case_id).received_at
    assert received.utcoffset() == timedelta(0)
    with store.read_only() as session:
        same = session.scalar(sa.select(Case.case_id).where(Case.received_at == received))
    assert same == case_id


# Members -----------------------------------------------------------------------------------


def test_lookup_member_returns_plan_eligibility_pcp_and_open_cases(store: Database) -> None:
    member_id = a_member_with_open_case(store)
    record = lookup_member(context(store, CM), {"member_id": member_id})
    assert record.member_id == member_id and record.as_of == NOW.date()
    assert record.plan_id in {"PLN-MA-01", "PLN-MCD-01", "PLN-COM-01"}
    assert record.line_of_business is not None and record.plan_name
    assert record.open_cases and all(c.status in OPEN_STATUSES for c in record.open_cases)
    with store.read_only() as session:
        open_ids = set(
            session.scalars(
                sa.select(Case.case_id).where(
                    Case.member_id == member_id, Case.status.in_(OPEN_STATUSES)
                )
            )
        )
    assert {c.case_id for c in record.open_cases} == open_ids


def test_eligibility_depends_on_the_date_asked_about(store: Database) -> None:
    with store.read_only() as session:
        span = session.scalars(
            sa.select(EligibilitySpan)
            .where(EligibilitySpan.end_date.is_not(None))
            .order_by(EligibilitySpan.member_id)
            .limit(1)
        ).one()
    ctx = context(store, CM)
    inside = lookup_member(ctx, {"member_id": span.member_id, "on_date": span.end_date})
    after = lookup_member(
        ctx, {"member_id": span.member_id, "on_date": span.end_date + timedelta(days=1)}
    )
    before = lookup_member(
        ctx, {"member_id": span.member_id, "on_date": span.start_date - timedelta(days=1)}
    )
    assert inside.eligible is True and inside.plan_id == span.plan_id
    assert before.eligible is False
    if after.plan_id == span.plan_id:  # no later span in another plan
        assert after.eligible is False and after.pcp_npi is None


def test_unknown_member_is_not_found_by_id_and_nothing_is_audited(store: Database) -> None:
    before = audit_count(store)
    with pytest.raises(MemberNotFound, match="M9999999"):
        lookup_member(context(store, CM), {"member_id": "M9999999"})
    assert audit_count(store) == before


def test_find_members_matches_name_words_and_date_of_birth(store: Database) -> None:
    member = a_member(store)
    ctx = context(store, UR)
    for name in (member.last_name, member.last_name.upper(), f"{member.first_name[:2]}"):
        found = find_members(ctx, {"name": name, "date_of_birth": member.date_of_birth})
        assert member.member_id in {c.member_id for c in found.candidates}, name
    other_day = member.date_of_birth - timedelta(days=1)
    found = find_members(ctx, {"name": member.last_name, "date_of_birth": other_day})
    assert member.member_id not in {c.member_id for c in found.candidates}


def test_find_members_handles_apostrophes_and_hyphens_safely(store: Database) -> None:
    with store.read_only() as session:
        member = session.scalars(
            sa.select(Member).where(Member.last_name.in_(["O'Sampleton", "Mock-Wellington"]))
        ).first()
    assert member is not None
    found = find_members(
        context(store, CM), {"name": member.last_name, "date_of_birth": member.date_of_birth}
    )
    assert member.member_id in {c.member_id for c in found.candidates}


def test_find_members_returns_minimum_fields_and_audits_each_candidate(store: Database) -> None:
    member = a_member(store)
    before = audit_count(store)
    found = find_members(
        context(store, CM), {"name": member.last_name, "date_of_birth": member.date_of_birth}
    )
    assert set(found.candidates[0].model_dump()) == {
        "member_id",
        "first_name",
        "last_name",
        "date_of_birth",
        "plan_id",
    }
    assert audit_count(store) - before == len(found.candidates)


def test_find_members_with_no_match_still_records_the_search(store: Database) -> None:
    before = audit_count(store)
    found = find_members(context(store, CM), {"name": "Nobody", "date_of_birth": "1901-01-01"})
    assert found.candidates == []
    assert audit_count(store) - before == 1


# Cases -------------------------------------------------------------------------------------


def test_get_case_returns_the_stored_case_and_flags_overdue(store: Database) -> None:
    with store.read_only() as session:
        case = session.scalars(
            sa.select(Case)
            .where(Case.status.in_(OPEN_STATUSES), Case.due_at < NOW)
            .order_by(Case.case_id)
            .limit(1)
        ).one()
    record = get_case(context(store, UR), {"case_id": case.case_id})
    assert record.member_id == case.member_id and record.due_at == case.due_at
    assert record.overdue is True
    assert record.service_codes == case.service_codes
    assert record.received_at.utcoffset() == timedelta(0)


def test_unknown_case_is_not_found_by_id(store: Database) -> None:
    with pytest.raises(CaseNotFound, match="C9999999"):
        get_case(context(store, UR), {"case_id": "C9999999"})


def test_list_cases_by_assignee_and_me(store: Database) -> None:
    mine = list_cases(context(store, UR), {"assignee": "me", "limit": 200})
    theirs = list_cases(context(store, CM), {"assignee": "ur.blake", "limit": 200})
    assert mine.total_matching > 0
    assert [c.case_id for c in mine.cases] == [c.case_id for c in theirs.cases]
    assert all(c.assigned_reviewer == "ur.blake" for c in mine.cases)


def test_list_cases_due_before_returns_open_cases_soonest_first(store: Database) -> None:
    cutoff = NOW + timedelta(days=2)
    result = list_cases(context(store, CM), {"due_before": cutoff, "limit": 200})
    assert result.cases
    dues = [c.due_at for c in result.cases]
    assert all(d is not None and d < cutoff for d in dues)
    assert dues == sorted(dues)
    assert all(c.status in OPEN_STATUSES for c in result.cases)
    assert any(c.overdue for c in result.cases) and not all(c.overdue for c in result.cases)


def test_list_cases_by_status_counts_all_and_truncates_to_limit(store: Database) -> None:
    result = list_cases(context(store, CO), {"status": ["approved", "denied"], "limit": 5})
    with store.read_only() as session:
        expected = session.scalar(
            sa.select(sa.func.count())
            .select_from(Case)
            .where(Case.status.in_([CaseStatus.approved, CaseStatus.denied]))
        )
    assert result.total_matching == expected and len(result.cases) == 5 and result.truncated


def test_list_cases_audits_one_record_per_case_returned(store: Database) -> None:
    before = audit_count(store)
    result = list_cases(context(store, CM), {"status": "received", "limit": 7})
    assert audit_count(store) - before == len(result.cases) == 7


def test_list_cases_by_receipt_dates_in_plan_time(store: Database) -> None:
    day = NOW.date() - timedelta(days=3)
    result = list_cases(
        context(store, CM), {"received_from": day, "received_to": day, "limit": 200}
    )
    zone = store.settings.zone
    assert all(c.received_at.astimezone(zone).date() == day for c in result.cases)


# Providers and contracts -------------------------------------------------------------------


def test_network_status_follows_participation_spans(store: Database) -> None:
    ctx = context(store, CM)
    with store.read_only() as session:
        ended = session.scalars(
            sa.select(NetworkSpan)
            .where(NetworkSpan.end_date.is_not(None))
            .order_by(NetworkSpan.npi, NetworkSpan.plan_id)
            .limit(1)
        ).one()
    last_day = check_network_status(
        ctx, {"npi": ended.npi, "plan_id": ended.plan_id, "on_date": ended.end_date}
    )
    day_after = check_network_status(
        ctx,
        {"npi": ended.npi, "plan_id": ended.plan_id, "on_date": ended.end_date + timedelta(days=1)},
    )
    before_any = check_network_status(
        ctx, {"npi": ended.npi, "plan_id": ended.plan_id, "on_date": "2023-06-01"}
    )
    assert last_day.status is NetworkStatus.in_network
    assert day_after.status is NetworkStatus.out_of_network
    assert before_any.status is NetworkStatus.out_of_network
    assert "no participation record" in before_any.basis


def test_contracted_hospital_is_in_network_with_its_contract(store: Database) -> None:
    result = check_network_status(
        context(store, CM), {"npi": hospital_npi(store), "plan_id": "PLN-MCD-01"}
    )
    assert result.status is NetworkStatus.in_network
    assert result.provider_name == "Synthetic General Hospital" and len(result.contract_ids) == 1


@pytest.mark.parametrize(
    ("npi", "plan", "error"),
    [
        (make_npi(99_999_999), "PLN-MA-01", ProviderNotFound),
        ("1234567890", "PLN-MA-01", InvalidInput),  # fails the NPI check digit
        ("12345", "PLN-MA-01", InvalidInput),
        (None, "PLN-XX-99", PlanNotFound),
        (None, "PLN-MA-01; DROP TABLE plans", InvalidInput),
    ],
)
def test_network_status_bad_provider_or_plan(
    store: Database, npi: str | None, plan: str, error: type
) -> None:
    with pytest.raises(error):
        check_network_status(
            context(store, CM), {"npi": npi or hospital_npi(store), "plan_id": plan}
        )


def test_contract_terms_are_structured_and_cite_the_contract_document(store: Database) -> None:
    searcher = FakeSearcher()
    result = get_contract_terms(
        context(store, UR, searcher=searcher),
        {"npi": hospital_npi(store), "plan_id": "PLN-MCD-01", "topic": "notification admission"},
    )
    (terms,) = result.contracts
    assert terms.doc_id == "CON-101" and terms.payment_model.value == "per_diem"
    assert terms.terms["per_diem_med_surg"] == 1450.00 and terms.timely_filing_days == 365
    assert terms.admission_notification_business_days == 1
    assert result.passages and all(p.doc_id == "CON-101" for p in result.passages)
    assert result.passages[0].citation == "CON-101 §3.2"
    (_, _, filters) = searcher.calls[-1]
    assert filters is not None and filters.doc_ids == ("CON-101",)
    assert filters.doc_types[0].value == "contract" and filters.as_of == NOW.date()


def test_contract_terms_on_an_earlier_date_find_the_contract_then_in_force(
    store: Database,
) -> None:
    result = get_contract_terms(
        context(store, UR, searcher=FakeSearcher()),
        {"npi": hospital_npi(store), "plan_id": "PLN-COM-01", "on_date": "2024-06-30"},
    )
    (terms,) = result.contracts
    assert terms.end_date == date(2024, 12, 31) and terms.terms.get("superseded") is True
    assert result.passages == [] and result.warnings  # CON-101 text starts in 2025


def test_contract_terms_without_an_index_still_return_terms_with_a_warning(
    store: Database,
) -> None:
    result = get_contract_terms(
        context(store, CO), {"npi": hospital_npi(store), "plan_id": "PLN-MA-01"}
    )
    assert result.contracts[0].payment_model.value == "drg"
    assert result.passages == [] and "not available" in result.warnings[0]


def test_provider_without_a_contract_has_no_contract_terms(store: Database) -> None:
    individual = first_id(store, Provider.npi, Provider.kind == "individual")
    with pytest.raises(ContractNotFound, match=individual):
        get_contract_terms(context(store, UR), {"npi": individual, "plan_id": "PLN-MA-01"})


# Audit trail -------------------------------------------------------------------------------


def _reads(db: Database) -> None:
    member_id = a_member_with_open_case(db)
    lookup_member(context(db, CM), {"member_id": member_id})
    get_case(context(db, UR), {"case_id": first_id(db, Case.case_id)})
    list_cases(context(db, CO), {"status": ["denied"], "limit": 3})


def test_every_read_is_audited_and_the_chain_verifies(store: Database) -> None:
    _reads(store)
    with store.read_only() as session:
        report = audit.verify(session)
        rows = session.scalars(sa.select(AuditRecord).order_by(AuditRecord.seq)).all()
    assert report.ok and report.records == len(rows) == 5
    assert [r.tool for r in rows] == ["lookup_member", "get_case"] + ["list_cases"] * 3
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    first = rows[0]
    assert (first.user_id, first.role, first.channel, first.purpose) == (
        "cm.alex",
        "case_manager",
        "python",
        "test",
    )
    assert first.recorded_at == NOW and first.member_id and first.case_id is None


def _drop_append_only_guard(db: Database) -> None:
    """What someone with DDL rights could do: the hash chain must still catch them."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(sa.text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
            conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))


def test_database_refuses_to_update_or_delete_audit_records(store: Database) -> None:
    _reads(store)
    for statement in (
        "UPDATE audit_log SET purpose = 'x' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text(statement))
    with store.read_only() as session:
        assert audit.verify(session).ok


def test_verify_fails_after_a_record_is_edited_in_sql(store: Database) -> None:
    _reads(store)
    _drop_append_only_guard(store)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET user_id = 'someone.else' WHERE seq = 2"))
    with store.read_only() as session:
        report = audit.verify(session)
    assert not report.ok and report.first_bad_seq == 2
    assert report.problem is audit.Problem.altered and "record 2" in report.message


def test_verify_fails_after_a_record_is_edited_and_rehashed(store: Database) -> None:
    _reads(store)
    _drop_append_only_guard(store)
    with store.read_only() as session:
        row = dict(
            session.execute(sa.select(AuditRecord.__table__).where(AuditRecord.seq == 2))
            .mappings()
            .one()
        )
    row["purpose"] = "covering my tracks"
    forged = audit.record_hash(row)
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE audit_log SET purpose = :p, hash = :h WHERE seq = 2"),
            {"p": row["purpose"], "h": forged},
        )
    with store.read_only() as session:
        report = audit.verify(session)
    assert not report.ok and report.first_bad_seq == 3
    assert report.problem is audit.Problem.unlinked


def test_verify_fails_after_a_middle_record_is_deleted(store: Database) -> None:
    _reads(store)
    _drop_append_only_guard(store)
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq = 3"))
    with store.read_only() as session:
        report = audit.verify(session)
    assert not report.ok and report.first_bad_seq == 3
    assert report.problem is audit.Problem.missing


def test_verify_fails_after_the_last_records_are_deleted(store: Database) -> None:
    _reads(store)
    _drop_append_only_guard(store)
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq >= 4"))
    with store.read_only() as session:
        report = audit.verify(session)
    assert not report.ok and report.first_bad_seq == 4
    assert report.problem is audit.Problem.truncated


def test_verify_checks_an_anchor_recorded_earlier(store: Database) -> None:
    _reads(store)
    with store.read_only() as session:
        head = audit.verify(session)
        assert audit.verify(session, (head.head_seq, head.head_hash)).ok
        wrong = audit.verify(session, (2, "0" * 64))
    assert not wrong.ok and wrong.problem is audit.Problem.anchor


def test_a_failed_audit_write_returns_no_data_and_leaves_nothing(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    member_id = a_member(store).member_id
    before = audit_count(store)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        lookup_member(context(store, CM), {"member_id": member_id})
    assert audit_count(store) == before


def test_a_crash_after_the_audit_insert_rolls_both_back(
    store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    member_id = a_member(store).member_id
    before = audit_count(store)
    real = audit.record

    def record_then_crash(session: Any, **kwargs: Any) -> list[int]:
        real(session, **kwargs)
        raise RuntimeError("process killed before commit")

    monkeypatch.setattr(audit, "record", record_then_crash)
    with pytest.raises(RuntimeError):
        get_case(context(store, UR), {"case_id": first_id(store, Case.case_id)})
    assert audit_count(store) == before
    with store.read_only() as session:
        assert audit.verify(session).ok
    monkeypatch.undo()
    lookup_member(context(store, CM), {"member_id": member_id})
    assert audit_count(store) == before + 1


def test_concurrent_writers_do_not_fork_the_chain(store: Database) -> None:
    member_id = a_member(store).member_id
    errors: list[BaseException] = []
    workers, calls = 6, 12

    def work(n: int) -> None:
        try:
            ctx = context(store, CM, purpose=f"worker {n}")
            for _ in range(calls):
                lookup_member(ctx, {"member_id": member_id, "fields": ["plan_id"]})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.read_only() as session:
        report = audit.verify(session)
    assert report.ok and report.records == workers * calls


def test_export_writes_jsonl_and_csv_for_a_period(store: Database, tmp_path: Any) -> None:
    import csv
    import io
    import json

    _reads(store)
    since = datetime(2026, 11, 24, tzinfo=store.settings.zone)
    with store.read_only() as session:
        out = io.StringIO()
        n = audit.export(session, out, audit.ExportFormat.jsonl, since)
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        out_csv = io.StringIO()
        audit.export(session, out_csv, audit.ExportFormat.csv, since)
        none = audit.export(
            session, io.StringIO(), audit.ExportFormat.jsonl, since, since - timedelta(seconds=1)
        )
    assert n == len(lines) == 5 and none == 0
    assert lines[0]["seq"] == 1 and lines[0]["recorded_at"] == "2026-11-24T15:00:00.000000Z"
    assert set(lines[0]) == set(audit.EXPORT_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(out_csv.getvalue())))
    assert [int(r["seq"]) for r in rows] == [1, 2, 3, 4, 5]
    assert rows[1]["hash"] == lines[1]["hash"]


def test_export_keeps_a_formula_looking_purpose_as_text(store: Database) -> None:
    import io

    lookup_member(
        context(store, CM, purpose='=HYPERLINK("http://x")'),
        {"member_id": a_member(store).member_id},
    )
    with store.read_only() as session:
        out = io.StringIO()
        audit.export(session, out, audit.ExportFormat.csv, NOW - timedelta(days=1))
    assert "'=HYPERLINK" in out.getvalue()


# Bad input: clear errors, nothing written --------------------------------------------------

BAD_INPUTS = [
    (lookup_member, {"member_id": "M12"}, InvalidInput, "member id"),
    (lookup_member, {"member_id": "M1000001' OR '1'='1"}, InvalidInput, "member id"),
    (lookup_member, {"member_id": "M1000001; DROP TABLE members"}, InvalidInput, "member id"),
    (lookup_member, {"member_id": "M1000001", "on_date": "2026-02-30"}, InvalidInput, "on_date"),
    (lookup_member, {"member_id": "M1000001", "color": "red"}, InvalidInput, "not an argument"),
    (get_case, {"case_id": "C123"}, InvalidInput, "case id"),
    (get_case, {"case_id": "C2000001 UNION SELECT"}, InvalidInput, "case id"),
    (
        find_members,
        {"name": "x'); DROP TABLE members;--", "date_of_birth": "1950-01-01"},
        InvalidInput,
        "name",
    ),
    (find_members, {"name": "%", "date_of_birth": "1950-01-01"}, InvalidInput, "name"),
    (find_members, {"name": "Alpha", "date_of_birth": "2999-01-01"}, InvalidInput, "future"),
    (list_cases, {}, InvalidInput, "at least one filter"),
    (list_cases, {"due_before": "2026-11-30T12:00:00"}, InvalidInput, "no time zone"),
    (list_cases, {"status": ["lost"]}, InvalidInput, "status"),
    (list_cases, {"assignee": "Robert'; --"}, InvalidInput, "user id"),
    (
        list_cases,
        {"received_from": "2026-11-20", "received_to": "2026-11-01"},
        InvalidInput,
        "before it starts",
    ),
    (list_cases, {"status": "received", "limit": 10_000}, InvalidInput, "limit"),
]


@pytest.mark.parametrize(
    ("tool", "request_", "error", "phrase"),
    BAD_INPUTS,
    ids=[f"{t.__name__}-{i}" for i, (t, *_rest) in enumerate(BAD_INPUTS)],
)
def test_bad_input_is_refused_clearly_and_nothing_is_written(
    store: Database, tool: Any, request_: dict, error: type, phrase: str
) -> None:
    before = counts(store)
    with pytest.raises(error) as err:
        tool(context(store, UR), request_)
    assert phrase in str(err.value)
    assert "\n" not in str(err.value)
    assert counts(store) == before


# The port's own methods -------------------------------------------------------------------
# What a new implementation must answer, method by method, before the tools above run on it.


def test_port_reads_a_member_and_nobody_else(store: Database) -> None:
    seeded = a_member(store)
    with open_plan_data(store).disclosing() as reads:
        member = reads.member(seeded.member_id)
        assert reads.member("M9999999") is None
        everyone = list(reads.members())
    assert member is not None and member.member_id == seeded.member_id
    assert (member.last_name, member.date_of_birth, member.phone) == (
        seeded.last_name,
        seeded.date_of_birth,
        seeded.phone,
    )
    ids = [m.member_id for m in everyone]
    assert len(ids) == 300 and ids == sorted(ids) and ids[0] == seeded.member_id


def test_port_coverage_names_plans_and_pcps_of_every_span(store: Database) -> None:
    member_id = a_member_with_open_case(store)
    with store.read_only() as session:
        stored = session.scalars(
            sa.select(EligibilitySpan).where(EligibilitySpan.member_id == member_id)
        ).all()
        expected = {(s.plan_id, s.start_date, s.end_date, s.pcp_npi) for s in stored}
    with open_plan_data(store).disclosing() as reads:
        spans = reads.coverage(member_id)
        assert reads.coverage("M9999999") == []
    assert {(s.plan_id, s.start_date, s.end_date, s.pcp_npi) for s in spans} == expected
    assert all(s.plan_name and s.line_of_business for s in spans)
    assert all((s.pcp_name is None) == (s.pcp_npi is None) for s in spans)


def test_port_finds_members_by_birth_date_and_their_plan_on_a_day(store: Database) -> None:
    member = a_member(store)
    with open_plan_data(store).disclosing() as reads:
        born = reads.members_born_on(member.date_of_birth)
        plans = reads.plans_on([m.member_id for m in born], NOW.date())
        assert reads.plans_on([], NOW.date()) == {}
        assert reads.plans_on([member.member_id], date(1900, 1, 1)) == {}
    assert member.member_id in {m.member_id for m in born}
    assert [m.member_id for m in born] == sorted(m.member_id for m in born)
    assert all(m.date_of_birth == member.date_of_birth for m in born)
    assert set(plans) <= {m.member_id for m in born}
    assert set(plans.values()) <= {"PLN-MA-01", "PLN-MCD-01", "PLN-COM-01"}


def test_port_reads_open_cases_and_one_case_in_detail(store: Database) -> None:
    member_id = a_member_with_open_case(store)
    with open_plan_data(store).disclosing() as reads:
        opened = reads.open_cases(member_id)
        detail = reads.case(opened[0].case_id)
        assert reads.case("C9999999") is None
    assert opened and all(c.status in OPEN_STATUSES for c in opened)
    assert [c.received_at for c in opened] == sorted(c.received_at for c in opened)
    assert detail is not None and detail.member_id == member_id
    assert detail.first_name and detail.requesting_provider_name and detail.line_of_business


def test_port_worklists_count_all_and_page_dated_cases_first(store: Database) -> None:
    filters = CaseFilters(statuses=tuple(CaseStatus))
    with open_plan_data(store).disclosing() as reads:
        total = reads.count_cases(filters)
        page = reads.cases(filters, 200)
        due = reads.cases(CaseFilters(open_only=True, due_before=NOW + timedelta(days=2)), 200)
        mine = reads.cases(CaseFilters(assignee="ur.blake"), 5)
    assert total == counts(store)["cases"] and len(page) == min(total, 200)
    dated = [c for c in page if c.due_at is not None]
    assert page[: len(dated)] == dated and [c.due_at for c in dated] == sorted(
        c.due_at for c in dated
    )
    assert due and all(c.due_at is not None and c.status in OPEN_STATUSES for c in due)
    assert len(mine) == 5 and all(c.assigned_reviewer == "ur.blake" for c in mine)


def test_port_lists_clinical_notes_by_case(store: Database) -> None:
    with open_plan_data(store).reading() as reads:
        notes = reads.case_notes()
    assert notes and all(member_id.startswith("M") and text for member_id, text in notes)


def test_port_reads_plans_providers_networks_and_contracts(store: Database) -> None:
    npi = hospital_npi(store)
    with open_plan_data(store).reading() as reads:
        plan = reads.plan("PLN-MCD-01")
        provider = reads.provider(npi)
        span = reads.network_span(npi, "PLN-MCD-01", NOW.date())
        contracts = reads.contracts(npi, "PLN-MCD-01", NOW.date())
        assert reads.plan("PLN-XX-99") is None and reads.provider(make_npi(99_999_999)) is None
        assert reads.network_span(npi, "PLN-MCD-01", date(2023, 6, 1)) is None
    assert plan is not None and plan.line_of_business.value == "medicaid"
    assert provider is not None and provider.name == "Synthetic General Hospital"
    assert span is not None and span.status is NetworkStatus.in_network
    assert [c.doc_id for c in contracts] == ["CON-101"] and contracts[0].terms


def test_port_staff_directory_reads_and_changes(store: Database) -> None:
    port = open_plan_data(store)
    with port.reading() as reads:
        blake = reads.staff_user("ur.blake")
        assert reads.staff_user("no.one") is None
    assert blake is not None and blake.role is Role.um_reviewer and blake.active
    with port.changing() as writes:
        writes.put_staff(StaffRow("new.person", Role.clinician, "New Person", "MD", True))
        writes.put_staff(replace(blake, active=False))
    with pytest.raises(RuntimeError), port.changing() as writes:
        writes.put_staff(StaffRow("rolled.back", Role.admin, "Rolled Back", None, True))
        raise RuntimeError("a failed change leaves nothing")
    with port.reading() as reads:
        staff = {u.user_id: u for u in reads.staff()}
    assert list(staff) == sorted(staff) and "rolled.back" not in staff
    assert staff["new.person"].credentials == "MD" and not staff["ur.blake"].active


def test_port_disclosing_reads_and_their_audit_commit_together(store: Database) -> None:
    from tools.roles import Principal, ToolName

    before = audit_count(store)
    member_id = a_member(store).member_id
    with pytest.raises(RuntimeError), open_plan_data(store).disclosing() as reads:
        assert reads.member(member_id) is not None
        audit.record(
            reads.audit,
            principal=Principal("cm.alex", CM),
            tool=ToolName.lookup_member,
            channel="python",
            purpose="test",
            disclosures=[audit.Disclosure(member_id=member_id, fields=["first_name"])],
            at=NOW,
        )
        raise RuntimeError("the data never left")
    assert audit_count(store) == before


# Same results on both backends -------------------------------------------------------------


def _answers(db: Database) -> list[Any]:
    searcher = FakeSearcher()
    member = a_member(db)
    hospital = hospital_npi(db)
    return [
        lookup_member(context(db, CM), {"member_id": member.member_id}).model_dump(mode="json"),
        find_members(
            context(db, UR), {"name": member.last_name, "date_of_birth": member.date_of_birth}
        ).model_dump(mode="json"),
        get_case(context(db, CL), {"case_id": "C2000010"}).model_dump(mode="json"),
        list_cases(
            context(db, CM), {"due_before": NOW + timedelta(days=3), "limit": 200}
        ).model_dump(mode="json"),
        list_cases(context(db, CO), {"status": list(CaseStatus), "limit": 200}).model_dump(
            mode="json"
        ),
        check_network_status(
            context(db, CM), {"npi": hospital, "plan_id": "PLN-COM-01"}
        ).model_dump(mode="json"),
        get_contract_terms(
            context(db, UR, searcher=searcher), {"npi": hospital, "plan_id": "PLN-MA-01"}
        ).model_dump(mode="json"),
    ]


def _audit_rows(db: Database) -> list[dict[str, Any]]:
    with db.read_only() as session:
        rows = session.execute(
            sa.select(AuditRecord.__table__).order_by(AuditRecord.seq)
        ).mappings()
        return [dict(r) for r in rows]


@pytest.mark.postgres
def test_sqlite_and_postgres_give_identical_answers_and_audit_chains(
    postgres_url: str, tmp_path: Any
) -> None:
    lite = make_store(f"sqlite:///{tmp_path}/same.db")
    pg = make_store(postgres_url)
    try:
        assert _answers(lite) == _answers(pg)
        assert _audit_rows(lite) == _audit_rows(pg)
    finally:
        lite.dispose()
        pg.dispose()


# Worklist indexes ----------------------------------------------------------------------------


def test_open_cases_index_text_names_exactly_the_open_statuses() -> None:
    from tools.models import OPEN_ONLY_SQL

    listed = set(OPEN_ONLY_SQL.split("(")[1].rstrip(")").replace("'", "").split(", "))
    assert listed == {s.value for s in OPEN_STATUSES}


def test_worklists_read_a_page_from_an_index_instead_of_sorting_every_case(
    tmp_path: Any,
) -> None:
    from tools.plandata.sql import _list_statements

    db = make_store(f"sqlite:///{tmp_path}/plan.db")
    try:
        plans = {}
        for used, params in (
            (frozenset({"due_before", "open_only"}), {"due_before": NOW, "limit": 50}),
            (frozenset({"assignee"}), {"assignee": "ur.blake", "limit": 50}),
        ):
            _, dated, _ = _list_statements(used)
            with db.engine.connect() as conn:
                compiled = dated.compile(conn)
                bound = compiled.construct_params(params)
                ordered = [bound[name] for name in compiled.positiontup]
                ordered = [
                    v.strftime("%Y-%m-%d %H:%M:%S.%f") if hasattr(v, "strftime") else v
                    for v in ordered
                ]
                plans[used] = " ".join(
                    str(r)
                    for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", tuple(ordered))
                )
        assert "ix_cases_open_due" in plans[frozenset({"due_before", "open_only"})]
        assert "ix_cases_assigned_reviewer" in plans[frozenset({"assignee"})]
        assert all("USE TEMP B-TREE FOR ORDER BY" not in p for p in plans.values())
    finally:
        db.dispose()


def test_verify_while_writers_append_sees_a_consistent_chain(store: Database) -> None:
    member_id = a_member(store).member_id
    stop = threading.Event()
    # Verifying starts once a writer has committed, so the verifies overlap the appends
    # (without it, all eight could finish before the first commit: a flaky, empty check).
    appended = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        ctx = context(store, CM)
        try:
            while not stop.is_set():
                lookup_member(ctx, {"member_id": member_id, "fields": ["plan_id"]})
                appended.set()
        except BaseException as exc:
            errors.append(exc)
            appended.set()

    writers = [threading.Thread(target=write) for _ in range(3)]
    for t in writers:
        t.start()
    reports = []
    try:
        assert appended.wait(60), "no writer committed an audited read within 60 s"
        for _ in range(8):
            with store.read_only() as session:
                reports.append(audit.verify(session))
    finally:
        stop.set()
        for t in writers:
            t.join()
    assert errors == []
    assert all(r.ok for r in reports), [r.message for r in reports if not r.ok]
    assert reports[-1].records > 0


def test_no_names_birth_dates_or_notes_reach_the_application_log(
    store: Database, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    member = a_member(store)
    with store.read_only() as session:
        case = session.scalars(
            sa.select(Case).where(Case.clinical_notes.is_not(None)).order_by(Case.case_id)
        ).first()
    assert case is not None
    lookup_member(context(store, CM), {"member_id": member.member_id})
    find_members(
        context(store, UR), {"name": member.last_name, "date_of_birth": member.date_of_birth}
    )
    get_case(context(store, CL), {"case_id": case.case_id})
    list_cases(context(store, UR), {"member_id": case.member_id})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "lookup_member by" in logged  # who called and counts are logged...
    for phi in (
        member.member_id,
        case.case_id,
        member.first_name,
        member.last_name,
        member.date_of_birth.isoformat(),
        member.phone,
        case.clinical_notes,
    ):
        assert phi not in logged  # ...member and case ids, names, contact and notes are not
