"""Initial schema: plans, users, providers and networks, members and eligibility, contracts,
UM cases, and the hash-chained append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Vocabularies are spelled out here, not imported: a migration must keep meaning what it meant
# when it was written, whatever the application's enums become later.
LOBS = ("medicare_advantage", "medicaid", "commercial")
ROLES = ("case_manager", "um_reviewer", "clinician", "compliance", "admin")
KINDS = ("individual", "organization")
NETWORK = ("in_network", "out_of_network")
PAYMENT = ("per_diem", "drg", "fee_schedule", "capitation", "shared_savings")
REQUEST_TYPES = ("pre_service", "concurrent", "post_service", "part_b_drug")
URGENCY = ("standard", "expedited")
STATUSES = (
    "received",
    "in_review",
    "pended_info",
    "decision_pending_clinician",
    "approved",
    "denied",
    "withdrawn",
)

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=name)


def span_ordered(name: str, start: str = "start_date") -> sa.CheckConstraint:
    return sa.CheckConstraint(f"end_date IS NULL OR end_date >= {start}", name=name)


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("plan_id", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("line_of_business", sa.String(32), nullable=False),
        one_of("line_of_business", LOBS, "ck_plans_lob"),
    )
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(40), primary_key=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("credentials", sa.String(40)),
        sa.Column("active", sa.Boolean, nullable=False),
        one_of("role", ROLES, "ck_users_role"),
    )
    op.create_table(
        "providers",
        sa.Column("npi", sa.String(10), primary_key=True),
        sa.Column("name", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("specialty", sa.String(80), nullable=False),
        sa.Column("city", sa.String(80), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        one_of("kind", KINDS, "ck_providers_kind"),
    )
    op.create_table(
        "provider_networks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("npi", sa.String(10), sa.ForeignKey("providers.npi"), nullable=False),
        sa.Column("plan_id", sa.String(16), sa.ForeignKey("plans.plan_id"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        one_of("status", NETWORK, "ck_provider_networks_status"),
        span_ordered("ck_provider_networks_span"),
    )
    op.create_index(
        "ix_provider_networks_npi_plan", "provider_networks", ["npi", "plan_id", "start_date"]
    )
    op.create_table(
        "members",
        sa.Column("member_id", sa.String(8), primary_key=True),
        sa.Column("first_name", sa.String(60), nullable=False),
        sa.Column("last_name", sa.String(60), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("email", sa.String(120), nullable=False),
        sa.Column("address_line", sa.String(120), nullable=False),
        sa.Column("city", sa.String(80), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("postal_code", sa.String(10), nullable=False),
        sa.Column("preferred_language", sa.String(20), nullable=False),
        sa.CheckConstraint("sex IN ('F', 'M', 'X')", name="ck_members_sex"),
    )
    op.create_index("ix_members_date_of_birth", "members", ["date_of_birth"])
    op.create_table(
        "eligibility_spans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_id", sa.String(8), sa.ForeignKey("members.member_id"), nullable=False),
        sa.Column("plan_id", sa.String(16), sa.ForeignKey("plans.plan_id"), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("pcp_npi", sa.String(10), sa.ForeignKey("providers.npi")),
        span_ordered("ck_eligibility_spans_span"),
    )
    op.create_index("ix_eligibility_spans_member", "eligibility_spans", ["member_id", "start_date"])
    op.create_table(
        "contracts",
        sa.Column("contract_id", sa.String(12), primary_key=True),
        sa.Column("plan_id", sa.String(16), sa.ForeignKey("plans.plan_id"), nullable=False),
        sa.Column("npi", sa.String(10), sa.ForeignKey("providers.npi"), nullable=False),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("payment_model", sa.String(32), nullable=False),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("timely_filing_days", sa.Integer, nullable=False),
        sa.Column("admission_notification_business_days", sa.Integer),
        sa.Column("prior_auth_required", sa.Boolean, nullable=False),
        sa.Column("delegated_um", sa.Boolean, nullable=False),
        sa.Column("terms", JSON, nullable=False),
        one_of("payment_model", PAYMENT, "ck_contracts_payment_model"),
        span_ordered("ck_contracts_span", start="effective_date"),
        sa.CheckConstraint("timely_filing_days > 0", name="ck_contracts_timely_filing"),
    )
    op.create_index("ix_contracts_npi_plan", "contracts", ["npi", "plan_id", "effective_date"])
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(8), primary_key=True),
        sa.Column("member_id", sa.String(8), sa.ForeignKey("members.member_id"), nullable=False),
        sa.Column("plan_id", sa.String(16), sa.ForeignKey("plans.plan_id"), nullable=False),
        sa.Column("requesting_npi", sa.String(10), sa.ForeignKey("providers.npi"), nullable=False),
        sa.Column("service_codes", JSON, nullable=False),
        sa.Column("diagnosis_codes", JSON, nullable=False),
        sa.Column("service_description", sa.String(200), nullable=False),
        sa.Column("request_type", sa.String(32), nullable=False),
        sa.Column("urgency", sa.String(32), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("assigned_reviewer", sa.String(40), sa.ForeignKey("users.user_id")),
        sa.Column("clinical_notes", sa.Text),
        sa.Column("extension_taken", sa.Boolean, nullable=False),
        sa.Column("due_at", TS),
        sa.Column("decided_at", TS),
        sa.Column("decided_by", sa.String(40), sa.ForeignKey("users.user_id")),
        sa.Column("updated_at", TS, nullable=False),
        one_of("request_type", REQUEST_TYPES, "ck_cases_request_type"),
        one_of("urgency", URGENCY, "ck_cases_urgency"),
        one_of("status", STATUSES, "ck_cases_status"),
        # A decision is recorded with who made it and when (a clinician, checked by the
        # application: the machine never decides).
        sa.CheckConstraint(
            "status NOT IN ('approved', 'denied') "
            "OR (decided_at IS NOT NULL AND decided_by IS NOT NULL)",
            name="ck_cases_decision_recorded",
        ),
    )
    op.create_index("ix_cases_member_id", "cases", ["member_id"])
    op.create_index("ix_cases_status", "cases", ["status"])
    # Worklists: a reviewer's cases in due order, and open cases in due order, so that a page
    # of 50 is read from the index instead of sorting every match.
    op.create_index(
        "ix_cases_assigned_reviewer", "cases", ["assigned_reviewer", "due_at", "status"]
    )
    op.create_index("ix_cases_status_due_at", "cases", ["status", "due_at"])
    open_only = sa.text(
        "status IN ('decision_pending_clinician', 'in_review', 'pended_info', 'received')"
    )
    op.create_index(
        "ix_cases_open_due",
        "cases",
        ["due_at"],
        sqlite_where=open_only,
        postgresql_where=open_only,
    )
    op.create_index("ix_cases_due_at", "cases", ["due_at"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("user_id", sa.String(40), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("tool", sa.String(40), nullable=False),
        sa.Column("member_id", sa.String(8)),
        sa.Column("case_id", sa.String(8)),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        # Unique predecessor: two records can never extend the same link, so even a writer that
        # skipped the lock could not fork the chain.
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_audit_log_member_id", "audit_log", ["member_id"])
    op.create_index("ix_audit_log_case_id", "audit_log", ["case_id"])
    op.create_index("ix_audit_log_recorded_at", "audit_log", ["recorded_at"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
    )
    # The empty chain: seq 0 and the all-zero genesis hash the first record links to.
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])
    _append_only_triggers()


def _append_only_triggers() -> None:
    """Refuse UPDATE and DELETE on audit_log inside the database too.

    The hash chain detects tampering; these make accidental or casual edits fail outright. Whoever
    holds DDL rights can still drop them, which is what the chain is for.
    """
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION careassist_audit_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION careassist_audit_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION careassist_audit_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{action.lower()} BEFORE {action} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {action} refused'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("the audit trail is never dropped by a downgrade")
