"""Self-contained HTML for the reports: inline CSS and SVG charts, no asset from the network
(the approach of the eval report). A small inline script marks each chart once the browser has
laid it out, which the browser test reads."""

from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from tools.report_cms import CmsReport
from tools.report_um import UmReport
from tools.reports import SUPPRESSED, Count, Rate

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABEL_WIDTH = 300
PLOT_WIDTH = 320
BAR = 16
GAP = 6


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["n"] = show_count
    env.filters["pct"] = show_rate
    env.filters["hours"] = show_hours
    return env


def show_count(value: Count) -> str:
    return SUPPRESSED if value.suppressed else f"{value.value:,}"


def show_rate(value: Rate) -> str:
    if value.suppressed:
        return SUPPRESSED
    return "n/a" if value.percent is None else f"{value.percent:.1f}%"


def show_hours(value: float | None) -> str:
    return SUPPRESSED if value is None else f"{value:,.1f} h"


def bar_chart(
    title: str, bars: list[tuple[str, float | None, str]], scale: float | None = None
) -> Markup:
    """Horizontal bars (label, value, shown text); a withheld value draws no bar."""
    top = max([v for _, v, _ in bars if v is not None] + [scale or 0, 1e-9])
    height = 26 + (BAR + GAP) * len(bars)
    width = LABEL_WIDTH + PLOT_WIDTH + 130
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="0" y="14" class="ct">{escape(title)}</text>',
    ]
    y = 24
    for label, value, text in bars:
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end" class="cl">'
            f"{escape(label[:40])}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{PLOT_WIDTH}" height="{BAR}" fill="#eceff1"/>'
        )
        if value is not None:
            w = max(1.0, PLOT_WIDTH * value / top)
            parts.append(
                f'<rect class="mark" x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR}" '
                f'fill="#1565c0"><title>{escape(label)}: {escape(text)}</title></rect>'
            )
        x = LABEL_WIDTH + PLOT_WIDTH + 6
        parts.append(f'<text x="{x}" y="{y + 12}" class="cv">{escape(text)}</text>')
        y += BAR + GAP
    parts.append("</svg>")
    return Markup("".join(parts))


def turnaround_chart(report: UmReport) -> Markup:
    """Median and 90th-percentile hours per rule, against the rule's deadline (a red tick)."""
    rows = [r for r in report.turnaround if r.p50_hours is not None]
    if not rows:
        return Markup("")
    top = max(max((r.p90_hours or 0), (r.deadline_hours or 0)) for r in rows) or 1.0
    height = 40 + (BAR + GAP) * len(rows)
    width = LABEL_WIDTH + PLOT_WIDTH + 130
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Turnaround against deadline">',
        '<text x="0" y="14" class="ct">Turnaround: median (dark), 90th percentile (light), '
        "deadline (red)</text>",
    ]
    y = 28
    for r in rows:
        label = f"{r.line_of_business.value} {r.request_type.value} {r.urgency.value}"
        p90 = PLOT_WIDTH * (r.p90_hours or 0) / top
        p50 = PLOT_WIDTH * (r.p50_hours or 0) / top
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end" class="cl">'
            f"{escape(label)}{' *' if 'before 2026' in r.deadline else ''}</text>"
            f'<rect class="mark" x="{LABEL_WIDTH}" y="{y}" width="{max(1.0, p90):.1f}" '
            f'height="{BAR}" fill="#90caf9"><title>p90 {r.p90_hours} h</title></rect>'
            f'<rect class="mark" x="{LABEL_WIDTH}" y="{y}" width="{max(1.0, p50):.1f}" '
            f'height="{BAR}" fill="#1565c0"><title>median {r.p50_hours} h</title></rect>'
        )
        if r.deadline_hours:
            x = LABEL_WIDTH + PLOT_WIDTH * r.deadline_hours / top
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 2}" y2="{y + BAR + 2}" '
                f'stroke="#c62828" stroke-width="3"><title>deadline {escape(r.deadline)}'
                "</title></line>"
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + PLOT_WIDTH + 6}" y="{y + 12}" class="cv">'
            f"{escape(show_rate(r.on_time))} on time</text>"
        )
        y += BAR + GAP
    parts.append("</svg>")
    return Markup("".join(parts))


def trend_chart(report: UmReport) -> Markup:
    """Cases received per period as a line (withheld periods leave a gap)."""
    points = [(t.period, t.cases.value) for t in report.trends]
    if not points:
        return Markup("")
    width, height, left, bottom = 640, 220, 50, 40
    top_value = max([v for _, v in points if v is not None] + [1])
    step = (width - left - 20) / max(1, len(points) - 1)
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="Cases received per {report.trend_unit}">',
        f'<text x="0" y="14" class="ct">Cases received per {report.trend_unit}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#90a4ae"/>',
        f'<text x="{left - 4}" y="30" text-anchor="end" class="cl">{top_value:,}</text>',
    ]
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, (period, value) in enumerate(points):
        x = left + i * step
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        y = height - bottom - (height - bottom - 30) * value / top_value
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1565c0">'
            f"<title>{escape(period)}: {value:,}</title></circle>"
        )
    if segment:
        segments.append(segment)
    for seg in segments:
        parts.append(
            f'<polyline fill="none" stroke="#1565c0" stroke-width="2" points="{" ".join(seg)}"/>'
        )
    for i in (0, len(points) - 1):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - bottom + 16}" class="cl" '
            f'text-anchor="{"start" if i == 0 else "end"}">{escape(points[i][0])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def render_um(report: UmReport) -> str:
    by = {
        dim: bar_chart(
            f"Cases by {dim.replace('_', ' ')}",
            [
                (r.value, r.cases.value, show_count(r.cases))
                for r in report.volume
                if r.dimension == dim
            ],
        )
        for dim in ("line_of_business", "service_category", "urgency")
    }
    t = report.totals
    rates = bar_chart(
        "Determinations and appeals",
        [
            ("approved", t.approved.percent, show_rate(t.approved)),
            ("partially approved", t.partially_approved.percent, show_rate(t.partially_approved)),
            ("denied", t.denied.percent, show_rate(t.denied)),
            (
                "overturned on appeal",
                t.overturned_on_appeal.percent,
                show_rate(t.overturned_on_appeal),
            ),
        ],
        scale=100,
    )
    reasons = bar_chart(
        "Denials by criteria cited",
        [(r.criteria, r.denials.value, show_count(r.denials)) for r in report.denial_reasons[:15]],
    )
    charts = [
        by["line_of_business"],
        by["urgency"],
        rates,
        by["service_category"],
        turnaround_chart(report),
        trend_chart(report),
        reasons,
    ]
    return _env().get_template("um_report.html.j2").render(r=report, charts=charts, public=False)


def render_cms(report: CmsReport) -> str:
    charts = [
        bar_chart(
            f"{row.entity_id} ({row.urgency.value}): percent approved and denied",
            [
                ("approved", row.approved.percent, show_rate(row.approved)),
                ("denied", row.denied.percent, show_rate(row.denied)),
                (
                    "approved after appeal",
                    row.approved_after_appeal.percent,
                    show_rate(row.approved_after_appeal),
                ),
                (
                    "extended, then approved",
                    row.extended_then_approved.percent,
                    show_rate(row.extended_then_approved),
                ),
            ],
            scale=100,
        )
        for row in report.rows
    ]
    # Ready to post: the data-problem case ids stay in the JSON, out of the public page.
    return _env().get_template("cms_report.html.j2").render(r=report, charts=charts, public=True)
