"""Case history for reporting: the determination (approved, partially approved, denied), when
it was notified, who asked for an extension, the appeal (filed, resolved, outcome) and the
criteria a denial cited; the CMS contract number of a Medicare Advantage plan; indexes for the
reports' date-range scans.

Existing rows keep their data: an approved or denied status becomes that determination, and
everything the old schema never recorded stays null (unknown, not invented).

Revision ID: 0007_case_history
Revises: 0006_threads
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_case_history"
down_revision: str | None = "0006_threads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
# Spelled out, not imported: a migration keeps meaning what it meant when written.
DETERMINATIONS = ("approved", "partially_approved", "denied")
EXTENSION_BY = ("member", "plan")
APPEAL_OUTCOMES = ("upheld", "overturned")


def one_of(column: str, values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"{column} IS NULL OR {column} IN ({listed})"


def upgrade() -> None:
    # Plain ADD COLUMN (no batch table copy): SQLite keeps the table, its partial index and the
    # rows referencing it; the CHECKs ride on the column, which both backends accept.
    for column, values in (
        ("determination", DETERMINATIONS),
        ("extension_by", EXTENSION_BY),
        ("appeal_outcome", APPEAL_OUTCOMES),
    ):
        op.execute(
            f"ALTER TABLE cases ADD COLUMN {column} VARCHAR(32) "
            f"CONSTRAINT ck_cases_{column} CHECK ({one_of(column, values)})"
        )
    for column in ("notified_at", "appeal_filed_at", "appeal_resolved_at"):
        op.add_column("cases", sa.Column(column, TS))
    op.add_column("cases", sa.Column("criteria_cited", sa.String(64)))
    op.execute("UPDATE cases SET determination = status WHERE status IN ('approved', 'denied')")
    # The reports scan cases by receipt or decision time within a range.
    op.create_index("ix_cases_received_at", "cases", ["received_at"])
    op.create_index("ix_cases_decided_at", "cases", ["decided_at"])
    op.add_column("plans", sa.Column("cms_contract_id", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("cms_contract_id")
    op.drop_index("ix_cases_decided_at", table_name="cases")
    op.drop_index("ix_cases_received_at", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        for name in ("ck_cases_appeal_outcome", "ck_cases_extension_by", "ck_cases_determination"):
            batch.drop_constraint(name, type_="check")
        for column in (
            "criteria_cited",
            "appeal_outcome",
            "appeal_resolved_at",
            "appeal_filed_at",
            "extension_by",
            "notified_at",
            "determination",
        ):
            batch.drop_column(column)
