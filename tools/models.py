"""The plan-data store: SQLAlchemy 2 typed models.

The schema itself is created by the Alembic migrations in tools/migrations (the same DDL on
SQLite and PostgreSQL); these classes must match them, which a test checks.
"""

from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from tools.enums import (
    AppealOutcome,
    CaseStatus,
    Determination,
    ExtensionBy,
    LineOfBusiness,
    NetworkStatus,
    PaymentModel,
    ProviderKind,
    RequestType,
    Urgency,
)
from tools.roles import Role

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
OPEN_ONLY_SQL = "status IN ('decision_pending_clinician', 'in_review', 'pended_info', 'received')"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time zone type: values are stored as UTC text in one fixed format, so string
    comparison in SQL is time comparison. A naive value is refused rather than guessed.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[Any]):
    """A StrEnum stored as its text value; the CHECK constraint lives in the migration."""

    impl = sa.String(32)
    cache_ok = True

    def __init__(self, enum: type, length: int = 32) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> Any:
        return None if value is None else self.enum(value)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012


def table_of(model: type[Base]) -> sa.Table:
    """A model's Table, for Core statements: declarative types `__table__` as any FromClause,
    but every model here maps a plain Table."""
    return cast(sa.Table, model.__table__)


class Plan(Base):
    __tablename__ = "plans"

    plan_id: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    line_of_business: Mapped[LineOfBusiness] = mapped_column(EnumText(LineOfBusiness))
    # The CMS contract number a Medicare Advantage plan reports under (CMS-0057-F reports MA
    # at contract level); null for other plans, which report as the plan itself.
    cms_contract_id: Mapped[str | None] = mapped_column(sa.String(16))


class User(Base):
    """Staff principals. Authentication belongs to the faces; this holds role and credentials."""

    __tablename__ = "users"

    user_id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    role: Mapped[Role] = mapped_column(EnumText(Role))
    display_name: Mapped[str] = mapped_column(sa.String(120))
    credentials: Mapped[str | None] = mapped_column(sa.String(40))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)


class Provider(Base):
    __tablename__ = "providers"

    npi: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    kind: Mapped[ProviderKind] = mapped_column(EnumText(ProviderKind))
    specialty: Mapped[str] = mapped_column(sa.String(80))
    city: Mapped[str] = mapped_column(sa.String(80))
    state: Mapped[str] = mapped_column(sa.String(2))
    phone: Mapped[str] = mapped_column(sa.String(20))


class NetworkSpan(Base):
    """A provider's participation status in one plan over a date span (end inclusive)."""

    __tablename__ = "provider_networks"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    npi: Mapped[str] = mapped_column(sa.ForeignKey("providers.npi"))
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.plan_id"))
    status: Mapped[NetworkStatus] = mapped_column(EnumText(NetworkStatus))
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)

    __table_args__ = (sa.Index("ix_provider_networks_npi_plan", "npi", "plan_id", "start_date"),)


class Member(Base):
    __tablename__ = "members"

    member_id: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    first_name: Mapped[str] = mapped_column(sa.String(60))
    last_name: Mapped[str] = mapped_column(sa.String(60))
    date_of_birth: Mapped[date] = mapped_column(sa.Date, index=True)
    sex: Mapped[str] = mapped_column(sa.String(1))
    phone: Mapped[str] = mapped_column(sa.String(20))
    email: Mapped[str] = mapped_column(sa.String(120))
    address_line: Mapped[str] = mapped_column(sa.String(120))
    city: Mapped[str] = mapped_column(sa.String(80))
    state: Mapped[str] = mapped_column(sa.String(2))
    postal_code: Mapped[str] = mapped_column(sa.String(10))
    preferred_language: Mapped[str] = mapped_column(sa.String(20))

    spans: Mapped[list["EligibilitySpan"]] = relationship(
        back_populates="member", order_by="EligibilitySpan.start_date"
    )


class EligibilitySpan(Base):
    """Enrolment in one plan over a date span (end inclusive, open when null), with its PCP."""

    __tablename__ = "eligibility_spans"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(sa.ForeignKey("members.member_id"))
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.plan_id"))
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    pcp_npi: Mapped[str | None] = mapped_column(sa.ForeignKey("providers.npi"))

    member: Mapped[Member] = relationship(back_populates="spans")
    plan: Mapped[Plan] = relationship()
    pcp: Mapped[Provider | None] = relationship()

    __table_args__ = (sa.Index("ix_eligibility_spans_member", "member_id", "start_date"),)


class Contract(Base):
    """A provider contract; doc_id names the corpus document holding its full text."""

    __tablename__ = "contracts"

    contract_id: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.plan_id"))
    npi: Mapped[str] = mapped_column(sa.ForeignKey("providers.npi"))
    doc_id: Mapped[str] = mapped_column(sa.String(64))
    payment_model: Mapped[PaymentModel] = mapped_column(EnumText(PaymentModel))
    effective_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    timely_filing_days: Mapped[int] = mapped_column(sa.Integer)
    admission_notification_business_days: Mapped[int | None] = mapped_column(sa.Integer)
    prior_auth_required: Mapped[bool] = mapped_column(sa.Boolean)
    delegated_um: Mapped[bool] = mapped_column(sa.Boolean)
    terms: Mapped[dict[str, Any]] = mapped_column(JSONType)

    provider: Mapped[Provider] = relationship()
    plan: Mapped[Plan] = relationship()

    __table_args__ = (sa.Index("ix_contracts_npi_plan", "npi", "plan_id", "effective_date"),)


class Case(Base):
    """A utilization-management request. due_at is the deadline engine's answer, stored so that
    'due before' is an indexed query (written when the case is stored: tools.seed)."""

    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    member_id: Mapped[str] = mapped_column(sa.ForeignKey("members.member_id"), index=True)
    plan_id: Mapped[str] = mapped_column(sa.ForeignKey("plans.plan_id"))
    requesting_npi: Mapped[str] = mapped_column(sa.ForeignKey("providers.npi"))
    service_codes: Mapped[list[str]] = mapped_column(JSONType)
    diagnosis_codes: Mapped[list[str]] = mapped_column(JSONType)
    service_description: Mapped[str] = mapped_column(sa.String(200))
    request_type: Mapped[RequestType] = mapped_column(EnumText(RequestType))
    urgency: Mapped[Urgency] = mapped_column(EnumText(Urgency))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[CaseStatus] = mapped_column(EnumText(CaseStatus), index=True)
    assigned_reviewer: Mapped[str | None] = mapped_column(sa.ForeignKey("users.user_id"))
    clinical_notes: Mapped[str | None] = mapped_column(sa.Text)
    extension_taken: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(sa.ForeignKey("users.user_id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # History the reports read (migration 0007); urgency says whether it was expedited.
    determination: Mapped[Determination | None] = mapped_column(EnumText(Determination))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    extension_by: Mapped[ExtensionBy | None] = mapped_column(EnumText(ExtensionBy))
    appeal_filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    appeal_resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    appeal_outcome: Mapped[AppealOutcome | None] = mapped_column(EnumText(AppealOutcome))
    criteria_cited: Mapped[str | None] = mapped_column(sa.String(64))

    member: Mapped[Member] = relationship()
    plan: Mapped[Plan] = relationship()
    requesting_provider: Mapped[Provider] = relationship()

    __table_args__ = (
        # Status last: a reviewer's worklist is read in due order and counted from the index.
        sa.Index("ix_cases_assigned_reviewer", "assigned_reviewer", "due_at", "status"),
        sa.Index("ix_cases_status_due_at", "status", "due_at"),
        sa.Index("ix_cases_due_at", "due_at"),
        sa.Index("ix_cases_received_at", "received_at"),
        sa.Index("ix_cases_decided_at", "decided_at"),
        # Open cases by due time: the "what is due soon" worklist reads only open cases.
        # tools.cases.OPEN_ONLY must match this text for SQLite to use the index.
        sa.Index(
            "ix_cases_open_due",
            "due_at",
            sqlite_where=sa.text(OPEN_ONLY_SQL),
            postgresql_where=sa.text(OPEN_ONLY_SQL),
        ),
    )


class AuditRecord(Base):
    """One disclosure of member or case data. Append-only (triggers refuse UPDATE and DELETE)
    and hash-chained: `hash` is sha256 over the canonical JSON of the other columns, which
    include the previous record's hash."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[str] = mapped_column(sa.String(40))
    role: Mapped[str] = mapped_column(sa.String(32))
    tool: Mapped[str] = mapped_column(sa.String(40))
    member_id: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    case_id: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    fields: Mapped[list[str]] = mapped_column(JSONType)
    channel: Mapped[str] = mapped_column(sa.String(32))
    purpose: Mapped[str] = mapped_column(sa.String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType)
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    __table_args__ = (sa.Index("ix_audit_log_recorded_at", "recorded_at"),)


class AuditHead(Base):
    """The single row naming the chain's last record, updated in the append's transaction, so a
    deleted tail is detected too."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    hash: Mapped[str] = mapped_column(sa.String(64))


# What each kind of draft shows, in the access table's field names (minimum necessary).
LETTER_FIELDS = frozenset(
    {
        "case_id",
        "member_id",
        "member_name",
        "plan_id",
        "line_of_business",
        "request_type",
        "service_codes",
        "service_description",
        "requesting_provider_name",
        "assigned_reviewer",
    }
)
CASE_NOTE_FIELDS = frozenset(
    {
        "case_id",
        "member_id",
        "plan_id",
        "line_of_business",
        "request_type",
        "urgency",
        "received_at",
        "due_at",
        "service_codes",
        "service_description",
        "diagnosis_codes",
        "clinical_notes",
    }
)


class DraftKind(StrEnum):
    case_note = "case_note"
    denial_letter = "denial_letter"

    @property
    def case_fields(self) -> frozenset[str]:
        return CASE_NOTE_FIELDS if self is DraftKind.case_note else LETTER_FIELDS


class DraftStatus(StrEnum):
    draft = "draft"
    signed = "signed"


class Draft(Base):
    """One version of a case note or denial letter (migration 0003_drafts); the drafting
    tools (tools.drafts, tools.draft_kinds, tools.signoff) enforce its rules."""

    __tablename__ = "drafts"

    draft_id: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    kind: Mapped[DraftKind] = mapped_column(EnumText(DraftKind))
    case_id: Mapped[str] = mapped_column(sa.String(8), index=True)
    member_id: Mapped[str] = mapped_column(sa.String(8), index=True)
    lob: Mapped[LineOfBusiness] = mapped_column(EnumText(LineOfBusiness))
    program: Mapped[str] = mapped_column(sa.String(32))
    version: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[DraftStatus] = mapped_column(EnumText(DraftStatus), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONType)
    completeness: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signed_by: Mapped[str | None] = mapped_column(sa.String(40))
    signer_name: Mapped[str | None] = mapped_column(sa.String(120))
    credentials: Mapped[str | None] = mapped_column(sa.String(60))
    attestation: Mapped[str | None] = mapped_column(sa.Text)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supersedes: Mapped[str | None] = mapped_column(
        sa.ForeignKey("drafts.draft_id", name="fk_drafts_supersedes"), unique=True
    )

    def text(self, zone: tzinfo = UTC) -> str:
        """The draft as it reads now: with the DRAFT banner, or the signature line (its time in
        `zone`, the plan's time zone) once signed."""
        if self.status is not DraftStatus.signed or self.signed_at is None:
            return self.body
        # Imported here: the letter renderer (jinja, templates) is no dependency of the schema.
        from tools.letters import signed_text

        when = self.signed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        return signed_text(
            self.body,
            f"SIGNED by {self.signer_name}, {self.credentials} ({self.signed_by}) on {when}. "
            "Clinician attestation on file. careassist does not send letters.",
        )
