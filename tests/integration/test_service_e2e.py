"""The service on the real runtime: the real embedding model, a real index of sample policies,
the offline engine and a seeded database; once in-process behind uvicorn (API and Slack), once
as `careassist serve --workers 2` sharing one database."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.faces.links import link
from bot.faces.tokens import TokenStore
from bot.runtime import Runtime, build_runtime
from bot.schema import migrate
from bot.server import create_app
from bot.settings import BotSettings
from retrieval.settings import RetrievalSettings
from tests.integration.service_support import (
    REFERENCE_DAY,
    FakeSlack,
    UvicornThread,
    event_body,
    free_port,
    sign,
)
from tools.db import Database
from tools.seed import seed
from tools.settings import ToolsSettings

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DOCS = ["policies/UM-104.md", "policies/UM-104-v2.md", "regulations/REG-301.md"]
QUESTION = "How fast must an expedited Medicare Advantage prior authorization be decided?"
SECRET = "e2e-signing-secret"


@dataclass
class World:
    tmp: Path
    index: Path
    db_url: str
    db: Database
    tokens: TokenStore


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("e2e")
    index = tmp / "index"
    _ingest(index)
    db_url = f"sqlite:///{tmp / 'careassist.db'}"
    db = Database(ToolsSettings(database_url=db_url))
    migrate(db)
    seed(db, reference=REFERENCE_DAY)
    yield World(tmp, index, db_url, db, TokenStore(db, cache_s=0))
    db.dispose()


def _ingest(index: Path) -> None:
    from retrieval.ingest import ingest

    settings = RetrievalSettings(index_dir=index, torch_threads=1)
    report = ingest(
        [REPO / "corpus" / d for d in DOCS], settings, Runtime(retrieval=settings).embedder
    )
    assert report.chunks > 0 and not report.skipped


@pytest.fixture(scope="module")
def runtime(world: World) -> Iterator[Runtime]:
    rt = build_runtime(
        BotSettings(_env_file=None, state_dir=world.tmp / "state"),
        RetrievalSettings(index_dir=world.index, torch_threads=1),
        ToolsSettings(database_url=world.db_url),
    )
    yield rt
    rt.close()


def test_a_curl_with_a_token_gets_a_cited_answer(world: World, runtime: Runtime) -> None:
    token = world.tokens.issue("cm.alex", "e2e").token
    settings = BotSettings(_env_file=None, state_dir=world.tmp / "state", api_token_cache_s=0)
    with UvicornThread(create_app(runtime, settings, tokens=world.tokens)) as url:
        ready = httpx.get(f"{url}/readyz")
        r = httpx.post(
            f"{url}/v1/ask",
            json={"text": QUESTION},
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
    assert ready.status_code == 200, ready.text
    assert r.status_code == 200, r.text
    body = r.json()
    assert "72 hours" in body["answer"]
    assert not body["abstained"]
    assert any(c["doc_id"] == "UM-104" for c in body["citations"])


def test_a_slack_mention_gets_the_real_cited_answer(world: World, runtime: Runtime) -> None:
    link(world.db, "ur.blake", "U0E2EREV")
    with FakeSlack() as slack:
        settings = BotSettings(
            _env_file=None,
            state_dir=world.tmp / "state",
            slack_bot_token="xoxb-e2e",
            slack_signing_secret=SECRET,
            slack_api_url=slack.api_url,
        )
        with UvicornThread(create_app(runtime, settings, tokens=world.tokens)) as url:
            ts = "1700009999.000001"
            body = event_body(
                {
                    "type": "app_mention",
                    "user": "U0E2EREV",
                    "text": f"<@UBOT> {QUESTION}",
                    "ts": ts,
                    "channel": "C0E2E",
                    "event_ts": ts,
                }
            )
            r = httpx.post(
                f"{url}/slack/events",
                content=body,
                headers={"content-type": "application/json", **sign(SECRET, body)},
            )
            assert r.status_code == 200
            post = slack.wait_for("chat.postMessage", timeout=120)[-1]
    text = str(post.data["blocks"])
    assert post.data["thread_ts"] == ts
    assert "72 hours" in text
    assert "UM-104" in text and "Sources" in text


def test_two_workers_share_tokens_revocation_and_the_rate_limit(world: World) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "OMP_NUM_THREADS": "1",
        "CAREASSIST_TORCH_THREADS": "1",
        "CAREASSIST_INDEX_DIR": str(world.index),
        "CAREASSIST_DATABASE_URL": world.db_url,
        "CAREASSIST_STATE_DIR": str(world.tmp / "state-workers"),
        "CAREASSIST_API_TOKEN_CACHE_S": "1",
        "CAREASSIST_API_RATE_LIMIT": "6",
        "CAREASSIST_API_RATE_WINDOW_S": "3600",
    }
    env.pop("SLACK_BOT_TOKEN", None)
    cli = [sys.executable, "-c", "from bot.cli import main; main()"]
    server = subprocess.Popen(
        [*cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        revoked = world.tokens.issue("ur.morgan", "to revoke")
        limited = world.tokens.issue("ur.riley", "limited").token
        auth = {"Authorization": f"Bearer {revoked.token}"}
        # New connections each time, so both workers take requests.
        for _ in range(4):
            r = httpx.post(f"{base}/v1/search", json={"query": "expedited"}, headers=auth)
            assert r.status_code == 200, r.text
        world.tokens.revoke("ur.morgan", revoked.token_id)
        time.sleep(1.5)
        after = [
            httpx.post(f"{base}/v1/search", json={"query": "x"}, headers=auth).status_code
            for _ in range(4)
        ]
        assert after == [401] * 4
        statuses = [
            httpx.post(
                f"{base}/v1/search",
                json={"query": "expedited"},
                headers={"Authorization": f"Bearer {limited}"},
            ).status_code
            for _ in range(8)
        ]
        assert statuses == [200] * 6 + [429] * 2
    finally:
        server.terminate()
        server.wait(30)
