"""SQL pieces the reports share: the population filters, inconsistent-history checks and the
dialect-specific arithmetic on timestamps (SQLite stores UTC text, PostgreSQL timestamptz)."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute

from tools.enums import AppealOutcome, Determination
from tools.models import Case

APPROVED = (Determination.approved.value, Determination.partially_approved.value)
ADVERSE = (Determination.denied.value, Determination.partially_approved.value)
# A timestamp the arithmetic below takes: a model's column (Case.decided_at) or an expression.
Column = sa.ColumnElement[Any] | InstrumentedAttribute[Any]

# Inconsistent history, each spelled so a null never hides a row: "a < b" only when both exist.
PROBLEMS: dict[str, tuple[str, sa.ColumnElement[bool]]] = {
    "decided_before_received": (
        "determination dated before the request was received",
        sa.and_(Case.decided_at.is_not(None), Case.decided_at < Case.received_at),
    ),
    "notified_before_decided": (
        "notice dated before the determination",
        sa.and_(
            Case.notified_at.is_not(None),
            Case.decided_at.is_not(None),
            Case.notified_at < Case.decided_at,
        ),
    ),
    "appeal_before_determination": (
        "appeal filed before the determination it appeals (or with none recorded)",
        sa.and_(
            Case.appeal_filed_at.is_not(None),
            sa.or_(Case.decided_at.is_(None), Case.appeal_filed_at < Case.decided_at),
        ),
    ),
    "appeal_resolved_before_filed": (
        "appeal resolved before it was filed",
        sa.and_(
            Case.appeal_resolved_at.is_not(None),
            Case.appeal_filed_at.is_not(None),
            Case.appeal_resolved_at < Case.appeal_filed_at,
        ),
    ),
    "determination_without_time": (
        "determination recorded without the time it was made",
        sa.and_(Case.determination.is_not(None), Case.decided_at.is_(None)),
    ),
    "outcome_without_appeal": (
        "appeal outcome recorded without a filed and resolved appeal",
        sa.and_(
            Case.appeal_outcome.is_not(None),
            sa.or_(Case.appeal_filed_at.is_(None), Case.appeal_resolved_at.is_(None)),
        ),
    ),
}
ANY_PROBLEM = sa.or_(*(cond for _, cond in PROBLEMS.values()))
CONSISTENT = sa.not_(ANY_PROBLEM)


def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def approved() -> sa.ColumnElement[bool]:
    return Case.determination.in_(APPROVED)


def overturned_by(end: datetime) -> sa.ColumnElement[bool]:
    """An adverse determination overturned on an appeal resolved before `end`."""
    return sa.and_(
        Case.determination.in_(ADVERSE),
        Case.appeal_outcome == AppealOutcome.overturned.value,
        Case.appeal_resolved_at < end,
    )


def minutes(dialect: str, later: Column, earlier: Column) -> sa.ColumnElement:
    """Whole minutes from `earlier` to `later`, rounded, computed in the database."""
    if dialect == "sqlite":
        days = sa.func.julianday(later) - sa.func.julianday(earlier)
        return sa.cast(sa.func.round(days * 1440), sa.Integer)
    seconds = sa.extract("epoch", later - earlier)
    return sa.cast(sa.func.round(seconds / 60), sa.Integer)


def month_of(dialect: str, column: Column) -> sa.ColumnElement[str]:
    """YYYY-MM of a UTC timestamp."""
    if dialect == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")


def week_index(dialect: str, column: Column, start: datetime) -> sa.ColumnElement[int]:
    """Whole weeks from `start` (the report's first instant) to the timestamp."""
    if dialect == "sqlite":
        days = sa.func.julianday(column) - sa.func.julianday(sa.literal(_sqlite_text(start)))
        return sa.cast(days / 7, sa.Integer)
    seconds = sa.extract("epoch", column - sa.literal(start, sa.DateTime(timezone=True)))
    return sa.cast(sa.func.floor(seconds / 604800), sa.Integer)


def _sqlite_text(value: datetime) -> str:
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
