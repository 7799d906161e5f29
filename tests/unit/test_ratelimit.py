"""The shared rate limiter's window arithmetic, on a SQLite file and a hand-driven clock."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.api.ratelimit import SqlRateLimiter
from bot.schema import migrate
from tools.db import Database
from tools.settings import ToolsSettings


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(ToolsSettings(database_url=f"sqlite:///{tmp_path / 'rl.db'}"))
    migrate(database)
    return database


def test_a_token_gets_its_limit_per_window_and_a_fresh_window_resets_it(db: Database) -> None:
    clock = Clock(1_000_040.0)  # 20 s into a 60 s window (windows start at multiples of 60)
    limiter = SqlRateLimiter(db, limit=2, window_s=60, clock=clock)
    first, second, third = (limiter.hit("tok") for _ in range(3))
    assert (first.allowed, second.allowed, third.allowed) == (True, True, False)
    assert (first.remaining, second.remaining, third.remaining) == (1, 0, 0)
    assert third.reset_s == 40
    clock.now += 40
    assert limiter.hit("tok").allowed
    assert limiter.hit("other").remaining == 1


def test_a_broken_store_lets_requests_through(db: Database) -> None:
    limiter = SqlRateLimiter(db, limit=1, window_s=60, clock=Clock(0.0))
    with db.transaction() as session:
        session.execute(sa.text("DROP TABLE rate_limits"))
    decisions = [limiter.hit("tok") for _ in range(3)]
    assert all(d.allowed for d in decisions)
    assert not limiter.healthy()
