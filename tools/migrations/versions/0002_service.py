"""Was: service tables: API tokens, Slack user links, answer feedback, Slack event claims, and
rate-limit counters shared by every API worker.

These are bot's tables, and bot migrates them now (bot/migrations, version table
bot_alembic_version; its first revision creates whichever of them a database lacks). This
revision stays, empty, so a database stamped with it, or one before it, keeps upgrading.

Revision ID: 0002_service
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

revision: str = "0002_service"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
