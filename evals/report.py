"""report.html: one self-contained file (inline CSS, JS and SVG, no external assets) that a
compliance analyst can open offline, archive with a release, or attach to an audit."""

from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from evals.results import LOWER_IS_BETTER, METRICS, RunResults, RunSummary
from evals.settings import PACKAGE_DIR

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 170
PLOT_WIDTH = 300


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = pct
    return env


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _color(metric: str, value: float) -> str:
    good = value <= 0.0 if metric in LOWER_IS_BETTER else value >= 0.95
    fair = value <= 0.05 if metric in LOWER_IS_BETTER else value >= 0.8
    return "#2e7d32" if good else ("#f9a825" if fair else "#c62828")


def bar_chart(
    title: str, scores: dict[str, float | None], baseline: dict[str, float | None] | None
) -> str:
    """Horizontal bars, one per measured metric, with the baseline as a thin bar beneath."""
    rows = [(m, v) for m, v in scores.items() if v is not None and m in METRICS]
    if not rows:
        return ""
    per_row = BAR_HEIGHT + GAP + (8 if baseline else 0)
    height = 26 + per_row * len(rows)
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    parts = [
        f'<svg role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="0" y="14" class="ct">{escape(title)}</text>',
    ]
    y = 24
    for metric, value in rows:
        w = max(1.0, PLOT_WIDTH * float(value))
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" class="cl">'
            f"{escape(METRICS[metric])}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{PLOT_WIDTH}" height="{BAR_HEIGHT}" '
            f'fill="#eceff1"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{_color(metric, float(value))}"><title>{escape(METRICS[metric])}: '
            f"{pct(value)}</title></rect>"
            f'<text x="{LABEL_WIDTH + PLOT_WIDTH + 6}" y="{y + 13}" class="cv">{pct(value)}</text>'
        )
        if baseline is not None and baseline.get(metric) is not None:
            b = float(baseline[metric] or 0.0)
            bw = max(1.0, PLOT_WIDTH * b)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + BAR_HEIGHT + 1}" width="{bw:.1f}" height="5" '
                f'fill="#78909c"><title>baseline: {pct(b)}</title></rect>'
            )
        y += per_row
    parts.append("</svg>")
    return "".join(parts)


def _charts(summary: RunSummary, baseline: RunSummary | None) -> list[tuple[str, str]]:
    charts = [
        (
            "All cases",
            bar_chart("All cases", summary.overall, baseline.overall if baseline else None),
        )
    ]
    for kind, scores in summary.by_type.items():
        base = baseline.by_type.get(kind) if baseline else None
        n = summary.counts["type"].get(kind, 0)
        title = f"{kind} ({n} case{'s' if n != 1 else ''})"
        charts.append((kind, bar_chart(title, scores, base)))
    return [(name, svg) for name, svg in charts if svg]


def render(results: RunResults) -> str:
    template = _env().get_template("report.html.j2")
    summary = results.summary
    lob_letters = {
        lob: scores.get("letter_completeness")
        for lob, scores in summary.by_lob.items()
        if scores.get("letter_completeness") is not None
    }
    return template.render(
        r=results,
        s=summary,
        b=results.baseline,
        metrics=METRICS,
        charts=_charts(summary, results.baseline),
        groups=[
            ("Case type", summary.by_type),
            ("Role", summary.by_role),
            ("Line of business", summary.by_lob),
        ],
        lob_letters=lob_letters,
        types=sorted(summary.counts["type"]),
        roles=sorted(summary.counts["role"]),
        lobs=sorted(summary.counts["lob"]),
        short_metrics=[
            "fact_recall",
            "citation_accuracy",
            "abstention_accuracy",
            "retrieval_recall_at_k",
        ],
    )


def write_report(results: RunResults, path: Path) -> None:
    path.write_text(render(results), encoding="utf-8")
