"""Helpers shared by the tools tests: a seeded store, contexts per role, a fake Searcher."""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from retrieval.filters import Filters
from retrieval.search import Hit
from tools.catalogue import catalogue, langchain_tool
from tools.context import ToolContext
from tools.db import Database, init_db
from tools.models import AuditRecord, Case, Member
from tools.roles import Principal, Role
from tools.seed import seed
from tools.settings import ToolsSettings

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

REFERENCE = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
SEED = 7
USERS = {
    Role.case_manager: "cm.alex",
    Role.um_reviewer: "ur.blake",
    Role.clinician: "dr.casey",
    Role.compliance: "co.dana",
    Role.admin: "ad.eli",
}


def agent_tools(ctx: ToolContext) -> list["StructuredTool"]:
    """The catalogue's agent tools for the caller as LangChain tools bound to `ctx`, wrapped as
    the LLM engine wraps them."""
    specs = catalogue().for_agent(ctx.principal)
    return [langchain_tool(spec, partial(spec, ctx)) for spec in specs]


def schema_revision(engine: sa.Engine, version_table: str = "alembic_version") -> str | None:
    """The migration revision the database records (tools' history unless told otherwise)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": version_table})
        return context.get_current_revision()


def make_store(
    url: str, members: int = 300, seed_value: int = SEED, plan_data: str = "sql"
) -> Database:
    settings = ToolsSettings(database_url=url, plan_data=plan_data)
    init_db(url, settings)
    db = Database(settings)
    seed(db, members=members, seed=seed_value, reference=REFERENCE)
    return db


def open_store(request: pytest.FixtureRequest, tmp_path: Any) -> Database:
    """For a fixture parametrized over 'sqlite' and 'postgres' (a postgres_url schema)."""
    if request.param == "sqlite":
        return make_store(f"sqlite:///{tmp_path}/store.db")
    return make_store(request.getfixturevalue("postgres_url"))


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# Every plan-data implementation (tools/plandata) on each database it runs on. The careassist
# database always holds the audit trail and the seeded sample data; an implementation whose
# source is elsewhere (a FHIR server) loads that sample into its source here before the tests.
IMPLEMENTATIONS = [
    pytest.param(("sql", "sqlite"), id="sql-sqlite"),
    pytest.param(("sql", "postgres"), id="sql-postgres", marks=pytest.mark.postgres),
]


def open_implementation(request: pytest.FixtureRequest, tmp_path: Any) -> Database:
    """For a fixture parametrized over IMPLEMENTATIONS: a seeded store whose ToolContexts read
    through that implementation."""
    source, backend = request.param
    if backend == "sqlite":
        return make_store(f"sqlite:///{tmp_path}/store.db", plan_data=source)
    return make_store(request.getfixturevalue("postgres_url"), plan_data=source)


def context(
    db: Database,
    role: Role,
    *,
    user_id: str | None = None,
    searcher: Any = None,
    purpose: str = "test",
    channel: str = "python",
) -> ToolContext:
    return ToolContext(
        principal=Principal(user_id or USERS[role], role),
        db=db,
        purpose=purpose,
        channel=channel,
        searcher=searcher,
        clock=lambda: NOW,
    )


def audit_count(db: Database) -> int:
    with db.read_only() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AuditRecord)) or 0


def first_id(db: Database, column: Any, *where: Any) -> str:
    with db.read_only() as session:
        value = session.scalar(sa.select(column).where(*where).order_by(column).limit(1))
    assert value is not None
    return value


def a_member_with_open_case(db: Database) -> str:
    from tools.enums import OPEN_STATUSES

    return first_id(db, Case.member_id, Case.status.in_(OPEN_STATUSES))


def a_member(db: Database) -> Member:
    with db.read_only() as session:
        return session.scalars(sa.select(Member).order_by(Member.member_id).limit(1)).one()


def hit(
    doc_id: str,
    section: str,
    heading: str,
    text: str,
    doc_type: str = "criteria",
    title: str | None = None,
    lob: str = "all",
    effective: str = "2026-01-01",
) -> Hit:
    return Hit(
        doc_id=doc_id,
        title=title or f"{doc_id} title",
        doc_type=doc_type,
        line_of_business=lob,
        section=section,
        citation=f"{doc_id} §{section}",
        text=text,
        score=0.0,
        source_path=f"corpus/{doc_id}.md",
        version="1",
        effective_date=effective,
        end_date=None,
        heading_path=heading.split(" > "),
        chunk_id=f"{doc_id}-{section}",
        similarity=0.0,
    )


CRITERIA_HITS = [
    hit(
        "MP-202",
        "2.1",
        "2. Coverage criteria > 2.1 Initial CPAP coverage (12-week trial)",
        "A CPAP device (E0601) is considered medically necessary for an initial 12-week trial "
        "when all of the following are met: AHI of 15 or more.",
        title="CPAP for OSA",
    ),
    hit(
        "MP-202",
        "5.1",
        "5. Codes > 5.1 HCPCS and CPT codes for CPAP and sleep testing",
        "- E0601 Continuous positive airway pressure (CPAP) device\n- E0470 bilevel",
        title="CPAP for OSA",
    ),
    hit(
        "MP-202",
        "5.2",
        "5. Codes > 5.2 ICD-10-CM codes for obstructive sleep apnea",
        "- G47.33 Obstructive sleep apnea (adult) (pediatric)",
        title="CPAP for OSA",
    ),
    hit(
        "MP-201",
        "2.1",
        "2. Coverage criteria > 2.1 Lumbar MRI criteria",
        "Lumbar spine MRI (72148) is medically necessary after 6 weeks of conservative therapy.",
        title="Lumbar Spine MRI",
    ),
    hit(
        "MP-201",
        "5.1",
        "5. Codes > 5.1 CPT codes for lumbar spine MRI",
        "- 72148: MRI lumbar spinal canal, without contrast",
        title="Lumbar Spine MRI",
    ),
    hit(
        "MP-299",
        "2.1",
        "2. Coverage criteria > 2.1 Medicaid-only criteria",
        "Medicaid members: sleep apnea devices need a face-to-face visit.",
        lob="medicaid",
        title="Medicaid-only policy",
    ),
    hit(
        "CON-101",
        "3.2",
        "3. Prior authorization > 3.2 Notification of urgent admissions",
        "The Hospital must notify the Plan of every urgent or emergency inpatient admission "
        "within one business day.",
        doc_type="contract",
        title="Hospital Services Agreement - Synthetic General Hospital",
        effective="2025-01-01",
    ),
    hit(
        "CON-101",
        "4.1",
        "4. Claims and timely filing > 4.1 Timely filing limit",
        "Medicaid claims within 365 days from the date of service.",
        doc_type="contract",
        title="Hospital Services Agreement - Synthetic General Hospital",
        effective="2025-01-01",
    ),
    hit(
        "CON-104",
        "3.1",
        "3. Prior authorization > 3.1 Prior authorization for DME",
        "Example Medical Supply must obtain prior authorization before delivering a CPAP.",
        doc_type="contract",
        title="DME Supplier Agreement - Example Medical Supply",
        effective="2025-04-01",
    ),
]


class FakeSearcher:
    """Same signature as retrieval.search.Searcher.search: filters honoured, keyword ranking."""

    def __init__(self, hits: Iterable[Hit] = CRITERIA_HITS) -> None:
        self.hits = list(hits)
        self.calls: list[tuple[str, int, Filters | None]] = []

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        self.calls.append((query, k, filters))
        f = filters or Filters()
        words = set(re.findall(r"[\w.]+", query.lower()))
        pool = []
        for h in self.hits:
            if f.lob and h.line_of_business not in {f.lob.value, "all"}:
                continue
            if f.doc_types and h.doc_type not in {t.value for t in f.doc_types}:
                continue
            if f.doc_ids and h.doc_id not in f.doc_ids:
                continue
            if f.as_of and h.effective_date and date.fromisoformat(h.effective_date) > f.as_of:
                continue
            text = f"{h.title} {' '.join(h.heading_path)} {h.text}".lower()
            score = sum(1 for w in words if w in text)
            if score:
                pool.append(h.model_copy(update={"score": float(score)}))
        pool.sort(key=lambda h: -h.score)
        return pool[:k]
