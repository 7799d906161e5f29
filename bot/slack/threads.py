"""Which Slack threads the bot is part of, shared by every worker through the database."""

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.service_models import SlackThread
from tools.context import utc_now
from tools.db import Database

# A thread quiet for longer needs a new mention: nobody expects the bot to wake up in an old one.
QUIET = timedelta(days=14)


def thread_key(team_id: str | None, channel: str, thread_ts: str) -> str:
    return f"{team_id or '-'}:{channel}:{thread_ts}"


class BotThreads:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.clock = clock

    def joined(self, team_id: str | None, channel: str, thread_ts: str) -> None:
        """Record (or refresh) that the bot answered in this thread."""
        key, now = thread_key(team_id, channel, thread_ts), self.clock()
        with self.db.transaction() as session:
            row = session.get(SlackThread, key)
            if row is None:
                session.add(SlackThread(thread_key=key, last_answer_at=now))
            else:
                row.last_answer_at = now
            session.execute(sa.delete(SlackThread).where(SlackThread.last_answer_at < now - QUIET))

    def is_in(self, team_id: str | None, channel: str, thread_ts: str) -> bool:
        key = thread_key(team_id, channel, thread_ts)
        with self.db.read_only() as session:
            row = session.get(SlackThread, key)
        return row is not None and row.last_answer_at >= self.clock() - QUIET
