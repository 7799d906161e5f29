"""Shared test setup: offline model use, one torch thread, and real database servers.

Tests marked `postgres` or `redis` run whenever the server is reachable. Under CI=true an
unreachable server is a failure, never a skip.
"""

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

if TYPE_CHECKING:
    from bot.runtime import Runtime

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("CAREASSIST_TORCH_THREADS", "1")

POSTGRES_URL = os.environ.get(
    "CAREASSIST_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("CAREASSIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url.replace("+psycopg", ""))
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def require_chromium() -> str:
    """The headless browser the HTML tests drive; under CI=true its absence fails the run."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        message = "chromium is not installed (apt-get install -y chromium; .ci/run does it)"
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing browser fails the run)")
        pytest.skip(message)
    return browser


def _require(url: str, port: int, what: str) -> None:
    if _reachable(url, port):
        return
    message = f"{what} is not reachable at {url}"
    if IN_CI:
        pytest.fail(message + " (CI=true: a missing server fails the run)")
    pytest.skip(message)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A SQLAlchemy URL on a fresh schema of its own, dropped afterwards."""
    _require(POSTGRES_URL, 5432, "PostgreSQL")
    import sqlalchemy as sa

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def redis_url() -> str:
    _require(REDIS_URL, 6379, "Redis")
    return REDIS_URL


REPO = Path(__file__).resolve().parents[1]
# The fixed "now" of the agent tests: seeded cases are due relative to it.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus indexed once per test session with the real model and Chroma."""
    from bot.runtime import Runtime
    from retrieval.ingest import ingest
    from retrieval.settings import RetrievalSettings

    settings = RetrievalSettings(index_dir=tmp_path_factory.mktemp("sample-index"), torch_threads=1)
    report = ingest([REPO / "corpus"], settings, Runtime(retrieval=settings).embedder)
    assert not report.skipped, report.skipped
    return settings.index_dir


@pytest.fixture(scope="session")
def seeded_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with the deterministic synthetic seed, relative to NOW."""
    from bot.schema import migrate
    from tools.db import Database
    from tools.seed import seed

    url = f"sqlite:///{tmp_path_factory.mktemp('seeded')}/careassist.db"
    db = Database.from_url(url)
    migrate(db)
    seed(db, reference=NOW.date())
    db.dispose()
    return url


@pytest.fixture(scope="session")
def offline_runtime(
    sample_index: Path, seeded_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator["Runtime"]:
    from bot.runtime import build_runtime
    from bot.settings import BotSettings
    from retrieval.settings import RetrievalSettings
    from tools.settings import ToolsSettings

    rt = build_runtime(
        BotSettings(state_dir=tmp_path_factory.mktemp("state")),
        RetrievalSettings(index_dir=sample_index, torch_threads=1),
        ToolsSettings(database_url=seeded_db_url),
        engine="offline",
        clock=lambda: NOW,
        warm=False,  # tests ask few questions: encode their sentences on first use
    )
    yield rt
    rt.close()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server (the `chroma run` shipped with chromadb) on 127.0.0.1."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("the Chroma server did not start")
            time.sleep(0.2)
    yield "127.0.0.1", port
    proc.terminate()
    proc.wait(10)
