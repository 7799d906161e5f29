"""The plan-data port on the careassist database (SQLAlchemy 2; SQLite or PostgreSQL).

Statements are built once at import: a member lookup is a handful of indexed reads, and building
statements per call (or the ORM's identity map) would cost several times more than the reads.
Disclosing reads share one transaction with their audit append (see tools.plandata.port).
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tools.db import Database
from tools.enums import OPEN_STATUSES
from tools.models import (
    OPEN_ONLY_SQL,
    Case,
    Contract,
    EligibilitySpan,
    Member,
    NetworkSpan,
    Plan,
    Provider,
    User,
)
from tools.plandata.records import (
    CaseDetail,
    CaseFilters,
    CaseRow,
    ContractRow,
    CoverageSpan,
    MemberName,
    MemberRow,
    NetworkSpanRow,
    OpenCaseRow,
    PlanRow,
    ProviderRow,
    StaffRow,
)


def _in_force(column_start: Any, column_end: Any, on: Any) -> sa.ColumnElement[bool]:
    return sa.and_(column_start <= on, sa.or_(column_end.is_(None), column_end >= on))


def _columns(model: Any, record: Any) -> list[Any]:
    """The model's columns named like the record's fields, in the record's order."""
    return [getattr(model, f.name) for f in fields(record)]


MEMBER = sa.select(*_columns(Member, MemberRow)).where(
    Member.member_id == sa.bindparam("member_id")
)
ALL_MEMBERS = sa.select(*_columns(Member, MemberRow)).order_by(Member.member_id)
SPANS_OF_MEMBER = (
    sa.select(
        EligibilitySpan.plan_id,
        EligibilitySpan.start_date,
        EligibilitySpan.end_date,
        EligibilitySpan.pcp_npi,
        Plan.name.label("plan_name"),
        Plan.line_of_business,
        Provider.name.label("pcp_name"),
    )
    .join(Plan, Plan.plan_id == EligibilitySpan.plan_id)
    .outerjoin(Provider, Provider.npi == EligibilitySpan.pcp_npi)
    .where(EligibilitySpan.member_id == sa.bindparam("member_id"))
)
OPEN_CASES = (
    sa.select(
        Case.case_id, Case.status, Case.request_type, Case.urgency, Case.received_at, Case.due_at
    )
    .where(Case.member_id == sa.bindparam("member_id"), Case.status.in_(sorted(OPEN_STATUSES)))
    .order_by(Case.received_at, Case.case_id)
)
BORN_ON = (
    sa.select(Member.member_id, Member.first_name, Member.last_name, Member.date_of_birth)
    .where(Member.date_of_birth == sa.bindparam("date_of_birth"))
    .order_by(Member.member_id)
)
PLANS_ON = sa.select(EligibilitySpan.member_id, EligibilitySpan.plan_id).where(
    EligibilitySpan.member_id.in_(sa.bindparam("member_ids", expanding=True)),
    EligibilitySpan.start_date <= sa.bindparam("on"),
    sa.or_(EligibilitySpan.end_date.is_(None), EligibilitySpan.end_date >= sa.bindparam("on")),
)
CASE_DETAIL = (
    sa.select(
        *[getattr(Case, f.name) for f in fields(CaseDetail) if hasattr(Case, f.name)],
        Member.first_name,
        Member.last_name,
        Plan.line_of_business,
        Provider.name.label("requesting_provider_name"),
    )
    .join(Member, Member.member_id == Case.member_id)
    .join(Plan, Plan.plan_id == Case.plan_id)
    .join(Provider, Provider.npi == Case.requesting_npi)
    .where(Case.case_id == sa.bindparam("case_id"))
)
CASE_NOTES = (
    sa.select(Case.member_id, Case.clinical_notes)
    .where(Case.clinical_notes.is_not(None))
    .order_by(Case.case_id)
)
PLAN = sa.select(*_columns(Plan, PlanRow)).where(Plan.plan_id == sa.bindparam("plan_id"))
PROVIDER = sa.select(*_columns(Provider, ProviderRow)).where(Provider.npi == sa.bindparam("npi"))
NETWORK_SPAN = (
    sa.select(*_columns(NetworkSpan, NetworkSpanRow))
    .where(
        NetworkSpan.npi == sa.bindparam("npi"),
        NetworkSpan.plan_id == sa.bindparam("plan_id"),
        _in_force(NetworkSpan.start_date, NetworkSpan.end_date, sa.bindparam("on")),
    )
    .order_by(NetworkSpan.start_date.desc())
    .limit(1)
)
CONTRACTS = (
    sa.select(*_columns(Contract, ContractRow))
    .where(
        Contract.npi == sa.bindparam("npi"),
        Contract.plan_id == sa.bindparam("plan_id"),
        _in_force(Contract.effective_date, Contract.end_date, sa.bindparam("on")),
    )
    .order_by(Contract.effective_date, Contract.contract_id)
)
STAFF = sa.select(*_columns(User, StaffRow))
STAFF_USER = STAFF.where(User.user_id == sa.bindparam("user_id"))
ALL_STAFF = STAFF.order_by(User.user_id)

SUMMARY_COLUMNS = _columns(Case, CaseRow)
FILTERS: dict[str, Callable[[], sa.ColumnElement[bool] | sa.TextClause]] = {
    "assignee": lambda: Case.assigned_reviewer == sa.bindparam("assignee"),
    "statuses": lambda: Case.status.in_(sa.bindparam("statuses", expanding=True)),
    # Literal, not bound: SQLite uses the partial index only when the query repeats its WHERE.
    "open_only": lambda: sa.text(OPEN_ONLY_SQL),
    "due_before": lambda: Case.due_at < sa.bindparam("due_before"),
    "member_id": lambda: Case.member_id == sa.bindparam("member_id"),
    "received_from": lambda: Case.received_at >= sa.bindparam("received_from"),
    "received_before": lambda: Case.received_at < sa.bindparam("received_before"),
}


@lru_cache(maxsize=64)
def _list_statements(used: frozenset[str]) -> tuple[sa.Select[Any], sa.Select[Any], sa.Select[Any]]:
    """Count, dated-page and undated-page statements for one combination of filters, built once.

    Cases with a due time come first, soonest first; cases without one (no verified rule) follow
    by receipt. Two pages rather than one ORDER BY "due_at IS NULL, due_at": that expression
    defeats the due_at indexes, and a worklist would sort every matching case to show 50.
    """
    conditions = [FILTERS[name]() for name in sorted(used)]
    count = sa.select(sa.func.count()).select_from(Case).where(*conditions)
    limit = sa.bindparam("limit", type_=sa.Integer)
    dated = (
        sa.select(*SUMMARY_COLUMNS)
        .where(*conditions, Case.due_at.is_not(None))
        .order_by(Case.due_at, Case.received_at, Case.case_id)
        .limit(limit)
    )
    undated = (
        sa.select(*SUMMARY_COLUMNS)
        .where(*conditions, Case.due_at.is_(None))
        .order_by(Case.received_at, Case.case_id)
        .limit(limit)
    )
    return count, dated, undated


def _case_params(filters: CaseFilters) -> tuple[frozenset[str], dict[str, Any]]:
    """The filters in use and their bound values (open_only is literal SQL, so not bound)."""
    params: dict[str, Any] = {}
    if filters.assignee:
        params["assignee"] = filters.assignee
    if filters.statuses:
        params["statuses"] = list(filters.statuses)
    for name in ("due_before", "member_id", "received_from", "received_before"):
        value = getattr(filters, name)
        if value is not None:
            params[name] = value
    used = frozenset(params) | ({"open_only"} if filters.open_only else frozenset())
    return used, params


class SqlReads:
    """PlanReads on one connection, inside the transaction its unit of work opened."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    @property
    def audit(self) -> sa.Connection:
        # The read's own transaction: reads and audit commit together or not at all.
        return self.conn

    def member(self, member_id: str) -> MemberRow | None:
        row = self.conn.execute(MEMBER, {"member_id": member_id}).first()
        return None if row is None else MemberRow(*row)

    def coverage(self, member_id: str) -> list[CoverageSpan]:
        rows = self.conn.execute(SPANS_OF_MEMBER, {"member_id": member_id})
        return [CoverageSpan(*r) for r in rows]

    def members_born_on(self, date_of_birth: date) -> list[MemberName]:
        rows = self.conn.execute(BORN_ON, {"date_of_birth": date_of_birth})
        return [MemberName(*r) for r in rows]

    def plans_on(self, member_ids: Sequence[str], on: date) -> dict[str, str]:
        if not member_ids:
            return {}
        rows = self.conn.execute(PLANS_ON, {"member_ids": list(member_ids), "on": on})
        return {member_id: plan_id for member_id, plan_id in rows}

    def members(self) -> list[MemberRow]:
        return [MemberRow(*r) for r in self.conn.execute(ALL_MEMBERS)]

    def open_cases(self, member_id: str) -> list[OpenCaseRow]:
        rows = self.conn.execute(OPEN_CASES, {"member_id": member_id})
        return [OpenCaseRow(*r) for r in rows]

    def case(self, case_id: str) -> CaseDetail | None:
        row = self.conn.execute(CASE_DETAIL, {"case_id": case_id}).first()
        return None if row is None else CaseDetail(**row._mapping)

    def count_cases(self, filters: CaseFilters) -> int:
        used, params = _case_params(filters)
        count, _, _ = _list_statements(used)
        return int(self.conn.execute(count, params).scalar_one() or 0)

    def cases(self, filters: CaseFilters, limit: int) -> list[CaseRow]:
        used, params = _case_params(filters)
        _, dated, undated = _list_statements(used)
        rows = list(self.conn.execute(dated, {**params, "limit": limit}))
        if len(rows) < limit and filters.due_before is None:
            rows += self.conn.execute(undated, {**params, "limit": limit - len(rows)}).all()
        return [CaseRow(*r) for r in rows]

    def case_notes(self) -> list[tuple[str, str]]:
        return [(m, str(text)) for m, text in self.conn.execute(CASE_NOTES)]

    def plan(self, plan_id: str) -> PlanRow | None:
        row = self.conn.execute(PLAN, {"plan_id": plan_id}).first()
        return None if row is None else PlanRow(*row)

    def provider(self, npi: str) -> ProviderRow | None:
        row = self.conn.execute(PROVIDER, {"npi": npi}).first()
        return None if row is None else ProviderRow(*row)

    def network_span(self, npi: str, plan_id: str, on: date) -> NetworkSpanRow | None:
        row = self.conn.execute(NETWORK_SPAN, {"npi": npi, "plan_id": plan_id, "on": on}).first()
        return None if row is None else NetworkSpanRow(*row)

    def contracts(self, npi: str, plan_id: str, on: date) -> list[ContractRow]:
        rows = self.conn.execute(CONTRACTS, {"npi": npi, "plan_id": plan_id, "on": on})
        return [ContractRow(**{**r._mapping, "terms": dict(r.terms)}) for r in rows]

    def staff_user(self, user_id: str) -> StaffRow | None:
        row = self.conn.execute(STAFF_USER, {"user_id": user_id}).first()
        return None if row is None else StaffRow(*row)

    def staff(self) -> list[StaffRow]:
        return [StaffRow(*r) for r in self.conn.execute(ALL_STAFF)]


class SqlWrites(SqlReads):
    def __init__(self, session: Session) -> None:
        super().__init__(session.connection())
        self.session = session

    def put_staff(self, user: StaffRow) -> None:
        self.session.merge(
            User(
                user_id=user.user_id,
                role=user.role,
                display_name=user.display_name,
                credentials=user.credentials,
                active=user.active,
            )
        )


class SqlPlanData:
    """Plan data in the careassist database itself: the default, and the sample store's."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def reading(self) -> Iterator[SqlReads]:
        with self.db.read_only() as session:
            yield SqlReads(session.connection())

    @contextmanager
    def disclosing(self) -> Iterator[SqlReads]:
        with self.db.begin() as conn:
            yield SqlReads(conn)

    @contextmanager
    def changing(self) -> Iterator[SqlWrites]:
        with self.db.transaction() as session:
            yield SqlWrites(session)
