"""What both reports share: typed figures with small-cell suppression, the data-problems
section, percentiles from a histogram the database counted, and the audited read (the role check
is the catalogue's, as for every tool).

Reports hold aggregates only. The one exception is the case ids of records with inconsistent
history, shown to roles whose grant includes case ids and written to the audit trail."""

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import BaseModel, Field

from tools import audit
from tools.context import ToolContext
from tools.models import Case
from tools.report_sql import PROBLEMS
from tools.roles import Principal, ToolName, grant_for

# Cells of 1-10 cases are suppressed in anything that could leave the plan (the CMS cell-size
# convention for public use files).
MIN_CELL = 11
SUPPRESSED = "<11"


class Count(BaseModel):
    """A number of cases; null (and suppressed) when 1-10."""

    value: int | None
    suppressed: bool = False


class Rate(BaseModel):
    """numerator / denominator as a percentage; null (suppressed) over fewer than 11 cases."""

    numerator: int | None
    denominator: int | None
    percent: float | None
    suppressed: bool = False


class Definition(BaseModel):
    figure: str
    definition: str
    rule: str


class DataProblem(BaseModel):
    kind: str
    description: str
    cases: int
    case_ids: list[str] | None = Field(
        None, description="Only for roles that may see case ids; null otherwise"
    )


class DataProblems(BaseModel):
    """Records left out of every figure because their history contradicts itself."""

    total: int
    kinds: list[DataProblem]
    case_ids_withheld: bool


@dataclass(frozen=True)
class Cells:
    """How small cells are treated: MIN_CELL for output, 1 for exact figures in tests."""

    min_cell: int = MIN_CELL

    def count(self, value: int) -> Count:
        if 0 < value < self.min_cell:
            return Count(value=None, suppressed=True)
        return Count(value=value)

    def rate(self, numerator: int, denominator: int) -> Rate:
        if denominator == 0:
            return Rate(numerator=0, denominator=0, percent=None)
        if denominator < self.min_cell:
            return Rate(numerator=None, denominator=None, percent=None, suppressed=True)
        small = 0 < numerator < self.min_cell
        return Rate(
            numerator=None if small else numerator,
            denominator=denominator,
            percent=round(100 * numerator / denominator, 1),
        )

    def stat(self, value: float | None, n: int) -> float | None:
        """A mean, median or percentile: withheld when computed over fewer than min_cell."""
        if value is None or n < self.min_cell:
            return None
        return round(value, 1)


def may_see_case_ids(principal: Principal) -> bool:
    return "case_id" in grant_for(principal).case_fields


def percentile(histogram: Sequence[tuple[int, int]], q: float) -> float | None:
    """Nearest-rank percentile (0 < q <= 1) of values given as sorted (value, count) pairs."""
    total = sum(c for _, c in histogram)
    if total == 0:
        return None
    rank = max(1, math.ceil(round(q * total, 9)))
    seen = 0
    for value, count in histogram:
        seen += count
        if seen >= rank:
            return float(value)
    return float(histogram[-1][0])


def median(histogram: Sequence[tuple[int, int]]) -> float | None:
    """The middle value; the mean of the two middle values when the count is even."""
    total = sum(c for _, c in histogram)
    if total == 0:
        return None
    lower, upper = (total + 1) // 2, total // 2 + 1
    found: list[float] = []
    seen = 0
    for value, count in histogram:
        before = seen
        seen += count
        for rank in (lower, upper):
            if before < rank <= seen:
                found.append(float(value))
    return found[0] if total % 2 else (found[0] + found[1]) / 2


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def data_problems(
    conn: sa.Connection, scope: sa.ColumnElement[bool], principal: Principal
) -> DataProblems:
    """Every in-scope case whose history is inconsistent, by kind (a case may have several)."""
    show = may_see_case_ids(principal)
    kinds = []
    ids: set[str] = set()
    for kind, (description, condition) in PROBLEMS.items():
        found = (
            conn.execute(sa.select(Case.case_id).where(scope, condition).order_by(Case.case_id))
            .scalars()
            .all()
        )
        if found:
            ids.update(found)
            kinds.append(
                DataProblem(
                    kind=kind,
                    description=description,
                    cases=len(found),
                    case_ids=list(found) if show else None,
                )
            )
    return DataProblems(total=len(ids), kinds=kinds, case_ids_withheld=not show)


@contextmanager
def audited_read(ctx: ToolContext) -> Iterator[sa.Connection]:
    """The report's read transaction, where record_read writes its audit (the catalogue has
    checked the caller's role before the report's body runs)."""
    with ctx.db.begin() as conn:
        yield conn


def record_read(
    conn: sa.Connection,
    ctx: ToolContext,
    tool: ToolName,
    detail: dict[str, Any],
    problems: DataProblems,
) -> None:
    """One audit record for the aggregates, one per case id disclosed as a data problem."""
    disclosures = [audit.Disclosure(fields=(), detail=detail)]
    for problem in problems.kinds:
        for case_id in problem.case_ids or ():
            disclosures.append(
                audit.Disclosure(
                    case_id=case_id,
                    fields=("case_id",),
                    detail={"report": detail["report"], "data_problem": problem.kind},
                )
            )
    audit.record_call(conn, ctx, tool, disclosures)
