"""The append-only, hash-chained audit trail of every disclosure of member or case data.

Each record stores the previous record's hash and its own sha256 over a canonical JSON of its
fields; a single head row names the last record. Editing, deleting or reordering any record, or
deleting records from the end, breaks `verify`. Appends are serialised (PostgreSQL: a
transaction-scoped advisory lock; SQLite: the write lock BEGIN IMMEDIATE took) so concurrent
writers cannot fork the chain, and the schema backs that up with unique seq and prev_hash.

Tools call `record` inside the transaction that read the data: if the audit write or the commit
fails, the caller gets an error instead of the data.
"""

import csv
import hashlib
import json
import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, TextIO

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from tools.anchor import HEAD_KEY, Anchor, AnchorError
from tools.catalogue import tool
from tools.context import ToolContext
from tools.db import lock_key
from tools.ids import ordered
from tools.models import AuditHead, AuditRecord, table_of
from tools.roles import Principal, Role, ToolName

log = logging.getLogger(__name__)

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "recorded_at",
    "user_id",
    "role",
    "tool",
    "member_id",
    "case_id",
    "fields",
    "channel",
    "purpose",
    "detail",
    "prev_hash",
)
EXPORT_COLUMNS = (*HASHED_FIELDS, "hash")


@dataclass(frozen=True)
class Disclosure:
    """One member's or case's data handed to a caller; `detail` holds ids and counts only."""

    member_id: str | None = None
    case_id: str | None = None
    fields: Collection[str] = ()  # stored sorted
    detail: Mapping[str, Any] = field(default_factory=dict)


def timestamp_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: Mapping[str, Any]) -> bytes:
    doc = {name: values[name] for name in HASHED_FIELDS}
    doc["recorded_at"] = timestamp_text(values["recorded_at"])
    doc["fields"] = list(values["fields"])
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def lock_chain(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(LOCK)
    # SQLite: Database.transaction() began with BEGIN IMMEDIATE, so this transaction already
    # holds the database's only write lock.


LOCK = sa.text(f"SELECT pg_advisory_xact_lock({lock_key('audit')})")
HEAD = sa.select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
INSERT = sa.insert(table_of(AuditRecord))
MOVE_HEAD = (
    sa.update(table_of(AuditHead))
    .where(table_of(AuditHead).c.id == 1)
    .values(seq=sa.bindparam("new_seq"), hash=sa.bindparam("new_hash"))
)


def record(
    session: Session | sa.Connection,
    *,
    principal: Principal,
    tool: ToolName,
    channel: str,
    purpose: str,
    disclosures: Sequence[Disclosure],
    at: datetime,
) -> list[int]:
    """Append one record per disclosure to the chain, in the caller's transaction.

    Statements are built once at import: building them per call cost more than running them.
    """
    if not disclosures:
        raise ValueError("record() needs at least one disclosure")
    # Core on the session's connection: same transaction, none of the ORM's bookkeeping.
    conn = session if isinstance(session, sa.Connection) else session.connection()
    lock_chain(conn)
    seq, prev = conn.execute(HEAD).one()
    rows: list[dict[str, Any]] = []
    for d in disclosures:
        seq += 1
        values: dict[str, Any] = {
            "seq": seq,
            "recorded_at": at,
            "user_id": principal.user_id,
            "role": Role(principal.role).value,
            "tool": tool.value,
            "member_id": d.member_id,
            "case_id": d.case_id,
            "fields": sorted(d.fields),
            "channel": channel,
            "purpose": purpose,
            "detail": dict(d.detail),
            "prev_hash": prev,
        }
        values["hash"] = prev = record_hash(values)
        rows.append(values)
    conn.execute(INSERT, rows)
    conn.execute(MOVE_HEAD, {"new_seq": seq, "new_hash": prev})
    # Database signs this head into the checkpoint file once the transaction has committed.
    (session.info if isinstance(session, Session) else conn.info)[HEAD_KEY] = (seq, prev)
    log.info(
        "audit: %s by %s appended %d record(s) up to %d",
        tool.value,
        principal.user_id,
        len(rows),
        seq,
    )
    return [r["seq"] for r in rows]


def record_call(
    conn: sa.Connection,
    ctx: ToolContext,
    tool: ToolName,
    disclosures: Sequence[Disclosure],
    *,
    at: datetime | None = None,
) -> list[int]:
    """record() for one tool call: who asked, through which channel and why come from the
    call's context, and the time is the context's clock unless the tool read it already."""
    return record(
        conn,
        principal=ctx.principal,
        tool=tool,
        channel=ctx.channel,
        purpose=ctx.purpose,
        disclosures=disclosures,
        at=ctx.now() if at is None else at,
    )


class Problem(StrEnum):
    altered = "altered"
    missing = "missing"
    unlinked = "unlinked"
    truncated = "truncated"
    head = "head"
    anchor = "anchor"


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    records: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: Problem | None = None
    message: str = "the audit chain is intact"
    checkpoint_seq: int | None = None


def _rows(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    batch: int = 2000,
) -> Iterator[dict[str, Any]]:
    query = sa.select(*(getattr(AuditRecord, c) for c in EXPORT_COLUMNS)).order_by(AuditRecord.seq)
    if since is not None:
        query = query.where(AuditRecord.recorded_at >= since)
    if until is not None:
        query = query.where(AuditRecord.recorded_at < until)
    result = session.execute(query.execution_options(yield_per=batch))
    for row in result.mappings():
        yield dict(row)


def verify(session: Session, anchor: tuple[int, str] | None = None) -> VerifyReport:
    """Walk the whole chain; report the first record that does not check out."""
    head = session.get(AuditHead, 1)
    expected_seq, prev, count = 1, GENESIS, 0
    anchor_seen = anchor is None or anchor[0] == 0

    def bad(seq: int, problem: Problem, message: str) -> VerifyReport:
        return VerifyReport(
            ok=False,
            records=count,
            head_seq=head.seq if head else -1,
            head_hash=head.hash if head else "",
            first_bad_seq=seq,
            problem=problem,
            message=message,
        )

    for row in _rows(session):
        seq = row["seq"]
        if seq != expected_seq:
            return bad(
                expected_seq,
                Problem.missing,
                f"record {expected_seq} is missing (the next record is {seq}): records were "
                "deleted",
            )
        if row["prev_hash"] != prev:
            return bad(
                seq,
                Problem.unlinked,
                f"record {seq} does not link to record {seq - 1}: its prev_hash was changed or "
                "the record before it was replaced",
            )
        if record_hash(row) != row["hash"]:
            return bad(
                seq, Problem.altered, f"record {seq} was altered: it no longer matches its hash"
            )
        if anchor and seq == anchor[0]:
            if row["hash"] != anchor[1]:
                return bad(seq, Problem.anchor, f"record {seq} does not have the anchored hash")
            anchor_seen = True
        prev, expected_seq, count = row["hash"], seq + 1, count + 1
    last_seq = expected_seq - 1
    if head is None:
        return bad(last_seq + 1, Problem.head, "the audit head row is missing")
    if head.seq > last_seq:
        return bad(
            last_seq + 1,
            Problem.truncated,
            f"the chain ends at record {last_seq} but the head names record {head.seq}: "
            "records at the end were deleted",
        )
    if (head.seq, head.hash) != (last_seq, prev):
        return bad(
            head.seq + 1 if head.seq < last_seq else last_seq,
            Problem.head,
            f"the head names record {head.seq} with another hash than the chain's last record "
            f"{last_seq}",
        )
    if not anchor_seen:
        return bad(
            anchor[0] if anchor else 0,
            Problem.anchor,
            f"the anchored record {anchor[0] if anchor else 0} is not in the chain",
        )
    return VerifyReport(ok=True, records=count, head_seq=head.seq, head_hash=head.hash)


def verify_latest(session: Session, anchor: Anchor | None) -> VerifyReport:
    """Verify the chain and that it still holds the latest signed checkpoint's record.

    Without an anchor (no audit key configured) this is the chain check alone, which cannot see
    records deleted from the end with the head moved back, nor a rewrite with every later hash
    recomputed.
    """
    if anchor is None:
        return verify(session)
    try:
        checkpoint = anchor.latest()
    except AnchorError as exc:
        report = verify(session)
        return replace(report, ok=False, problem=Problem.anchor, message=str(exc))
    if checkpoint is None:
        return verify(session)
    report = verify(session, (checkpoint.seq, checkpoint.hash))
    if report.ok:
        return replace(report, checkpoint_seq=checkpoint.seq)
    if report.problem is Problem.anchor:
        message = (
            f"the latest signed checkpoint ({anchor.path}) names record {checkpoint.seq} "
            f"written {checkpoint.at}, and the chain "
            + (
                f"ends at record {report.head_seq}: records at the end were deleted"
                if report.head_seq < checkpoint.seq
                else "holds another record there: records were rewritten"
            )
        )
        return replace(
            report, first_bad_seq=checkpoint.seq, message=message, checkpoint_seq=checkpoint.seq
        )
    return replace(report, checkpoint_seq=checkpoint.seq)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def _export_value(name: str, value: Any) -> Any:
    if name == "recorded_at":
        return timestamp_text(value)
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join(value)
    elif isinstance(value, dict):
        value = json.dumps(value, sort_keys=True)
    text = str(value)
    # Spreadsheet formula injection: a purpose typed by a user must stay text when opened.
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def export(
    session: Session,
    out: TextIO,
    fmt: ExportFormat,
    since: datetime,
    until: datetime | None = None,
) -> int:
    """Write records with since <= recorded_at < until; returns how many were written."""
    count = 0
    writer = None
    if fmt is ExportFormat.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
    for row in _rows(session, since, until):
        values = {k: _export_value(k, row[k]) for k in EXPORT_COLUMNS}
        if writer is not None:
            writer.writerow([_csv_cell(values[k]) for k in EXPORT_COLUMNS])
        else:
            out.write(json.dumps(values, sort_keys=False, ensure_ascii=False) + "\n")
        count += 1
    log.info("audit export: %d record(s) as %s", count, fmt.value)
    return count


# ----- the audit tools: the faces call these, and never check the role themselves ---------


class AuditVerifyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    anchor_seq: int | None = Field(
        None, ge=0, description="A record number printed by an earlier verify, to check too"
    )
    anchor_hash: str | None = Field(
        None, pattern=r"^[0-9a-f]{64}$", description="That record's hash (64 hex digits)"
    )

    @model_validator(mode="after")
    def _both_or_neither(self) -> "AuditVerifyInput":
        if (self.anchor_seq is None) != (self.anchor_hash is None):
            raise ValueError("an anchor is a record number and its hash together")
        return self


class AuditVerifyResult(BaseModel):
    ok: bool
    records: int
    head_seq: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: Problem | None = None
    message: str
    checkpoint_seq: int | None = None
    anchored: bool = Field(description="Whether an audit key signs checkpoints")


@tool(ToolName.audit_verify, AuditVerifyInput, AuditVerifyResult, discloses=False, agent=False)
def audit_verify(ctx: ToolContext, req: AuditVerifyInput) -> AuditVerifyResult:
    """Check the audit chain end to end and against its latest signed checkpoint (and an anchor
    from an earlier run, if given); reports the first record that does not check out."""
    signed = Anchor.from_settings(ctx.settings)
    with ctx.db.read_only() as session:
        report = verify_latest(session, signed)
        if report.ok and req.anchor_seq is not None and req.anchor_hash is not None:
            report = verify(session, (req.anchor_seq, req.anchor_hash))
    return AuditVerifyResult(**asdict(report), anchored=signed is not None)


class AuditExportInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: date = Field(description="From this date (plan time zone)")
    until: date | None = Field(None, description="Up to and including this date")
    format: ExportFormat = Field(ExportFormat.jsonl, description="jsonl or csv")


class AuditExportResult(BaseModel):
    records: int


@tool(ToolName.audit_export, AuditExportInput, AuditExportResult, discloses=True, agent=False)
def audit_export(ctx: ToolContext, req: AuditExportInput, *, out: TextIO) -> AuditExportResult:
    """Write the audit records of a period (ids, fields, who, why, when; no PHI beyond ids) to
    `out` as JSONL or CSV."""
    ordered(req.since, req.until, "export period")
    zone = ctx.zone
    since_at = datetime.combine(req.since, time(0), zone)
    until_at = datetime.combine(req.until + timedelta(days=1), time(0), zone) if req.until else None
    with ctx.db.read_only() as session:
        count = export(session, out, req.format, since_at, until_at)
    return AuditExportResult(records=count)
