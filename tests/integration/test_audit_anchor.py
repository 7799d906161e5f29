"""The audit chain anchored outside the database: HMAC-signed checkpoints in a file.

An attacker with the database alone can recompute every hash and move audit_head; these tests
do exactly that and expect `verify` against the latest checkpoint (the CLI default) to notice.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.cli import app
from tests.tools_support import (
    BACKENDS,
    NOW,
    REFERENCE,
    a_member,
    context,
)
from tools import audit
from tools.anchor import Anchor, AnchorError
from tools.audit import Disclosure
from tools.db import Database, init_db
from tools.members import lookup_member
from tools.models import AuditRecord
from tools.roles import Principal, Role, ToolName
from tools.seed import seed
from tools.settings import ToolsSettings

KEY = "an-audit-key-that-lives-outside-the-database"


def anchored_settings(url: str, folder: Path) -> ToolsSettings:
    return ToolsSettings(
        database_url=url,
        audit_key=KEY,
        audit_checkpoint_file=folder / "audit-checkpoints.jsonl",
    )


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path}/store.db"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    settings = anchored_settings(url, tmp_path)
    init_db(url, settings)
    db = Database(settings)
    seed(db, reference=REFERENCE)
    yield db
    db.dispose()


def many_reads(db: Database, count: int) -> None:
    """A few real lookups, then one audited batch of `count` disclosures."""
    member_id = a_member(db).member_id
    for _ in range(3):
        lookup_member(context(db, Role.case_manager), {"member_id": member_id})
    with db.begin() as conn:
        audit.record(
            conn,
            principal=Principal("cm.alex", Role.case_manager),
            tool=ToolName.lookup_member,
            channel="python",
            purpose="bulk test",
            disclosures=[Disclosure(member_id=member_id, fields=["plan_id"])] * count,
            at=NOW,
        )


def drop_guards(db: Database) -> None:
    """What someone with DDL rights on the database does first."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(sa.text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
            conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))


def rows(db: Database) -> list[dict[str, Any]]:
    with db.read_only() as session:
        query = sa.select(AuditRecord.__table__).order_by(AuditRecord.seq)
        return [dict(r) for r in session.execute(query).mappings()]


def verify_latest(db: Database) -> audit.VerifyReport:
    with db.read_only() as session:
        return audit.verify_latest(session, db.anchor)


def test_every_audited_commit_leaves_a_signed_checkpoint_of_the_head(store: Database) -> None:
    many_reads(store, 5)
    last = rows(store)[-1]
    checkpoint = store.anchor.latest()
    assert checkpoint is not None
    assert (checkpoint.seq, checkpoint.hash) == (last["seq"], last["hash"])
    report = verify_latest(store)
    assert report.ok and report.checkpoint_seq == last["seq"]


def test_a_rolled_back_read_writes_no_checkpoint(store: Database) -> None:
    many_reads(store, 2)
    before = store.anchor.path.read_text()
    with pytest.raises(RuntimeError), store.begin() as conn:
        audit.record(
            conn,
            principal=Principal("cm.alex", Role.case_manager),
            tool=ToolName.lookup_member,
            channel="python",
            purpose="rolled back",
            disclosures=[Disclosure(member_id="M1000001")],
            at=NOW,
        )
        raise RuntimeError("crash before commit")
    assert store.anchor.path.read_text() == before
    assert verify_latest(store).ok


@pytest.mark.parametrize("removed", [1, 100])
def test_truncating_the_last_records_and_moving_the_head_back_is_detected(
    store: Database, removed: int
) -> None:
    many_reads(store, 120)
    chain = rows(store)
    keep = chain[-removed - 1]
    drop_guards(store)
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq > :s"), {"s": keep["seq"]})
        conn.execute(
            sa.text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
            {"s": keep["seq"], "h": keep["hash"]},
        )
    with store.read_only() as session:
        assert audit.verify(session).ok  # the chain alone cannot tell
    report = verify_latest(store)
    assert not report.ok and report.problem is audit.Problem.anchor
    assert report.first_bad_seq == chain[-1]["seq"]


def test_rewriting_a_record_and_recomputing_every_later_hash_is_detected(
    store: Database,
) -> None:
    many_reads(store, 20)
    chain = rows(store)
    drop_guards(store)
    prev = chain[0]["prev_hash"]
    forged = []
    for row in chain:
        row = dict(row, prev_hash=prev)
        if row["seq"] == 2:
            row["purpose"] = "covering my tracks"
        row["hash"] = prev = audit.record_hash(row)
        forged.append(row)
    with store.engine.begin() as conn:
        for row in forged:
            conn.execute(
                sa.text(
                    "UPDATE audit_log SET purpose = :p, prev_hash = :ph, hash = :h WHERE seq = :s"
                ),
                {"p": row["purpose"], "ph": row["prev_hash"], "h": row["hash"], "s": row["seq"]},
            )
        conn.execute(
            sa.text("UPDATE audit_head SET hash = :h WHERE id = 1"), {"h": forged[-1]["hash"]}
        )
    with store.read_only() as session:
        assert audit.verify(session).ok  # internally consistent again
    report = verify_latest(store)
    assert not report.ok and report.problem is audit.Problem.anchor


def test_a_checkpoint_written_without_the_key_is_refused(store: Database) -> None:
    many_reads(store, 3)
    line = json.loads(store.anchor.path.read_text().splitlines()[-1])
    line.update(seq=1, hash=rows(store)[0]["hash"], mac="0" * 64)
    with store.anchor.path.open("a") as fh:
        fh.write(json.dumps(line) + "\n")
    with pytest.raises(AnchorError, match="signature"):
        store.anchor.latest()
    report = verify_latest(store)
    assert not report.ok and report.problem is audit.Problem.anchor


def test_a_torn_last_line_from_a_crash_is_ignored(store: Database) -> None:
    many_reads(store, 3)
    with store.anchor.path.open("a") as fh:
        fh.write('{"seq": 99, "hash": "ab')
    assert verify_latest(store).ok


def test_the_key_can_come_from_a_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY + "\n")
    settings = ToolsSettings(
        database_url="sqlite://",
        audit_key_file=key_file,
        audit_checkpoint_file=tmp_path / "cp.jsonl",
    )
    from_file = Anchor.from_settings(settings)
    from_secret = Anchor.from_settings(anchored_settings("sqlite://", tmp_path))
    assert from_file is not None and from_secret is not None
    assert from_file.sign(3, "ab" * 32, "2026-11-24T15:00:00Z") == from_secret.sign(
        3, "ab" * 32, "2026-11-24T15:00:00Z"
    )
    assert Anchor.from_settings(ToolsSettings(database_url="sqlite://")) is None


def test_cli_verify_checks_the_latest_checkpoint_by_default(tmp_path: Path) -> None:
    env = {
        "CAREASSIST_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "CAREASSIST_USER": "",
        "CAREASSIST_AUDIT_KEY": KEY,
        "CAREASSIST_AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
    }
    runner = CliRunner()
    assert (
        runner.invoke(app, ["seed", "--reference", REFERENCE.isoformat()], env=env).exit_code == 0
    )
    for member_id in ("M1000001", "M1000002", "M1000003"):
        assert (
            runner.invoke(app, ["member", member_id, "--user", "cm.alex"], env=env).exit_code == 0
        )
    ok = runner.invoke(app, ["audit", "verify", "--user", "co.dana"], env=env)
    assert ok.exit_code == 0, ok.output
    assert "checkpoint" in ok.output
    db = Database(ToolsSettings(database_url=env["CAREASSIST_DATABASE_URL"]))
    keep = rows(db)[-2]
    drop_guards(db)
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq > :s"), {"s": keep["seq"]})
        conn.execute(
            sa.text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
            {"s": keep["seq"], "h": keep["hash"]},
        )
    db.dispose()
    broken = runner.invoke(app, ["audit", "verify", "--user", "co.dana"], env=env)
    assert broken.exit_code == 1, broken.output
    assert "BROKEN" in broken.output and "checkpoint" in broken.output
