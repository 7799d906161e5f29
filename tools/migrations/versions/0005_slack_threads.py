"""Was: Slack threads the bot answered in, so a reply in such a thread is answered without a new
mention, by whichever worker receives it. Only Slack ids and a time are kept.

These are bot's tables, and bot migrates them now (bot/migrations, version table
bot_alembic_version; its first revision creates whichever of them a database lacks). This
revision stays, empty, so a database stamped with it, or one before it, keeps upgrading.

Revision ID: 0005_slack_threads
Revises: 0004_answers
Create Date: 2026-12-01
"""

from collections.abc import Sequence

revision: str = "0005_slack_threads"
down_revision: str | None = "0004_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
