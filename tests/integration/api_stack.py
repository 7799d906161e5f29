"""A real API server on loopback over a seeded SQLite database, with one token per staff user."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.faces.tokens import TokenStore
from bot.server import create_app
from bot.settings import BotSettings
from tests.integration.service_support import FakeRuntime, UvicornThread, make_db
from tools.db import Database

USERS = ("cm.alex", "ur.blake", "dr.casey", "dr.jordan", "co.dana", "ad.eli")


@dataclass
class ApiStack:
    url: str
    db: Database
    runtime: FakeRuntime
    tokens: dict[str, str]

    def client(self, user: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@contextmanager
def api_stack(tmp: Path, **extra: object) -> Iterator[ApiStack]:
    db = make_db(tmp)
    store = TokenStore(db, cache_s=0)
    tokens = {user: store.issue(user, "tests").token for user in USERS}
    values: dict[str, object] = {
        "state_dir": tmp,
        "api_token_cache_s": 0,
        "api_rate_limit": 10_000,
        "slack_bot_token": None,
        "slack_signing_secret": None,
        "redis_url": None,
    }
    settings = BotSettings(_env_file=None, **(values | extra))
    runtime = FakeRuntime(db)
    try:
        with UvicornThread(create_app(runtime, settings, tokens=store)) as url:
            yield ApiStack(url, db, runtime, tokens)
    finally:
        db.dispose()
