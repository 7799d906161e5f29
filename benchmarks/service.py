"""Service benchmark (issue 5, "Measure"): bounded load on POST /v1/ask over real HTTP.

    .venv/bin/python benchmarks/service.py
    ... --duration 30 --concurrency 16   the load (default: 30 s, 16 clients)
    ... --workers 1                      uvicorn worker processes
    ... --index DIR                      an existing index (default: the configured one, built
                                         from corpus/ into .careassist/bench-index if missing)
    ... --prime                          ask every question once before timing (warm caches)
    ... --endpoint search                /v1/search: the service and retrieval alone

Starts `careassist serve` on 127.0.0.1 with the real runtime (offline engine) on the index and
a freshly seeded throwaway database, warms every worker up, then runs N clients that each send
the labelled questions of benchmarks/queries.yaml back to back until the time is up. Reports
throughput, latency percentiles, errors and the peak resident memory of the server's processes;
prints a table and writes benchmarks/results/service[_search][_primed].json. A script, not a
test: it reports a missed target (no errors, p95 <= 500 ms), it does not fail on it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import yaml  # noqa: E402

CAREASSIST = REPO / ".venv" / "bin" / "careassist"
TARGET_P95_MS = 500.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def questions(endpoint: str) -> list[dict[str, Any]]:
    """Request bodies for /v1/ask (question + filters) or /v1/search (query + filters)."""
    rows = yaml.safe_load((HERE / "queries.yaml").read_text())
    out = []
    for row in rows:
        filters = {k: str(row[k]) for k in ("lob", "as_of") if row.get(k)}
        if endpoint == "ask":
            out.append({"text": row["query"], "filters": filters})
        else:
            out.append({"query": row["query"], **filters})
    return out


def ensure_index(index: Path | None, env: dict[str, str]) -> Path:
    from retrieval.index import IndexStore
    from retrieval.settings import RetrievalSettings

    settings = RetrievalSettings()
    if index is not None:
        settings = settings.model_copy(update={"index_dir": index})
    if IndexStore(settings).current_name() is not None:
        return settings.index_dir
    target = index or REPO / ".careassist" / "bench-index"
    print(f"no index at {settings.index_dir}; building one from corpus/ at {target} ...")
    subprocess.run(
        [str(CAREASSIST), "ingest", str(REPO / "corpus"), "--index", str(target)],
        check=True,
        env=env,
    )
    return target


def seeded_database(folder: Path) -> tuple[str, str]:
    """A throwaway SQLite store with the sample data, and an API token for a case manager."""
    from bot.faces.tokens import TokenStore
    from bot.schema import migrate
    from tools.db import Database
    from tools.seed import seed
    from tools.settings import ToolsSettings

    url = f"sqlite:///{folder / 'careassist.db'}"
    db = Database(ToolsSettings(database_url=url))
    migrate(db)
    seed(db, reference=date.today())
    token = TokenStore(db).issue("cm.alex", "benchmark").token
    db.dispose()
    return url, token


def process_tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total_kb, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, process_tree_rss_mb(self.pid))
            self.stop.wait(0.2)


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not become ready")


def warm_up(base: str, token: str, workers: int, path: str, asks: list[dict[str, Any]]) -> None:
    """Enough requests that every worker has answered a few (connections spread over them)."""
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(6 * workers):
        with httpx.Client(timeout=120) as client:
            client.post(f"{base}{path}", json=asks[i % len(asks)], headers=headers)


async def load(
    url: str, token: str, asks: list[dict[str, Any]], duration: float, concurrency: int
) -> tuple[list[float], dict[str, int], float]:
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    start = time.perf_counter()
    stop_at = start + duration

    async def client_loop(n: int, client: httpx.AsyncClient) -> None:
        i = n
        while time.perf_counter() < stop_at:
            body = asks[i % len(asks)]
            i += concurrency
            sent = time.perf_counter()
            try:
                r = await client.post(url, json=body, headers=headers)
                key = str(r.status_code)
            except httpx.HTTPError as exc:
                key = type(exc).__name__
            latencies.append((time.perf_counter() - sent) * 1000)
            outcomes[key] = outcomes.get(key, 0) + 1

    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        await asyncio.gather(*(client_loop(n, client) for n in range(concurrency)))
    return latencies, outcomes, time.perf_counter() - start


async def prime(url: str, token: str, asks: list[dict[str, Any]], concurrency: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    pending = list(asks)

    async def worker(client: httpx.AsyncClient) -> None:
        while pending:
            await client.post(url, json=pending.pop(), headers=headers)

    async with httpx.AsyncClient(timeout=600) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument(
        "--endpoint",
        choices=("ask", "search"),
        default="ask",
        help="ask: the whole assistant; search: the service and retrieval without the composer",
    )
    parser.add_argument(
        "--prime",
        action="store_true",
        help="send every question once before the timed load, so the answer composer's "
        "sentence cache is warm (a server that has been up a while)",
    )
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    path = f"/v1/{args.endpoint}"
    suffix = ("" if args.endpoint == "ask" else f"_{args.endpoint}") + (
        "_primed" if args.prime else ""
    )
    output = args.output or HERE / "results" / f"service{suffix}.json"

    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
        "CAREASSIST_TORCH_THREADS": os.environ.get("CAREASSIST_TORCH_THREADS", "1"),
    }
    asks = questions(args.endpoint)
    index = ensure_index(args.index, env)
    with tempfile.TemporaryDirectory(prefix="careassist-bench-") as tmp:
        folder = Path(tmp)
        db_url, token = seeded_database(folder)
        env.update(
            CAREASSIST_INDEX_DIR=str(index),
            CAREASSIST_DATABASE_URL=db_url,
            CAREASSIST_STATE_DIR=str(folder / "state"),
            # One token drives all the load: lift its rate limit so the run measures answers.
            CAREASSIST_API_RATE_LIMIT="1000000",
        )
        env.pop("SLACK_BOT_TOKEN", None)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        cmd = [
            str(CAREASSIST),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ]
        log_path = folder / "server.log"
        with log_path.open("wb") as server_log:
            server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=server_log)
            sampler = RssSampler(server.pid)
            sampler.start()
            try:
                started = time.perf_counter()
                wait_ready(base, server)
                warm_up(base, token, args.workers, path, asks)
                if args.prime:
                    # Each worker keeps its own cache and takes a share of the connections.
                    for _ in range(2 * args.workers - 1):
                        asyncio.run(prime(base + path, token, asks, args.concurrency))
                ready_s = time.perf_counter() - started
                latencies, outcomes, elapsed = asyncio.run(
                    load(base + path, token, asks, args.duration, args.concurrency)
                )
            finally:
                sampler.stop.set()
                server.terminate()
                try:
                    server.wait(30)
                except subprocess.TimeoutExpired:
                    server.kill()
        if not latencies:
            print(log_path.read_text()[-3000:])

    ok = outcomes.get("200", 0)
    errors = sum(v for k, v in outcomes.items() if k != "200")
    result = {
        "endpoint": f"POST {path}",
        "engine": "offline",
        "primed": args.prime,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "duration_s": round(elapsed, 1),
        "startup_and_warmup_s": round(ready_s, 1),
        "questions": len(asks),
        "requests": len(latencies),
        "ok": ok,
        "errors": errors,
        "outcomes": outcomes,
        "throughput_rps": round(ok / elapsed, 2) if elapsed else 0.0,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "p99": round(percentile(latencies, 0.99), 1),
            "max": round(max(latencies), 1) if latencies else None,
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
        },
        "peak_rss_mb": round(sampler.peak, 1),
        "target": {"errors": 0, "p95_ms": TARGET_P95_MS},
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
        },
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")

    lat = result["latency_ms"]
    rows = [
        ("requests (ok / errors)", f"{len(latencies)} ({ok} / {errors})"),
        ("throughput", f"{result['throughput_rps']} req/s"),
        ("latency p50 / p95 / p99", f"{lat['p50']} / {lat['p95']} / {lat['p99']} ms"),
        ("peak RSS (server processes)", f"{result['peak_rss_mb']} MB"),
        ("workers x clients x seconds", f"{args.workers} x {args.concurrency} x {elapsed:.0f}"),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"careassist service benchmark: POST {path}, offline engine")
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    met = errors == 0 and lat["p95"] <= TARGET_P95_MS
    print(f"  target (0 errors, p95 <= {TARGET_P95_MS:.0f} ms): {'met' if met else 'NOT met'}")
    print(f"written to {output}")


if __name__ == "__main__":
    main()
