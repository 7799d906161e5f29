"""The UM director's report: volume, determinations, appeals, turnaround against each rule's
deadline, the open backlog, trends and denial reasons, for cases received in a date range."""

import logging
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from tools.catalogue import tool
from tools.context import ToolContext
from tools.deadlines import SWITCH_2026, find_rule
from tools.enums import (
    AppealOutcome,
    Determination,
    LineOfBusiness,
    RequestType,
    Urgency,
)
from tools.errors import DeadlineRuleNotFound, InvalidInput
from tools.ids import ordered
from tools.models import OPEN_ONLY_SQL, Case, Plan
from tools.report_sql import CONSISTENT, count_if, minutes, month_of, week_index
from tools.reports import (
    Cells,
    Count,
    DataProblems,
    Definition,
    Rate,
    audited_read,
    data_problems,
    day_start,
    percentile,
    record_read,
)
from tools.roles import Principal, ToolName

log = logging.getLogger(__name__)

MAX_YEARS = 3
WEEKLY_UP_TO_DAYS = 92
DEFINITIONS = (
    Definition(
        figure="Cases",
        definition="UM requests received in the period (plan time zone), every line of "
        "business, request type and status.",
        rule="Plan reporting",
    ),
    Definition(
        figure="Approval, partial-approval and denial rates",
        definition="Determinations of each kind divided by the cases in the period that have a "
        "determination.",
        rule="Plan reporting; CMS-0057-F counts partial approvals as approved",
    ),
    Definition(
        figure="Overturn-on-appeal rate",
        definition="Appeals resolved in the member's favour divided by appeals resolved, for "
        "cases received in the period.",
        rule="42 CFR 422.578-422.590 (MA), 438.402-438.424 (Medicaid)",
    ),
    Definition(
        figure="Turnaround percentiles and share on time",
        definition="Hours from receipt to determination (to the minute; nearest-rank "
        "percentiles) for each deadline rule, beside the rule's timeframe; on time means "
        "decided no later than the case's stored due time, which includes any extension.",
        rule="The rule cited for each row (tools/deadlines.py rule table)",
    ),
    Definition(
        figure="Overdue and due within 24 hours",
        definition="Open cases, whatever their receipt date, past their due time or due in "
        "the next 24 hours when the report was generated.",
        rule="Plan reporting",
    ),
    Definition(
        figure="Trends",
        definition="Cases received per week (periods up to 92 days; weeks counted from the "
        "first day) or per calendar month (UTC), with the period's determination rates.",
        rule="Plan reporting",
    ),
    Definition(
        figure="Denial reasons",
        definition="Denials and partial approvals by the criteria section the determination cited.",
        rule="42 CFR 422.568(e), 438.404(b): a denial states its reason and criteria",
    ),
)


class VolumeRow(BaseModel):
    dimension: str
    value: str
    cases: Count


class Rates(BaseModel):
    cases: Count
    determined: Count
    approved: Rate
    partially_approved: Rate
    denied: Rate
    appeals_resolved: Count
    overturned_on_appeal: Rate


class TurnaroundRow(BaseModel):
    line_of_business: LineOfBusiness
    request_type: RequestType
    urgency: Urgency
    rule_id: str | None
    citation: str | None
    deadline: str
    deadline_hours: float | None
    decided: Count
    p50_hours: float | None
    p90_hours: float | None
    p95_hours: float | None
    on_time: Rate


class Backlog(BaseModel):
    open_cases: Count
    overdue: Count
    due_within_24h: Count


class TrendRow(BaseModel):
    period: str
    cases: Count
    approved: Rate
    denied: Rate
    on_time: Rate


class ReasonRow(BaseModel):
    criteria: str
    denials: Count


class UmReport(BaseModel):
    report: str = "um"
    period_from: date
    period_to: date
    generated_at: datetime
    plan_time_zone: str
    trend_unit: str
    totals: Rates
    volume: list[VolumeRow]
    turnaround: list[TurnaroundRow]
    backlog: Backlog
    trends: list[TrendRow]
    denial_reasons: list[ReasonRow]
    definitions: list[Definition]
    suppression: str
    data_problems: DataProblems


def check_range(start: date, end: date) -> None:
    ordered(start, end, "report range")
    try:
        limit = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + MAX_YEARS, day=28)
    if end >= limit:
        raise InvalidInput(
            f"the report range {start} to {end} is longer than {MAX_YEARS} years; split it"
        )


class UmReportInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: date = Field(description="First receipt date (inclusive, plan time zone)")
    end: date = Field(description="Last receipt date (inclusive)")


def _rates(cells: Cells, row: sa.Row) -> Rates:
    determined = int(row.determined or 0)
    resolved = int(row.resolved or 0)
    return Rates(
        cases=cells.count(int(row.cases or 0)),
        determined=cells.count(determined),
        approved=cells.rate(int(row.approved or 0), determined),
        partially_approved=cells.rate(int(row.partial or 0), determined),
        denied=cells.rate(int(row.denied or 0), determined),
        appeals_resolved=cells.count(resolved),
        overturned_on_appeal=cells.rate(int(row.overturned or 0), resolved),
    )


def _deadline(
    lob: LineOfBusiness, rtype: RequestType, urgency: Urgency, received: date
) -> tuple[str | None, str | None, str, float | None]:
    try:
        rule = find_rule(lob, rtype, urgency, received)
    except DeadlineRuleNotFound:
        return None, None, "no verified rule", None
    amount, unit = rule.timeframe
    hours = float(amount if unit.value == "hours" else amount * 24)
    label = f"{amount} {'hours' if unit.value == 'hours' else 'calendar days'}"
    return rule.rule_id, rule.citation, label, hours


def compute(
    conn: sa.Connection,
    start_day: date,
    end_day: date,
    zone_name: str,
    principal: Principal,
    cells: Cells,
    now: datetime,
) -> UmReport:
    zone = ZoneInfo(zone_name)
    start, end = day_start(start_day, zone), day_start(end_day + timedelta(days=1), zone)
    dialect = conn.dialect.name
    in_range = sa.and_(Case.received_at >= start, Case.received_at < end)
    where = (in_range, CONSISTENT)
    base = sa.select().select_from(Case).join(Plan, Plan.plan_id == Case.plan_id)
    determined = Case.determination.is_not(None)
    resolved = sa.and_(Case.appeal_resolved_at.is_not(None), Case.appeal_outcome.is_not(None))
    rate_columns = (
        sa.func.count().label("cases"),
        count_if(determined).label("determined"),
        count_if(Case.determination == Determination.approved.value).label("approved"),
        count_if(Case.determination == Determination.partially_approved.value).label("partial"),
        count_if(Case.determination == Determination.denied.value).label("denied"),
        count_if(resolved).label("resolved"),
        count_if(Case.appeal_outcome == AppealOutcome.overturned.value).label("overturned"),
    )
    totals = _rates(cells, conn.execute(base.add_columns(*rate_columns).where(*where)).one())
    volume: list[VolumeRow] = []
    for name, column in (
        ("line_of_business", Plan.line_of_business),
        ("service_category", Case.service_description),
        ("urgency", Case.urgency),
    ):
        for value, n in conn.execute(
            base.add_columns(column, sa.func.count())
            .where(*where)
            .group_by(column)
            .order_by(sa.func.count().desc(), column)
        ):
            volume.append(VolumeRow(dimension=name, value=str(value), cases=cells.count(int(n))))
    turnaround = _turnaround(conn, base, where, dialect, start, cells, zone)
    trends = _trends(conn, base, where, dialect, start, (end - start).days, cells)
    reasons = [
        ReasonRow(criteria=str(criteria or "no criteria cited"), denials=cells.count(int(n)))
        for criteria, n in conn.execute(
            base.add_columns(Case.criteria_cited, sa.func.count())
            .where(*where, Case.determination.in_(("denied", "partially_approved")))
            .group_by(Case.criteria_cited)
            .order_by(sa.func.count().desc(), Case.criteria_cited)
        )
    ]
    # The backlog is a snapshot of every open case, read through the open-cases index.
    open_sql = sa.text(OPEN_ONLY_SQL)
    backlog_row = conn.execute(
        sa.select(
            sa.func.count(),
            count_if(Case.due_at < now),
            count_if(sa.and_(Case.due_at >= now, Case.due_at < now + timedelta(hours=24))),
        ).where(open_sql)
    ).one()
    return UmReport(
        period_from=start_day,
        period_to=end_day,
        generated_at=now,
        plan_time_zone=zone_name,
        trend_unit="week" if (end - start).days <= WEEKLY_UP_TO_DAYS else "month",
        totals=totals,
        volume=volume,
        turnaround=turnaround,
        backlog=Backlog(
            open_cases=cells.count(int(backlog_row[0])),
            overdue=cells.count(int(backlog_row[1])),
            due_within_24h=cells.count(int(backlog_row[2])),
        ),
        trends=trends,
        denial_reasons=reasons,
        definitions=list(DEFINITIONS),
        suppression=f"Counts of 1-{cells.min_cell - 1} cases, and rates and times over fewer "
        f"than {cells.min_cell} cases, are withheld (shown as <11).",
        data_problems=data_problems(conn, in_range, principal),
    )


def _turnaround(
    conn: sa.Connection,
    base: sa.Select,
    where: tuple,
    dialect: str,
    start: datetime,
    cells: Cells,
    zone: ZoneInfo,
) -> list[TurnaroundRow]:
    switch = day_start(SWITCH_2026, zone)
    era = sa.case((Case.received_at < switch, 0), else_=1).label("era")
    keys = (Plan.line_of_business, Case.request_type, Case.urgency, era)
    decided = sa.and_(Case.determination.is_not(None), Case.decided_at.is_not(None))
    minute = minutes(dialect, Case.decided_at, Case.received_at).label("minutes")
    histograms: dict[tuple, list[tuple[int, int]]] = {}
    for row in conn.execute(
        base.add_columns(*keys, minute, sa.func.count().label("n"))
        .where(*where, decided)
        .group_by(*keys, minute)
        .order_by(*keys, minute)
    ):
        key = (str(row[0]), str(row[1]), str(row[2]), int(row.era))
        histograms.setdefault(key, []).append((int(row.minutes), int(row.n)))
    timely = {
        (str(r[0]), str(r[1]), str(r[2]), int(r.era)): (int(r.on_time), int(r.with_due))
        for r in conn.execute(
            base.add_columns(
                *keys,
                count_if(Case.decided_at <= Case.due_at).label("on_time"),
                count_if(Case.due_at.is_not(None)).label("with_due"),
            )
            .where(*where, decided)
            .group_by(*keys)
        )
    }
    rows = []
    for key in sorted(histograms):
        lob, rtype, urgency, era_value = (
            LineOfBusiness(key[0]),
            RequestType(key[1]),
            Urgency(key[2]),
            key[3],
        )
        hist = histograms[key]
        n = sum(c for _, c in hist)
        received = date(2025, 12, 31) if era_value == 0 else SWITCH_2026
        rule_id, citation, label, hours = _deadline(lob, rtype, urgency, received)
        on_time, with_due = timely.get(key, (0, 0))

        def hours_at(q: float, hist: list[tuple[int, int]] = hist, n: int = n) -> float | None:
            value = percentile(hist, q)
            return cells.stat(None if value is None else value / 60, n)

        rows.append(
            TurnaroundRow(
                line_of_business=lob,
                request_type=rtype,
                urgency=urgency,
                rule_id=rule_id,
                citation=citation,
                deadline=label if era_value else f"{label} (received before 2026)",
                deadline_hours=hours,
                decided=cells.count(n),
                p50_hours=hours_at(0.5),
                p90_hours=hours_at(0.9),
                p95_hours=hours_at(0.95),
                on_time=cells.rate(on_time, with_due),
            )
        )
    return rows


def _trends(
    conn: sa.Connection,
    base: sa.Select,
    where: tuple,
    dialect: str,
    start: datetime,
    days: int,
    cells: Cells,
) -> list[TrendRow]:
    weekly = days <= WEEKLY_UP_TO_DAYS
    period = (
        week_index(dialect, Case.received_at, start)
        if weekly
        else month_of(dialect, Case.received_at)
    ).label("period")
    determined = Case.determination.is_not(None)
    rows = conn.execute(
        base.add_columns(
            period,
            sa.func.count().label("cases"),
            count_if(determined).label("determined"),
            count_if(Case.determination.in_(("approved", "partially_approved"))).label("approved"),
            count_if(Case.determination == Determination.denied.value).label("denied"),
            count_if(sa.and_(determined, Case.decided_at <= Case.due_at)).label("on_time"),
            count_if(sa.and_(determined, Case.due_at.is_not(None))).label("with_due"),
        )
        .where(*where)
        .group_by(period)
        .order_by(period)
    ).all()
    out = []
    for r in rows:
        label = (
            (start + timedelta(weeks=int(r.period))).date().isoformat() if weekly else str(r.period)
        )
        out.append(
            TrendRow(
                period=f"week of {label}" if weekly else label,
                cases=cells.count(int(r.cases)),
                approved=cells.rate(int(r.approved), int(r.determined)),
                denied=cells.rate(int(r.denied), int(r.determined)),
                on_time=cells.rate(int(r.on_time), int(r.with_due)),
            )
        )
    return out


# Aggregates: the case ids of inconsistent records follow the case_id field grant, so the
# report discloses no member or case data to a role without case fields.
@tool(ToolName.report_um, UmReportInput, UmReport, discloses=False, agent=False)
def um_report(ctx: ToolContext, req: UmReportInput, cells: Cells | None = None) -> UmReport:
    """The UM performance report for cases received from `start` to `end` (inclusive)."""
    start, end = req.start, req.end
    check_range(start, end)
    with audited_read(ctx) as conn:
        report = compute(
            conn,
            start,
            end,
            ctx.settings.plan_timezone,
            ctx.principal,
            cells or Cells(),
            ctx.now().astimezone(UTC),
        )
        record_read(
            conn,
            ctx,
            ToolName.report_um,
            {"report": "um", "from": start.isoformat(), "to": end.isoformat()},
            report.data_problems,
        )
    log.info("um report %s..%s by %s", start, end, ctx.principal.user_id)
    return report
