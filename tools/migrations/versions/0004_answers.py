"""Was: answers issued: each answer id and the rater it was given to, so feedback is accepted only
from that person. No question or answer text is kept.

These are bot's tables, and bot migrates them now (bot/migrations, version table
bot_alembic_version; its first revision creates whichever of them a database lacks). This
revision stays, empty, so a database stamped with it, or one before it, keeps upgrading.

Revision ID: 0004_answers
Revises: 0003_drafts
Create Date: 2026-11-25
"""

from collections.abc import Sequence

revision: str = "0004_answers"
down_revision: str | None = "0003_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
