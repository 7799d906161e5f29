"""Retention of conversation threads: each thread's last turn, expiry and pruning.

Threads are the agent's memory (LangGraph checkpoints in the configured database) and may hold
what a member lookup returned, so they are kept only while in use: a thread idle for longer
than CAREASSIST_THREAD_TTL_DAYS is not resumed, and its checkpoints are deleted by the next
prune (on a worker's first turn, then hourly on every worker).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.service_models import ThreadActivity
from tools.context import utc_now
from tools.db import Database

log = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(hours=1)


class ThreadStore:
    def __init__(
        self,
        db: Database,
        saver: Any,
        ttl_days: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.saver = saver
        self.ttl = timedelta(days=ttl_days)
        self.clock = clock
        self._next_prune = datetime.min.replace(tzinfo=clock().tzinfo)

    def begin(self, thread_id: str) -> None:
        """Before a turn: an expired thread starts over instead of being resumed."""
        with self.db.read_only() as session:
            row = session.get(ThreadActivity, thread_id)
            last = row.last_turn_at if row else None
        if last is not None and last < self.clock() - self.ttl:
            self._forget([thread_id])

    def touch(self, thread_id: str) -> None:
        """After a turn: the thread was used now; prune expired threads at most hourly."""
        now = self.clock()
        for _ in range(2):
            try:
                with self.db.transaction() as session:
                    row = session.get(ThreadActivity, thread_id)
                    if row is None:
                        session.add(ThreadActivity(thread_id=thread_id, last_turn_at=now))
                    else:
                        row.last_turn_at = now
                break
            except IntegrityError:
                continue  # another worker inserted it a moment earlier: update theirs
        if now >= self._next_prune:
            self.prune()

    def prune(self) -> int:
        """Delete every thread idle past the TTL (checkpoints and bookkeeping); how many."""
        now = self.clock()
        self._next_prune = now + PRUNE_EVERY
        with self.db.read_only() as session:
            expired = list(
                session.scalars(
                    sa.select(ThreadActivity.thread_id).where(
                        ThreadActivity.last_turn_at < now - self.ttl
                    )
                )
            )
        self._forget(expired)
        if expired:
            log.info("pruned %d conversation thread(s) idle past the retention", len(expired))
        return len(expired)

    def count(self) -> int:
        with self.db.read_only() as session:
            return session.scalar(sa.select(sa.func.count()).select_from(ThreadActivity)) or 0

    def _forget(self, thread_ids: list[str]) -> None:
        for thread_id in thread_ids:
            self.saver.delete_thread(thread_id)
            with self.db.transaction() as session:
                session.execute(
                    sa.delete(ThreadActivity).where(ThreadActivity.thread_id == thread_id)
                )
