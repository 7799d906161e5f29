"""Writing the reports to a directory: CSV, JSON and HTML for CMS-0057-F; HTML and JSON for
the UM report."""

import csv
from pathlib import Path

from tools.report_cms import CmsReport
from tools.report_html import render_cms, render_um, show_count, show_hours, show_rate
from tools.report_um import UmReport

CMS_COLUMNS = (
    "year",
    "entity_id",
    "entity_kind",
    "plan_ids",
    "request_urgency",
    "requests",
    "percent_approved",
    "percent_partially_approved",
    "percent_denied",
    "percent_approved_after_appeal",
    "percent_extended_then_approved",
    "average_hours_to_determination",
    "median_hours_to_determination",
)


def write_cms(report: CmsReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "cms-0057-f.csv", out / "cms-0057-f.json", out / "cms-0057-f.html"]
    with paths[0].open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CMS_COLUMNS)
        for row in report.rows:
            writer.writerow(
                [
                    report.year,
                    row.entity_id,
                    row.entity_kind,
                    ";".join(row.plan_ids),
                    row.urgency.value,
                    show_count(row.requests).replace(",", ""),
                    *(
                        show_rate(rate).rstrip("%")
                        for rate in (
                            row.approved,
                            row.partially_approved,
                            row.denied,
                            row.approved_after_appeal,
                            row.extended_then_approved,
                        )
                    ),
                    show_hours(row.average_hours).removesuffix(" h").replace(",", ""),
                    show_hours(row.median_hours).removesuffix(" h").replace(",", ""),
                ]
            )
    paths[1].write_text(report.model_dump_json(indent=2), encoding="utf-8")
    paths[2].write_text(render_cms(report), encoding="utf-8")
    return paths


def write_um(report: UmReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.html", out / "metrics.json"]
    paths[0].write_text(render_um(report), encoding="utf-8")
    paths[1].write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return paths
