"""The CMS-0057-F public prior-authorization metrics, computed from case records.

Medicare Advantage organisations report per contract (42 CFR 422.122(c)), Medicaid managed care
plans per plan (42 CFR 438.210(f)) and CHIP entities likewise (42 CFR 457.1230(d)); the final
rule is CMS-0057-F (89 FR 8758, 8 February 2024). Drugs are out of scope of these metrics.
"""

import logging
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from retrieval import IndexNotFound, current_records
from tools.catalogue import tool
from tools.context import ToolContext
from tools.enums import Determination, LineOfBusiness, RequestType, Urgency
from tools.errors import InvalidInput
from tools.models import Case, Plan
from tools.report_sql import CONSISTENT, approved, count_if, minutes, overturned_by
from tools.reports import (
    Cells,
    Count,
    DataProblems,
    Definition,
    Rate,
    audited_read,
    data_problems,
    day_start,
    median,
    record_read,
)
from tools.roles import Principal, ToolName

log = logging.getLogger(__name__)

# The first year whose metrics the rule requires (posted by 31 March 2026).
FIRST_YEAR = 2025
IN_SCOPE_LOBS = (LineOfBusiness.medicare_advantage.value, LineOfBusiness.medicaid.value)
# Prior authorization is asked before or during care; post-service review is not prior
# authorization, and drugs (Part B drug requests) are excluded by the rule.
PA_REQUEST_TYPES = (RequestType.pre_service.value, RequestType.concurrent.value)
ENTITY_KIND = {
    LineOfBusiness.medicare_advantage: "Medicare Advantage contract",
    LineOfBusiness.medicaid: "Medicaid managed care plan",
}
RULE = "CMS-0057-F, 89 FR 8758 (8 Feb 2024); 42 CFR 422.122(c) (MA), 438.210(f) (Medicaid), "
RULE += "457.1230(d) (CHIP)"
DEFINITIONS = (
    Definition(
        figure="Items and services requiring prior authorization",
        definition="Every item and service (excluding drugs) for which the plan requires prior "
        "authorization, listed with the policy or criteria that govern it.",
        rule="42 CFR 422.122(c)(1)(i); 438.210(f)(1)(i); 457.1230(d)",
    ),
    Definition(
        figure="Requests",
        definition="Prior authorization requests (pre-service or concurrent, not drugs) whose "
        "determination was made in the reporting year (plan time zone), counted separately for "
        "standard and expedited requests. The denominator of every percentage below.",
        rule=RULE,
    ),
    Definition(
        figure="Percent approved",
        definition="Requests approved, in full or in part, divided by requests. Partial "
        "approvals are also shown on their own.",
        rule="42 CFR 422.122(c)(1)(ii), (vi); 438.210(f)(1)(ii), (vi); 457.1230(d)",
    ),
    Definition(
        figure="Percent denied",
        definition="Requests denied in full divided by requests.",
        rule="42 CFR 422.122(c)(1)(iii), (vii); 438.210(f)(1)(iii), (vii); 457.1230(d)",
    ),
    Definition(
        figure="Percent approved after appeal",
        definition="Requests denied in full or in part whose appeal was resolved in the "
        "member's favour (overturned) by the end of the reporting year, divided by requests.",
        rule="42 CFR 422.122(c)(1)(iv); 438.210(f)(1)(iv); 457.1230(d)",
    ),
    Definition(
        figure="Percent extended, then approved",
        definition="Requests whose decision timeframe was extended (at the member's or the "
        "plan's request) and that were then approved in full or in part, divided by requests.",
        rule="42 CFR 422.122(c)(1)(v); 438.210(f)(1)(v); 457.1230(d)",
    ),
    Definition(
        figure="Average and median time to determination",
        definition="Hours from the request's receipt to its determination, over the requests "
        "counted; times are taken to the minute. The median of an even number of requests is "
        "the mean of the two middle times.",
        rule="42 CFR 422.122(c)(1)(viii), (ix); 438.210(f)(1)(viii), (ix); 457.1230(d)",
    ),
)


class CmsItem(BaseModel):
    name: str
    source: str
    lines_of_business: list[str]


class CmsRow(BaseModel):
    entity_id: str
    entity_kind: str
    plan_ids: list[str]
    urgency: Urgency
    requests: Count
    approved: Rate
    partially_approved: Rate
    denied: Rate
    approved_after_appeal: Rate
    extended_then_approved: Rate
    average_hours: float | None
    median_hours: float | None


class CmsReport(BaseModel):
    report: str = "cms-0057-f"
    year: int
    generated_at: datetime
    plan_time_zone: str
    rule: str = RULE
    items_source: str
    items: list[CmsItem]
    rows: list[CmsRow]
    definitions: list[Definition]
    exclusions: list[str]
    suppression: str
    data_problems: DataProblems


class CmsReportInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(description=f"Reporting year, {FIRST_YEAR} or later")


def check_year(year: int, today: date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise InvalidInput(
            f"year {year} is not a CMS-0057-F reporting year: give {FIRST_YEAR} to {today.year}"
        )


def compute(
    conn: sa.Connection,
    year: int,
    zone_name: str,
    principal: Principal,
    cells: Cells,
    items: tuple[str, list[CmsItem]],
    now: datetime,
) -> CmsReport:
    """The report for one year, every number from SQL aggregates over the cases."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    start, end = day_start(date(year, 1, 1), zone), day_start(date(year + 1, 1, 1), zone)
    dialect = conn.dialect.name
    entity = sa.func.coalesce(Plan.cms_contract_id, Plan.plan_id).label("entity")
    population = sa.and_(
        Plan.line_of_business.in_(IN_SCOPE_LOBS),
        Case.request_type.in_(PA_REQUEST_TYPES),
    )
    decided_in_year = sa.and_(
        Case.determination.is_not(None), Case.decided_at >= start, Case.decided_at < end
    )
    base = sa.select().select_from(Case).join(Plan, Plan.plan_id == Case.plan_id)
    groups = (entity, Plan.line_of_business, Case.urgency)
    elapsed = minutes(dialect, Case.decided_at, Case.received_at)
    totals = conn.execute(
        base.add_columns(
            *groups,
            sa.func.count().label("requests"),
            count_if(approved()).label("approved"),
            count_if(Case.determination == Determination.partially_approved.value).label("partial"),
            count_if(Case.determination == Determination.denied.value).label("denied"),
            count_if(overturned_by(end)).label("overturned"),
            count_if(sa.and_(Case.extension_taken.is_(True), approved())).label("extended"),
            sa.func.avg(elapsed).label("avg_minutes"),
            sa.func.group_concat(sa.distinct(Plan.plan_id)).label("plans")
            if dialect == "sqlite"
            else sa.func.string_agg(sa.distinct(Plan.plan_id), ",").label("plans"),
        )
        .where(population, decided_in_year, CONSISTENT)
        .group_by(*groups)
        .order_by(*groups)
    ).all()
    histograms: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    minute = elapsed.label("minutes")
    for row in conn.execute(
        base.add_columns(*groups, minute, sa.func.count().label("n"))
        .where(population, decided_in_year, CONSISTENT)
        .group_by(*groups, minute)
        .order_by(*groups, minute)
    ):
        key = (row.entity, str(row.line_of_business), str(row.urgency))
        histograms.setdefault(key, []).append((int(row.minutes), int(row.n)))
    rows = []
    for t in totals:
        lob = LineOfBusiness(t.line_of_business)
        n = int(t.requests)
        hist = histograms.get((t.entity, lob.value, str(t.urgency)), [])
        mid = median(hist)
        rows.append(
            CmsRow(
                entity_id=t.entity,
                entity_kind=ENTITY_KIND[lob],
                plan_ids=sorted(str(t.plans).split(",")),
                urgency=Urgency(t.urgency),
                requests=cells.count(n),
                approved=cells.rate(int(t.approved), n),
                partially_approved=cells.rate(int(t.partial), n),
                denied=cells.rate(int(t.denied), n),
                approved_after_appeal=cells.rate(int(t.overturned), n),
                extended_then_approved=cells.rate(int(t.extended), n),
                average_hours=cells.stat(
                    None if t.avg_minutes is None else float(t.avg_minutes) / 60, n
                ),
                median_hours=cells.stat(None if mid is None else mid / 60, n),
            )
        )
    scope = sa.and_(
        Case.plan_id.in_(sa.select(Plan.plan_id).where(Plan.line_of_business.in_(IN_SCOPE_LOBS))),
        Case.request_type.in_(PA_REQUEST_TYPES),
        sa.or_(
            sa.and_(Case.decided_at >= start, Case.decided_at < end),
            sa.and_(Case.received_at >= start, Case.received_at < end),
        ),
    )
    source, listed = items
    return CmsReport(
        year=year,
        generated_at=now,
        plan_time_zone=zone_name,
        items_source=source,
        items=listed,
        rows=rows,
        definitions=list(DEFINITIONS),
        exclusions=[
            "Requests for drugs (Part B drug requests) are excluded, as the rule requires.",
            "Post-service (retrospective) reviews are not prior authorization requests.",
            "Commercial plans are outside CMS-0057-F and are not reported.",
            "Requests with inconsistent history are left out of every figure and counted under "
            "data problems.",
        ],
        suppression=f"Figures over fewer than {cells.min_cell} requests are withheld "
        "(shown as <11).",
        data_problems=data_problems(conn, scope, principal),
    )


def catalogue_items(conn: sa.Connection) -> list[CmsItem]:
    """Items from the case service catalogue: each service description with its codes."""
    rows = conn.execute(
        sa.select(Case.service_description, Plan.line_of_business)
        .join(Plan, Plan.plan_id == Case.plan_id)
        .where(Case.request_type.in_(PA_REQUEST_TYPES), Plan.line_of_business.in_(IN_SCOPE_LOBS))
        .group_by(Case.service_description, Plan.line_of_business)
        .order_by(Case.service_description)
    ).all()
    found: dict[str, set[str]] = {}
    for description, lob in rows:
        found.setdefault(description, set()).add(str(lob))
    return [
        CmsItem(name=name, source="case service catalogue", lines_of_business=sorted(lobs))
        for name, lobs in found.items()
    ]


def indexed_items(index_dir: Path | None) -> list[CmsItem] | None:
    """Items from the indexed criteria documents (doc_type criteria), or None without an index."""
    if index_dir is None:
        return None
    try:
        records = current_records(Path(index_dir))
    except IndexNotFound:
        return None
    docs: dict[str, tuple[str, str]] = {}
    for record in records:
        if record.doc_type == "criteria" and record.end_date is None:
            docs.setdefault(record.doc_id, (record.title, record.lob))
    if not docs:
        return None
    return [
        CmsItem(name=title, source=doc_id, lines_of_business=[lob])
        for doc_id, (title, lob) in sorted(docs.items())
    ]


# Aggregates, like report_um (tools.reports).
@tool(ToolName.report_cms_0057_f, CmsReportInput, CmsReport, discloses=False, agent=False)
def cms_report(
    ctx: ToolContext,
    req: CmsReportInput,
    index_dir: Path | None = None,
    cells: Cells | None = None,
) -> CmsReport:
    """The CMS-0057-F prior-authorization metrics for one year; the read is audited."""
    year = req.year
    check_year(year, ctx.today())
    with audited_read(ctx) as conn:
        listed = indexed_items(index_dir)
        items = (
            ("indexed criteria", listed)
            if listed
            else ("case service catalogue (no document index available)", catalogue_items(conn))
        )
        report = compute(
            conn,
            year,
            ctx.settings.plan_timezone,
            ctx.principal,
            cells or Cells(),
            items,
            ctx.now().astimezone(UTC),
        )
        record_read(
            conn,
            ctx,
            ToolName.report_cms_0057_f,
            {"report": "cms-0057-f", "year": year, "rows": len(report.rows)},
            report.data_problems,
        )
    log.info("cms-0057-f report for %d by %s", year, ctx.principal.user_id)
    return report
