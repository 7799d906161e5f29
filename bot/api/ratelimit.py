"""A per-token request limit every worker shares: fixed windows counted in Redis or the database.

Counting happens in shared storage, never in process memory, so N workers enforce one limit, not
N. If the counter store fails, requests are let through and the failure is logged: the limit
protects capacity, and an outage of Redis should not become an outage of the assistant.
/readyz reports the store's health.
"""

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.service_models import RateCounter
from tools.db import Database

log = logging.getLogger(__name__)

# Lua keeps increment-and-expire atomic: a crash between them would leave a key without a TTL.
REDIS_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return hits
"""
WARN_EVERY_S = 60.0


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_s: int


class RateLimiter(Protocol):
    def hit(self, key: str) -> RateDecision: ...

    def healthy(self) -> bool: ...


class _Windowed:
    def __init__(self, limit: int, window_s: int, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._warned_at = -math.inf

    def _window(self) -> tuple[int, int]:
        now = self.clock()
        start = int(now // self.window_s) * self.window_s
        return start, max(1, math.ceil(start + self.window_s - now))

    def _decide(self, hits: int, reset_s: int) -> RateDecision:
        return RateDecision(
            allowed=hits <= self.limit,
            limit=self.limit,
            remaining=max(0, self.limit - hits),
            reset_s=reset_s,
        )

    def _fail_open(self, exc: Exception, reset_s: int) -> RateDecision:
        now = time.monotonic()
        if now - self._warned_at > WARN_EVERY_S:
            self._warned_at = now
            log.warning(
                "rate limit store unavailable (%s); letting requests through", type(exc).__name__
            )
        return RateDecision(allowed=True, limit=self.limit, remaining=self.limit, reset_s=reset_s)


class SqlRateLimiter(_Windowed):
    """Counters in the service database: one upsert per request, expired rows swept lazily."""

    def __init__(
        self, db: Database, limit: int, window_s: int, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(limit, window_s, clock)
        self.db = db
        self._next_sweep = 0.0

    def hit(self, key: str) -> RateDecision:
        start, reset_s = self._window()
        bucket = f"{key}:{start}"
        expires = datetime.fromtimestamp(start + self.window_s, UTC)
        insert = pg_insert if self.db.dialect == "postgresql" else sqlite_insert
        stmt = (
            insert(RateCounter)
            .values(bucket=bucket, hits=1, expires_at=expires)
            .on_conflict_do_update(
                index_elements=[RateCounter.bucket], set_={"hits": RateCounter.hits + 1}
            )
            .returning(RateCounter.hits)
        )
        try:
            with self.db.transaction() as session:
                hits = int(session.execute(stmt).scalar_one())
                self._sweep(session)
        except Exception as exc:  # any store failure fails open, see module doc
            return self._fail_open(exc, reset_s)
        return self._decide(hits, reset_s)

    def _sweep(self, session: sa.orm.Session) -> None:
        now = self.clock()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.window_s
        cutoff = datetime.fromtimestamp(now, UTC) - timedelta(seconds=self.window_s)
        session.execute(sa.delete(RateCounter).where(RateCounter.expires_at < cutoff))

    def healthy(self) -> bool:
        try:
            with self.db.read_only() as session:
                session.execute(sa.select(sa.func.count()).select_from(RateCounter).limit(1))
        except Exception:  # readiness reports, never raises
            return False
        return True


class RedisRateLimiter(_Windowed):
    """Counters in Redis: one atomic INCR per request, keys expire with their window."""

    def __init__(
        self, url: str, limit: int, window_s: int, clock: Callable[[], float] = time.time
    ) -> None:
        import redis

        super().__init__(limit, window_s, clock)
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self.client.register_script(REDIS_SCRIPT)

    def hit(self, key: str) -> RateDecision:
        start, reset_s = self._window()
        try:
            hits = int(
                self._script(keys=[f"careassist:rl:{key}:{start}"], args=[self.window_s * 1000])
            )
        except Exception as exc:  # any store failure fails open, see module doc
            return self._fail_open(exc, reset_s)
        return self._decide(hits, reset_s)

    def healthy(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:  # readiness reports, never raises
            return False


def build_rate_limiter(
    db: Database, redis_url: str | None, limit: int, window_s: int
) -> RateLimiter:
    if redis_url:
        return RedisRateLimiter(redis_url, limit, window_s)
    return SqlRateLimiter(db, limit, window_s)
