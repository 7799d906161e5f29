"""Report timings over many synthetic cases on SQLite and PostgreSQL (a benchmark, not a test).

    .venv/bin/python -m benchmarks.reports --cases 1000000
    .venv/bin/python -m benchmarks.reports --cases 20000 --backends sqlite   # a quick check

Seeds a fresh store per backend (deterministic, --history-days of decided cases), then times
the CMS-0057-F report for the last full year and the UM report over one and three years, and
writes benchmarks/results/reports.json. The indexes the reports use (cases.received_at,
cases.decided_at, the open-cases partial index) come from migration 0007."""

import argparse
import json
import platform
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from benchmarks.common import REPO, git_state, version_of
from tools.context import ToolContext
from tools.db import Database
from tools.report_cms import cms_report
from tools.report_um import um_report
from tools.seed import seed
from tools.users import principal_for

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REFERENCE = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
console = Console()


def seeded(url: str, cases: int, history_days: int) -> tuple[Database, float]:
    db = Database.from_url(url)
    db.migrate()
    started = time.perf_counter()
    with Progress(
        f"seeding {db.dialect}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bar:
        task = bar.add_task("cases", total=cases)
        seed(
            db,
            reference=REFERENCE,
            cases=cases,
            history_days=history_days,
            members=max(300, cases // 50),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    return db, time.perf_counter() - started


def timed(label: str, call: Any) -> dict[str, Any]:
    started = time.perf_counter()
    report = call()
    seconds = time.perf_counter() - started
    return {"report": label, "seconds": round(seconds, 2), "problems": report.data_problems.total}


def run_backend(name: str, cases: int, history_days: int) -> dict[str, Any]:
    schema = None
    if name == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="careassist-bench-"))
        url = f"sqlite:///{folder}/bench.db"
    else:
        schema = "bench_" + uuid.uuid4().hex[:8]
        admin = sa.create_engine(POSTGRES)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        db, seed_seconds = seeded(url, cases, history_days)
        ctx = ToolContext(
            principal=principal_for(db, "co.dana"), db=db, purpose="benchmark", clock=lambda: NOW
        )
        runs = [
            timed("cms-0057-f 2025", lambda: cms_report(ctx, {"year": 2025})),
            timed(
                "um 1 year",
                lambda: um_report(
                    ctx, {"start": REFERENCE - timedelta(days=364), "end": REFERENCE}
                ),
            ),
            timed(
                "um 3 years",
                lambda: um_report(
                    ctx, {"start": REFERENCE - timedelta(days=3 * 365 - 1), "end": REFERENCE}
                ),
            ),
        ]
        db.dispose()
        return {"backend": name, "seed_seconds": round(seed_seconds, 1), "runs": runs}
    finally:
        if schema is not None:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--history-days", type=int, default=1095)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/results/reports.json")
    args = parser.parse_args()
    results = [run_backend(b, args.cases, args.history_days) for b in args.backends.split(",")]
    table = Table(title=f"Reports over {args.cases:,} cases")
    for column in ("backend", "seed s", "report", "seconds", "data problems"):
        table.add_column(column)
    for r in results:
        for run in r["runs"]:
            table.add_row(
                r["backend"], str(r["seed_seconds"]), run["report"], str(run["seconds"]),
                str(run["problems"]),
            )  # fmt: skip
    console.print(table)
    doc = {
        "cases": args.cases,
        "history_days": args.history_days,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlalchemy": version_of("sqlalchemy"),
        },
        "git": git_state("tools", "benchmarks/reports.py"),
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    console.print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
