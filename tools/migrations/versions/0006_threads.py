"""Was: when each conversation thread last had a turn, so threads idle past
CAREASSIST_THREAD_TTL_DAYS are forgotten and their checkpoints pruned. The checkpoints themselves
live in LangGraph's own tables (created by its checkpointer) in the same database.

These are bot's tables, and bot migrates them now (bot/migrations, version table
bot_alembic_version; its first revision creates whichever of them a database lacks). This
revision stays, empty, so a database stamped with it, or one before it, keeps upgrading.

Revision ID: 0006_threads
Revises: 0005_slack_threads
Create Date: 2026-12-01
"""

from collections.abc import Sequence

revision: str = "0006_threads"
down_revision: str | None = "0005_slack_threads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
