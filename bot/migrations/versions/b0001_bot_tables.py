"""Bot's own tables, which tools' migrations 0002, 0004, 0005 and 0006 used to create: API
tokens, Slack user links, answer feedback, Slack event claims, rate-limit counters, answers
issued, Slack threads answered in, and conversation thread activity.

A database made by those earlier migrations already has some or all of these tables (and its
data in them): each is created only when missing, with the DDL they had, so such a database
upgrades in place and a new one gets the same schema. The foreign keys to `users` point down,
at the tools' staff directory, which tools' migrations create first.

Revision ID: b0001_bot_tables
Revises:
Create Date: 2026-12-03
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b0001_bot_tables"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _api_tokens() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("token_id", sa.String(16), primary_key=True),
        # Cascade: `careassist seed --replace` recreates the staff users, and their old tokens
        # must not outlive them.
        sa.Column(
            "user_id",
            sa.String(40),
            sa.ForeignKey("users.user_id", ondelete="CASCADE"),
            nullable=False,
        ),
        # sha256 of the whole token: the secret itself is never stored.
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS),
        sa.Column("revoked_at", TS),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])


def _slack_users() -> None:
    op.create_table(
        "slack_users",
        sa.Column("slack_user_id", sa.String(32), primary_key=True),
        sa.Column("team_id", sa.String(32)),
        sa.Column(
            "user_id",
            sa.String(40),
            sa.ForeignKey("users.user_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("linked_at", TS, nullable=False),
    )
    op.create_index("ix_slack_users_user_id", "slack_users", ["user_id"])


def _feedback() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("answer_id", sa.String(64), nullable=False),
        # Who rated: "api:<user id>" or "slack:<Slack user id>"; one rating per rater and answer.
        sa.Column("rater", sa.String(80), nullable=False),
        sa.Column("user_id", sa.String(40), sa.ForeignKey("users.user_id", ondelete="SET NULL")),
        sa.Column("thread_id", sa.String(200)),
        sa.Column("intent", sa.String(32)),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text),
        sa.CheckConstraint("source IN ('api', 'slack')", name="ck_feedback_source"),
        sa.CheckConstraint("rating IN ('up', 'down')", name="ck_feedback_rating"),
        sa.UniqueConstraint("answer_id", "rater", name="uq_feedback_answer_rater"),
    )
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])


def _slack_events() -> None:
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("claimed_at", TS, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.CheckConstraint("state IN ('working', 'done')", name="ck_slack_events_state"),
    )
    op.create_index("ix_slack_events_claimed_at", "slack_events", ["claimed_at"])


def _rate_limits() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(120), primary_key=True),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )
    op.create_index("ix_rate_limits_expires_at", "rate_limits", ["expires_at"])


def _answers() -> None:
    op.create_table(
        "answers",
        sa.Column("answer_id", sa.String(64), primary_key=True),
        sa.Column("issued_to", sa.String(80), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_answers_issued_at", "answers", ["issued_at"])


def _slack_threads() -> None:
    op.create_table(
        "slack_threads",
        sa.Column("thread_key", sa.String(120), primary_key=True),
        sa.Column("last_answer_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_slack_threads_last_answer_at", "slack_threads", ["last_answer_at"])


def _threads() -> None:
    op.create_table(
        "threads",
        sa.Column("thread_id", sa.String(255), primary_key=True),
        sa.Column("last_turn_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_threads_last_turn_at", "threads", ["last_turn_at"])


TABLES: dict[str, Callable[[], None]] = {
    "api_tokens": _api_tokens,
    "slack_users": _slack_users,
    "feedback": _feedback,
    "slack_events": _slack_events,
    "rate_limits": _rate_limits,
    "answers": _answers,
    "slack_threads": _slack_threads,
    "threads": _threads,
}


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    for name, create in TABLES.items():
        if name not in present:
            create()


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
