"""Claims on Slack event ids and slash-command trigger ids in the shared database, so a retry
or a replay never answers twice.

Slack resends an event it thinks was not received (X-Slack-Retry-Num), and with several workers
the retry may reach another process. The first delivery claims the id; a retry of a claimed
event is acknowledged and dropped. Only a claim left 'working' for longer than the lease (its
worker died) is taken over, so an event is answered once and is not lost.

Slack never retries a slash command, so a second delivery of the same trigger id is a replay
of signed bytes (valid for five minutes): its claim is final at once and is never taken over.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.service_models import SlackEvent
from tools.context import utc_now
from tools.db import Database

log = logging.getLogger(__name__)

# Longer than Slack's five-minute signature window, so a replay always finds its claim.
KEEP = timedelta(days=2)
COMMAND_PREFIX = "cmd:"
SWEEP_EVERY = timedelta(hours=1)


class EventClaims:
    def __init__(
        self, db: Database, lease_s: float, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.db = db
        self.lease = timedelta(seconds=lease_s)
        self.clock = clock
        self._next_sweep = datetime.min.replace(tzinfo=clock().tzinfo)

    def claim(self, event_id: str, final: bool = False) -> bool:
        """True when this delivery should be answered, False for a duplicate. A `final` claim
        is done at once: no later delivery takes it over."""
        now = self.clock()
        state = "done" if final else "working"
        try:
            with self.db.transaction() as session:
                row = session.get(SlackEvent, event_id)
                if row is None:
                    session.add(SlackEvent(event_id=event_id, claimed_at=now, state=state))
                elif row.state == "working" and now - row.claimed_at > self.lease:
                    log.warning(
                        "taking over Slack event %s: its first worker never finished", event_id
                    )
                    row.claimed_at = now
                else:
                    return False
                self._sweep(session, now)
        except IntegrityError:
            return False  # another worker inserted the same id a moment earlier
        return True

    def finish(self, event_id: str) -> None:
        with self.db.transaction() as session:
            session.execute(
                sa.update(SlackEvent).where(SlackEvent.event_id == event_id).values(state="done")
            )

    def _sweep(self, session: sa.orm.Session, now: datetime) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY
        session.execute(sa.delete(SlackEvent).where(SlackEvent.claimed_at < now - KEEP))


def claim_key(body: dict[str, Any]) -> tuple[str, bool] | None:
    """What a request is claimed by, and whether the claim is final: an event's id, or a slash
    command's trigger id; None for the rest (interactions are idempotent on their own)."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return str(body["event_id"]), False
    if body.get("command") and body.get("trigger_id"):
        return f"{COMMAND_PREFIX}{body['trigger_id']}"[:64], True
    return None
