"""Shared test setup: offline model use, one torch thread, and real database servers.

Tests marked `postgres` or `redis` run whenever the server is reachable. Under CI=true an
unreachable server is a failure, never a skip.
"""

import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

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
