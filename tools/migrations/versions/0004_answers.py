"""Answers issued: each answer id and the rater it was given to, so feedback is accepted only
from that person. No question or answer text is kept.

Revision ID: 0004_answers
Revises: 0003_drafts
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_answers"
down_revision: str | None = "0003_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("answer_id", sa.String(64), primary_key=True),
        sa.Column("issued_to", sa.String(80), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_answers_issued_at", "answers", ["issued_at"])


def downgrade() -> None:
    op.drop_index("ix_answers_issued_at", table_name="answers")
    op.drop_table("answers")
