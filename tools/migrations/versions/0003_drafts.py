"""Drafts of case notes and denial letters, with the clinician sign-off.

A draft row never changes except once: status draft -> signed with the signer's name,
credentials, attestation and time. Triggers refuse any other update, any update of a signed row
and the deletion of a signed row, so the database backs up the tool layer's rules. There are no
foreign keys to plan data: like the audit trail, drafts outlive `careassist seed --replace`.

Revision ID: 0003_drafts
Revises: 0002_service
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003_drafts"
down_revision: str | None = "0002_service"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, not imported: a migration keeps meaning what it meant when written.
KINDS = ("case_note", "denial_letter")
STATUSES = ("draft", "signed")
LOBS = ("medicare_advantage", "medicaid", "commercial")
PROGRAMS = ("medicare_advantage", "medicare_part_b_drug", "medicaid", "commercial", "case_note")
# Columns fixed at creation; only the sign-off columns may be filled in, once.
CONTENT = (
    "draft_id",
    "kind",
    "case_id",
    "member_id",
    "lob",
    "program",
    "version",
    "body",
    "fields",
    "completeness",
    "created_by",
    "created_at",
    "supersedes",
)

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=name)


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("draft_id", sa.String(12), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(8), nullable=False),
        sa.Column("member_id", sa.String(8), nullable=False),
        sa.Column("lob", sa.String(32), nullable=False),
        sa.Column("program", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("completeness", JSON, nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("signed_by", sa.String(40)),
        sa.Column("signer_name", sa.String(120)),
        sa.Column("credentials", sa.String(60)),
        sa.Column("attestation", sa.Text),
        sa.Column("signed_at", TS),
        # Unique: a version is replaced at most once, so the history never forks.
        sa.Column(
            "supersedes",
            sa.String(12),
            sa.ForeignKey("drafts.draft_id", name="fk_drafts_supersedes"),
            unique=True,
        ),
        one_of("kind", KINDS, "ck_drafts_kind"),
        one_of("status", STATUSES, "ck_drafts_status"),
        one_of("lob", LOBS, "ck_drafts_lob"),
        one_of("program", PROGRAMS, "ck_drafts_program"),
        sa.CheckConstraint("version >= 1", name="ck_drafts_version"),
        sa.CheckConstraint(
            "(version = 1) = (supersedes IS NULL)", name="ck_drafts_version_supersedes"
        ),
        sa.CheckConstraint(
            "status <> 'signed' OR (signed_by IS NOT NULL AND signer_name IS NOT NULL "
            "AND credentials IS NOT NULL AND attestation IS NOT NULL AND signed_at IS NOT NULL)",
            name="ck_drafts_signature_recorded",
        ),
        sa.CheckConstraint(
            "status = 'signed' OR (signed_by IS NULL AND signed_at IS NULL)",
            name="ck_drafts_unsigned_has_no_signature",
        ),
    )
    op.create_index("ix_drafts_case_id", "drafts", ["case_id"])
    op.create_index("ix_drafts_member_id", "drafts", ["member_id"])
    op.create_index("ix_drafts_status", "drafts", ["status"])
    _immutability_triggers()


def _immutability_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT)
        op.execute(
            "CREATE FUNCTION careassist_drafts_guard() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            "IF TG_OP = 'DELETE' THEN "
            "  IF OLD.status = 'signed' THEN "
            "    RAISE EXCEPTION 'drafts: a signed draft is never deleted'; END IF; "
            "  RETURN OLD; END IF; "
            "IF OLD.status = 'signed' THEN "
            "  RAISE EXCEPTION 'drafts: a signed draft is immutable; revise it instead'; END IF; "
            f"IF {changed} THEN "
            "  RAISE EXCEPTION 'drafts: a draft is changed only by a new version'; END IF; "
            "RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER drafts_guard BEFORE UPDATE OR DELETE ON drafts "
            "FOR EACH ROW EXECUTE FUNCTION careassist_drafts_guard()"
        )
        return
    op.execute(
        "CREATE TRIGGER drafts_signed_immutable BEFORE UPDATE ON drafts "
        "WHEN OLD.status = 'signed' "
        "BEGIN SELECT RAISE(ABORT, 'drafts: a signed draft is immutable; revise it instead'); END"
    )
    op.execute(
        f"CREATE TRIGGER drafts_content_fixed BEFORE UPDATE OF {', '.join(CONTENT)} ON drafts "
        "WHEN OLD.status <> 'signed' "
        "BEGIN SELECT RAISE(ABORT, 'drafts: a draft is changed only by a new version'); END"
    )
    op.execute(
        "CREATE TRIGGER drafts_signed_kept BEFORE DELETE ON drafts WHEN OLD.status = 'signed' "
        "BEGIN SELECT RAISE(ABORT, 'drafts: a signed draft is never deleted'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS drafts_guard ON drafts")
        op.execute("DROP FUNCTION IF EXISTS careassist_drafts_guard()")
    op.drop_table("drafts")
