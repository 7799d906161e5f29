"""When each conversation thread last had a turn, so threads idle past
CAREASSIST_THREAD_TTL_DAYS are forgotten and their checkpoints pruned. The checkpoints themselves
live in LangGraph's own tables (created by its checkpointer) in the same database.

Revision ID: 0006_threads
Revises: 0005_slack_threads
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_threads"
down_revision: str | None = "0005_slack_threads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "threads",
        sa.Column("thread_id", sa.String(255), primary_key=True),
        sa.Column("last_turn_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_threads_last_turn_at", "threads", ["last_turn_at"])


def downgrade() -> None:
    op.drop_index("ix_threads_last_turn_at", table_name="threads")
    op.drop_table("threads")
