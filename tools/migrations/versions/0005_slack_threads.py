"""Slack threads the bot answered in, so a reply in such a thread is answered without a new
mention, by whichever worker receives it. Only Slack ids and a time are kept.

Revision ID: 0005_slack_threads
Revises: 0004_answers
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_slack_threads"
down_revision: str | None = "0004_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_threads",
        sa.Column("thread_key", sa.String(120), primary_key=True),
        sa.Column("last_answer_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_slack_threads_last_answer_at", "slack_threads", ["last_answer_at"])


def downgrade() -> None:
    op.drop_index("ix_slack_threads_last_answer_at", table_name="slack_threads")
    op.drop_table("slack_threads")
