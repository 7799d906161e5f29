"""The CMS-0057-F and UM reports against hand-computed figures on a small fixture (an extension,
a partial approval, an overturned appeal, two inconsistent records), on SQLite and PostgreSQL;
bad input, roles and the audit of every report read."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.cli import app
from tools.context import ToolContext
from tools.db import Database
from tools.errors import InvalidInput, PermissionDenied
from tools.models import AuditRecord, Case, EligibilitySpan, Member, Provider
from tools.report_cms import cms_report
from tools.report_um import um_report
from tools.reports import Cells, median, percentile
from tools.seed import seed
from tools.users import principal_for

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
EXACT = Cells(min_cell=1)


def _case(n: int, plan: str, member: str, npi: str, **values: object) -> dict[str, object]:
    received = values.pop("received_at", T0 + timedelta(hours=n))
    hours = values.pop("hours", None)
    decided = values.pop("decided_at", None)
    if hours is not None:
        decided = received + timedelta(hours=hours)
    row: dict[str, object] = {
        "case_id": f"C{2_100_000 + n:07d}",
        "member_id": member,
        "plan_id": plan,
        "requesting_npi": npi,
        "service_codes": ["72148"],
        "diagnosis_codes": ["M54.16"],
        "service_description": "MRI lumbar spine",
        "request_type": "pre_service",
        "urgency": "standard",
        "received_at": received,
        "status": "approved",
        "assigned_reviewer": None,
        "clinical_notes": None,
        "extension_taken": False,
        "due_at": received + timedelta(hours=72),
        "decided_at": decided,
        "decided_by": "dr.casey" if decided is not None else None,
        "updated_at": received,
        "determination": "approved",
        "notified_at": None,
        "extension_by": None,
        "appeal_filed_at": None,
        "appeal_resolved_at": None,
        "appeal_outcome": None,
        "criteria_cited": None,
    }
    row.update(values)
    return row


def build_fixture(db: Database) -> None:
    """15 hand-made cases on the seeded plans, replacing the seeded ones."""
    db.migrate()
    seed(db, reference=NOW.date())
    with db.transaction() as session:
        session.execute(sa.delete(Case))
        npi = session.scalars(sa.select(Provider.npi).order_by(Provider.npi)).first()

        def member_of(plan: str) -> str:
            return session.scalars(
                sa.select(Member.member_id)
                .join(EligibilitySpan, EligibilitySpan.member_id == Member.member_id)
                .where(EligibilitySpan.plan_id == plan)
                .order_by(Member.member_id)
            ).first()

        ma, mcd, com = (member_of(p) for p in ("PLN-MA-01", "PLN-MCD-01", "PLN-COM-01"))
        MA = ("PLN-MA-01", ma, npi)
        appeal = T0 + timedelta(days=3)
        rows = [
            _case(1, *MA, hours=10),
            _case(2, *MA, hours=20),
            _case(3, *MA, hours=30, determination="partially_approved",
                  criteria_cited="MP-201 §2.2"),
            _case(4, *MA, hours=40, status="denied", determination="denied",
                  criteria_cited="MP-201 §2.1", appeal_filed_at=appeal,
                  appeal_resolved_at=appeal + timedelta(days=5), appeal_outcome="overturned"),
            _case(5, *MA, hours=50, status="denied", determination="denied",
                  criteria_cited="MP-201 §2.1"),
            # Extended at the member's request, then approved; decided after the 72 h due time.
            _case(6, *MA, hours=100, extension_taken=True, extension_by="member"),
            _case(7, *MA, hours=6, urgency="expedited"),
            _case(8, *MA, hours=12, urgency="expedited", status="denied", determination="denied",
                  criteria_cited="MP-212 §2.2"),
            _case(9, "PLN-MCD-01", mcd, npi, hours=24),
            _case(10, "PLN-COM-01", com, npi, hours=5),
            _case(11, *MA, hours=8, request_type="part_b_drug",
                  service_description="Physician-administered infusion (Part B drug)"),
            # Inconsistent: decided before received; an appeal before its determination.
            _case(12, *MA, hours=-5),
            _case(13, *MA, hours=20, status="denied", determination="denied",
                  appeal_filed_at=T0 - timedelta(days=1)),
            # Open: one overdue at NOW, one due within 24 hours.
            _case(14, *MA, status="in_review", determination=None,
                  due_at=NOW - timedelta(days=1)),
            _case(15, *MA, status="in_review", determination=None,
                  due_at=NOW + timedelta(hours=11)),
        ]  # fmt: skip
        session.connection().execute(Case.__table__.insert(), rows)


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database.from_url(f"sqlite:///{tmp_path_factory.mktemp('reports')}/r.db")
    build_fixture(db)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, sqlite_db: Database) -> Iterator[Database]:
    if request.param == "sqlite":
        yield sqlite_db
        return
    pg = Database.from_url(request.getfixturevalue("postgres_url"))
    build_fixture(pg)
    yield pg
    pg.dispose()


def ctx_for(db: Database, user: str) -> ToolContext:
    return ToolContext(
        principal=principal_for(db, user), db=db, purpose="report test", clock=lambda: NOW
    )


def test_cms_figures_match_the_hand_computed_values(db: Database) -> None:
    report = cms_report(ctx_for(db, "co.dana"), {"year": 2026}, cells=EXACT)
    rows = {(r.entity_id, r.urgency.value): r for r in report.rows}
    assert set(rows) == {("H0000", "standard"), ("H0000", "expedited"), ("PLN-MCD-01", "standard")}
    std = rows[("H0000", "standard")]
    # Cases 1-6: commercial (10), the drug (11) and the inconsistent (12, 13) are left out.
    assert std.requests.value == 6
    assert std.approved.numerator == 4 and std.approved.percent == 66.7  # 1, 2, 3 (part), 6
    assert std.partially_approved.percent == 16.7
    assert std.denied.numerator == 2 and std.denied.percent == 33.3
    assert std.approved_after_appeal.numerator == 1 and std.approved_after_appeal.percent == 16.7
    assert std.extended_then_approved.numerator == 1
    assert std.average_hours == 41.7  # (10 + 20 + 30 + 40 + 50 + 100) / 6
    assert std.median_hours == 35.0  # (30 + 40) / 2
    exp = rows[("H0000", "expedited")]
    assert (exp.requests.value, exp.approved.percent, exp.denied.percent) == (2, 50.0, 50.0)
    assert (exp.average_hours, exp.median_hours) == (9.0, 9.0)
    assert rows[("PLN-MCD-01", "standard")].entity_kind == "Medicaid managed care plan"
    assert report.items_source.startswith("case service catalogue")
    assert report.data_problems.total == 2
    kinds = {k.kind: k.case_ids for k in report.data_problems.kinds}
    assert kinds == {
        "decided_before_received": ["C2100012"],
        "appeal_before_determination": ["C2100013"],
    }
    assert any("89 FR 8758" in d.rule or "422.122" in d.rule for d in report.definitions)


def test_um_figures_match_the_hand_computed_values(db: Database) -> None:
    report = um_report(
        ctx_for(db, "ur.blake"), {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}, cells=EXACT
    )
    t = report.totals
    assert t.cases.value == 13  # 15 less the two inconsistent
    assert t.determined.value == 11
    assert (t.approved.numerator, t.approved.percent) == (7, 63.6)
    assert (t.partially_approved.numerator, t.partially_approved.percent) == (1, 9.1)
    assert (t.denied.numerator, t.denied.percent) == (3, 27.3)
    assert (t.appeals_resolved.value, t.overturned_on_appeal.percent) == (1, 100.0)
    assert (report.backlog.overdue.value, report.backlog.due_within_24h.value) == (1, 1)
    ma_pre = next(
        r
        for r in report.turnaround
        if (r.line_of_business.value, r.request_type.value, r.urgency.value)
        == ("medicare_advantage", "pre_service", "standard")
    )
    assert ma_pre.decided.value == 6
    assert (ma_pre.p50_hours, ma_pre.p90_hours) == (30.0, 100.0)
    assert (ma_pre.on_time.numerator, ma_pre.on_time.denominator) == (5, 6)  # case 6 was late
    assert ma_pre.rule_id and ma_pre.deadline_hours
    reasons = {r.criteria: r.denials.value for r in report.denial_reasons}
    assert reasons == {"MP-201 §2.1": 2, "MP-201 §2.2": 1, "MP-212 §2.2": 1}
    volume = {(v.dimension, v.value): v.cases.value for v in report.volume}
    assert volume[("line_of_business", "medicare_advantage")] == 11
    assert volume[("urgency", "expedited")] == 2
    assert report.trend_unit == "week" and sum(x.cases.value or 0 for x in report.trends) == 13
    assert report.data_problems.total == 2


def test_small_cells_are_suppressed_in_the_output(sqlite_db: Database) -> None:
    report = cms_report(ctx_for(sqlite_db, "co.dana"), {"year": 2026})
    std = next(r for r in report.rows if r.urgency.value == "standard")
    assert std.requests.suppressed and std.requests.value is None
    assert std.approved.suppressed and std.approved.percent is None
    assert std.average_hours is None and std.median_hours is None
    um = um_report(
        ctx_for(sqlite_db, "co.dana"), {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    )
    assert um.totals.cases.value == 13  # 13 is not a small cell
    assert um.totals.denied.percent == 27.3  # over 11 determinations
    assert um.totals.denied.numerator is None  # but 3 denials are
    assert um.backlog.overdue.suppressed


def test_percentiles_and_median_from_a_histogram() -> None:
    hist = [(10, 1), (20, 1), (30, 1), (40, 1)]
    assert median(hist) == 25.0
    assert median([(5, 3)]) == 5.0
    assert percentile(hist, 0.5) == 20.0
    assert percentile(hist, 0.9) == 40.0
    assert percentile([], 0.5) is None


@pytest.mark.parametrize("year", [2019, 2024, 2027, 3000])
def test_an_unknown_year_is_refused(sqlite_db: Database, year: int) -> None:
    with pytest.raises(InvalidInput, match=f"year {year} is not a CMS-0057-F reporting year"):
        cms_report(ctx_for(sqlite_db, "co.dana"), {"year": year})


def test_a_range_ending_before_it_starts_is_refused(sqlite_db: Database) -> None:
    with pytest.raises(InvalidInput, match=r"ends .* before it starts"):
        um_report(
            ctx_for(sqlite_db, "co.dana"), {"start": date(2026, 3, 2), "end": date(2026, 3, 1)}
        )


def test_a_range_longer_than_three_years_is_refused(sqlite_db: Database) -> None:
    with pytest.raises(InvalidInput, match="longer than 3 years"):
        um_report(
            ctx_for(sqlite_db, "co.dana"), {"start": date(2023, 1, 1), "end": date(2026, 1, 1)}
        )
    um_report(ctx_for(sqlite_db, "co.dana"), {"start": date(2023, 1, 2), "end": date(2026, 1, 1)})


@pytest.mark.parametrize(
    ("user", "cms", "um"),
    [
        ("cm.alex", False, False),
        ("dr.casey", False, False),
        ("ur.blake", False, True),
        ("co.dana", True, True),
        ("ad.eli", True, True),
    ],
)
def test_roles_that_may_read_each_report(
    sqlite_db: Database, user: str, cms: bool, um: bool
) -> None:
    ctx = ctx_for(sqlite_db, user)
    for allowed, read in (
        (cms, lambda: cms_report(ctx, {"year": 2026})),
        (um, lambda: um_report(ctx, {"start": date(2026, 3, 1), "end": date(2026, 3, 31)})),
    ):
        if allowed:
            read()
        else:
            with pytest.raises(PermissionDenied):
                read()


def test_admin_sees_data_problem_counts_but_not_case_ids(sqlite_db: Database) -> None:
    report = um_report(
        ctx_for(sqlite_db, "ad.eli"), {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    )
    assert report.data_problems.total == 2 and report.data_problems.case_ids_withheld
    assert all(k.case_ids is None for k in report.data_problems.kinds)


def _audit_after(db: Database, seq: int) -> list[AuditRecord]:
    with db.read_only() as session:
        return list(
            session.scalars(
                sa.select(AuditRecord).where(AuditRecord.seq > seq).order_by(AuditRecord.seq)
            )
        )


def _last_seq(db: Database) -> int:
    with db.read_only() as session:
        return session.scalar(sa.select(sa.func.coalesce(sa.func.max(AuditRecord.seq), 0)))


def test_reading_a_report_is_audited_with_the_case_ids_it_disclosed(sqlite_db: Database) -> None:
    before = _last_seq(sqlite_db)
    um_report(ctx_for(sqlite_db, "co.dana"), {"start": date(2026, 3, 1), "end": date(2026, 3, 31)})
    records = _audit_after(sqlite_db, before)
    assert records[0].tool == "report_um" and records[0].user_id == "co.dana"
    assert records[0].detail == {"report": "um", "from": "2026-03-01", "to": "2026-03-31"}
    assert records[0].member_id is None and records[0].case_id is None
    assert sorted(r.case_id for r in records[1:]) == ["C2100012", "C2100013"]
    assert all(r.member_id is None and r.fields == ["case_id"] for r in records[1:])
    before = _last_seq(sqlite_db)
    cms_report(ctx_for(sqlite_db, "ad.eli"), {"year": 2026})
    records = _audit_after(sqlite_db, before)
    assert [r.tool for r in records] == ["report_cms_0057_f"]  # admin: no case ids disclosed


def test_a_refused_report_read_is_not_audited(sqlite_db: Database) -> None:
    before = _last_seq(sqlite_db)
    with pytest.raises(PermissionDenied):
        cms_report(ctx_for(sqlite_db, "ur.blake"), {"year": 2026})
    assert _audit_after(sqlite_db, before) == []


def test_the_cli_writes_the_files_and_refuses_bad_input_in_one_line(
    sqlite_db: Database, tmp_path: Path
) -> None:
    env = {"CAREASSIST_DATABASE_URL": sqlite_db.settings.database_url, "CAREASSIST_USER": ""}
    runner = CliRunner()
    out = tmp_path / "cms"
    done = runner.invoke(
        app,
        ["report", "cms-0057-f", "--year", "2026", "--out", str(out), "--user", "co.dana",
         "--index", str(tmp_path / "no-index")],
        env=env,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert {p.name for p in out.iterdir()} == {
        "cms-0057-f.csv",
        "cms-0057-f.json",
        "cms-0057-f.html",
    }
    csv_lines = (out / "cms-0057-f.csv").read_text().splitlines()
    assert csv_lines[0].startswith("year,entity_id") and "<11" in csv_lines[1]
    html = (out / "cms-0057-f.html").read_text()
    assert "C2100012" not in html  # the public page names no case
    assert "C2100012" in (out / "cms-0057-f.json").read_text()
    for args, message in (
        (["report", "um", "--from", "2026-03-02", "--to", "2026-03-01"], "before it starts"),
        (["report", "um", "--from", "2020-01-01", "--to", "2026-03-01"], "longer than 3 years"),
        (["report", "cms-0057-f", "--year", "1999"], "not a CMS-0057-F reporting year"),
    ):
        result = runner.invoke(
            app, [*args, "--out", str(tmp_path / "x"), "--user", "co.dana"], env=env
        )
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 2 and len(lines) <= 2, result.output
        assert lines[0].startswith("error:") and message in " ".join(lines)
    refused = runner.invoke(
        app,
        ["report", "cms-0057-f", "--year", "2026", "--out", str(out), "--user", "cm.alex"],
        env=env,
    )
    assert refused.exit_code == 2 and "may not use report_cms_0057_f" in refused.output


def test_seeded_history_is_deterministic_and_consistent(tmp_path: Path) -> None:
    rows = []
    for name in ("a", "b"):
        db = Database.from_url(f"sqlite:///{tmp_path}/{name}.db")
        db.migrate()
        seed(db, reference=date(2026, 11, 24), cases=2000, history_days=400)
        with db.read_only() as session:
            rows.append(
                session.execute(
                    sa.select(
                        Case.case_id, Case.determination, Case.appeal_outcome, Case.decided_at
                    ).order_by(Case.case_id)
                ).all()
            )
        db.dispose()
    assert rows[0] == rows[1] and len(rows[0]) == 2000
    kinds = {r.determination for r in rows[0]}
    assert {"approved", "partially_approved", "denied", None} <= kinds
    assert any(r.appeal_outcome == "overturned" for r in rows[0])


def test_the_prior_authorization_items_come_from_the_indexed_criteria_documents(
    sqlite_db: Database, sample_index: Path, tmp_path: Path
) -> None:
    import yaml

    from tests.conftest import REPO
    from tools.report_cms import indexed_items

    in_force = set()
    for path in (REPO / "corpus").rglob("*.md"):
        meta = yaml.safe_load(path.read_text().split("---")[1])
        if meta.get("doc_type") == "criteria" and not meta.get("end_date"):
            in_force.add(meta["doc_id"])
    assert in_force  # the shipped corpus has medical policies
    items = indexed_items(sample_index)
    assert items is not None and {i.source for i in items} == in_force
    report = cms_report(ctx_for(sqlite_db, "co.dana"), {"year": 2026}, index_dir=sample_index)
    assert {i.source for i in report.items} == in_force
    assert not report.items_source.startswith("case service catalogue")
    assert indexed_items(tmp_path / "no-index-here") is None
