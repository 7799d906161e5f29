"""Tables the service and the Slack app own (migrations 0002_service and 0004_answers).

They live on their own metadata so the tools layer never learns about API tokens or Slack. The
foreign keys to `users` exist in the migration; here they are plain columns, joined explicitly.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tools.models import UTCDateTime


class ServiceBase(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012


class ApiToken(ServiceBase):
    """A bearer token for the HTTP API; only the sha256 of the whole token is kept."""

    __tablename__ = "api_tokens"

    token_id: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SlackUserLink(ServiceBase):
    """Which staff user a Slack account speaks for; unlinked Slack users get policy answers only."""

    __tablename__ = "slack_users"

    slack_user_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    team_id: Mapped[str | None] = mapped_column(sa.String(32))
    user_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    linked_at: Mapped[datetime]


class Feedback(ServiceBase):
    """A thumbs up or down on one answer; the question and answer text are not stored."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(sa.String(16))
    answer_id: Mapped[str] = mapped_column(sa.String(64))
    rater: Mapped[str] = mapped_column(sa.String(80))
    user_id: Mapped[str | None] = mapped_column(sa.String(40))
    thread_id: Mapped[str | None] = mapped_column(sa.String(200))
    intent: Mapped[str | None] = mapped_column(sa.String(32))
    rating: Mapped[str] = mapped_column(sa.String(8))
    comment: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (sa.UniqueConstraint("answer_id", "rater", name="uq_feedback_answer_rater"),)


class IssuedAnswer(ServiceBase):
    """An answer id and who it was given to, so only that person can rate it (no answer text)."""

    __tablename__ = "answers"

    answer_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # The rater it was issued to, spelled as Feedback.rater: "api:<user id>" or "slack:<U...>".
    issued_to: Mapped[str] = mapped_column(sa.String(80))
    issued_at: Mapped[datetime] = mapped_column(index=True)


class SlackEvent(ServiceBase):
    """A claimed Slack event id, so a retry of it never produces a second answer."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(sa.String(16))


class SlackThread(ServiceBase):
    """A Slack thread the bot answered in ("team:channel:thread_ts"); replies there need no
    mention. Kept while the thread is active, swept after a quiet period."""

    __tablename__ = "slack_threads"

    thread_key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    last_answer_at: Mapped[datetime] = mapped_column(index=True)


class ThreadActivity(ServiceBase):
    """When a conversation thread last had a turn; its checkpoints are LangGraph's tables."""

    __tablename__ = "threads"

    thread_id: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    last_turn_at: Mapped[datetime] = mapped_column(index=True)


class RateCounter(ServiceBase):
    """Requests one token made in one fixed window, counted in the shared database."""

    __tablename__ = "rate_limits"

    bucket: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    hits: Mapped[int] = mapped_column(sa.Integer)
    expires_at: Mapped[datetime] = mapped_column(index=True)
