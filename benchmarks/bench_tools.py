"""Tools benchmark (issue 3, "Measure"): latency of lookup_member and list_cases.

    .venv/bin/python benchmarks/bench_tools.py
    ... --sizes 300,100000         member counts to seed (default: the seed size and 100,000)
    ... --backends sqlite,postgres
    ... --postgres-url URL         server for the throwaway schema (default: the test server)

Each store is a throwaway: a SQLite file in a temporary folder, or a PostgreSQL schema created
for the run and dropped afterwards. Every measured call is a real tool call: input validation,
role filtering, the read, and the hash-chained audit append committed in the same transaction.
Prints a table and writes benchmarks/results/tools.json. This is a script, not a test: it
reports a missed target, it does not fail on it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# Run as `python benchmarks/bench_tools.py`: the repository root must be importable too.
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from tools.audit import verify  # noqa: E402
from tools.cases import list_cases  # noqa: E402
from tools.context import ToolContext  # noqa: E402
from tools.db import Database, init_db, safe_url  # noqa: E402
from tools.members import lookup_member  # noqa: E402
from tools.models import Member  # noqa: E402
from tools.roles import Principal, Role  # noqa: E402
from tools.seed import seed  # noqa: E402
from tools.settings import ToolsSettings  # noqa: E402

DEFAULT_OUT = HERE / "results" / "tools.json"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REFERENCE = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TARGET_P95_MS = 5.0
console = Console(width=None if sys.stdout.isatty() else 150)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(call: Callable[[int], Any], iterations: int, budget_s: float) -> dict[str, float]:
    for i in range(min(20, iterations)):  # warm caches and the connection pool
        call(i)
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    for i in range(iterations):
        start = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - start) * 1000)
        if time.perf_counter() > deadline:
            break
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 0.50), 3),
        "p95_ms": round(percentile(samples, 0.95), 3),
        "max_ms": round(max(samples), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
    }


@contextmanager
def throwaway(backend: str, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="careassist-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in pg_url else "?"
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def reachable(pg_url: str) -> bool:
    try:
        engine = sa.create_engine(pg_url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.SQLAlchemyError:
        return False


def measure(
    backend: str, url: str, members: int, synchronous: str, args: argparse.Namespace
) -> dict[str, Any]:
    settings = ToolsSettings(database_url=url, sqlite_synchronous=synchronous)
    init_db(url, settings)
    db = Database(settings)
    try:
        started = time.perf_counter()
        report = seed(db, members=members, seed=1, reference=REFERENCE)
        seed_s = time.perf_counter() - started
        with db.read_only() as session:
            ids = list(session.scalars(sa.select(Member.member_id)))
        rng = random.Random(1)
        picks = [rng.choice(ids) for _ in range(args.iterations + 20)]

        def ctx(role: Role, user: str) -> ToolContext:
            return ToolContext(
                Principal(user, role), db, purpose="benchmark", channel="bench", clock=lambda: NOW
            )

        manager = ctx(Role.case_manager, "cm.alex")
        reviewer = ctx(Role.um_reviewer, "ur.blake")
        lookup = timed(
            lambda i: lookup_member(manager, {"member_id": picks[i]}), args.iterations, args.budget
        )
        filters = [
            {"assignee": "me", "status": ["in_review", "pended_info"], "limit": 50},
            {"due_before": NOW + timedelta(days=2), "limit": 50},
            {"status": ["received"], "limit": 50},
        ]
        returned: list[int] = []

        def worklist(i: int) -> None:
            returned.append(len(list_cases(reviewer, filters[i % len(filters)]).cases))

        listing = timed(worklist, args.iterations, args.budget)
        listing["mean_rows"] = round(statistics.fmean(returned), 1)
        with db.read_only() as session:
            chain = verify(session)
        return {
            "backend": backend,
            "durability": f"synchronous={synchronous}"
            if backend == "sqlite"
            else "fsync on commit",
            "members": members,
            "cases": report.counts.get("cases", 0),
            "seed_seconds": round(seed_s, 1),
            "lookup_member": lookup,
            "list_cases": listing,
            "audit_records": chain.records,
            "audit_chain_ok": chain.ok,
        }
    finally:
        db.dispose()


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="300,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    parser.add_argument("--iterations", type=int, default=400)
    parser.add_argument("--budget", type=float, default=30.0, help="Seconds per measurement")
    parser.add_argument(
        "--synchronous",
        default="FULL,NORMAL",
        help="SQLite PRAGMA synchronous modes to measure (FULL is the shipped default)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    results, skipped = [], []
    for backend in backends:
        if backend == "postgres" and not reachable(args.postgres_url):
            skipped.append(f"postgres: not reachable at {safe_url(args.postgres_url)}")
            continue
        modes = args.synchronous.split(",") if backend == "sqlite" else ["FULL"]
        for size in sizes:
            for mode in modes:
                console.print(f"[dim]{backend} {mode}: seeding {size:,} members, measuring...[/]")
                with throwaway(backend, args.postgres_url) as url:
                    results.append(measure(backend, url, size, mode.strip().upper(), args))
    table = Table(title="careassist tools latency (ms; each call includes its audit append)")
    for col in (
        "backend",
        "durability",
        "members",
        "cases",
        "seed s",
        "lookup p50",
        "lookup p95",
        "list_cases p50",
        "list_cases p95",
        "rows/list",
        "audit ok",
    ):
        table.add_column(col, justify="right")
    for r in results:
        lk, ls = r["lookup_member"], r["list_cases"]
        p95 = f"{lk['p95_ms']:.2f}"
        if r["backend"] == "sqlite" and r["members"] >= 100_000:
            p95 += " ✓" if lk["p95_ms"] <= TARGET_P95_MS else " ✗"
        table.add_row(
            r["backend"],
            r["durability"],
            f"{r['members']:,}",
            f"{r['cases']:,}",
            f"{r['seed_seconds']:.1f}",
            f"{lk['p50_ms']:.2f}",
            p95,
            f"{ls['p50_ms']:.2f}",
            f"{ls['p95_ms']:.2f}",
            f"{ls['mean_rows']:.0f}",
            "yes" if r["audit_chain_ok"] else "NO",
        )
    console.print(table)
    console.print(
        f"Target: lookup_member p95 <= {TARGET_P95_MS} ms on SQLite at 100,000 members. "
        f"Load average at start: {load_at_start[0]:.1f} on {os.cpu_count()} CPUs."
    )
    for note in skipped:
        console.print(f"[yellow]skipped[/] {note}")
    payload = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "settings": {
            "iterations": args.iterations,
            "budget_s": args.budget,
            "sqlite_synchronous": args.synchronous,
            "load_average_at_start": [round(x, 2) for x in load_at_start],
        },
        "target": {"lookup_member_p95_ms_sqlite_100k": TARGET_P95_MS},
        "results": results,
        "skipped": skipped,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    tmp.replace(args.out)
    console.print(
        f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}"
    )


if __name__ == "__main__":
    main()
