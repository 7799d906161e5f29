"""Service tables: API tokens, Slack user links, answer feedback, Slack event claims, and
rate-limit counters shared by every API worker.

Revision ID: 0002_service
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_service"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
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
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("claimed_at", TS, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.CheckConstraint("state IN ('working', 'done')", name="ck_slack_events_state"),
    )
    op.create_index("ix_slack_events_claimed_at", "slack_events", ["claimed_at"])
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(120), primary_key=True),
        sa.Column("hits", sa.Integer, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )
    op.create_index("ix_rate_limits_expires_at", "rate_limits", ["expires_at"])


def downgrade() -> None:
    for table in ("rate_limits", "slack_events", "feedback", "slack_users", "api_tokens"):
        op.drop_table(table)
