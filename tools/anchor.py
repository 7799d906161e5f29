"""Signed checkpoints of the audit chain, kept outside the database.

The hash chain alone proves only that the records agree with each other: whoever can write the
database can rewrite a record and recompute every later hash, or delete the last records and
move audit_head back. A checkpoint is (seq, hash of that record, time) signed with HMAC-SHA256
under a key that is not in the database (CAREASSIST_AUDIT_KEY or CAREASSIST_AUDIT_KEY_FILE),
appended to a file an operator can ship off the host (as CloudTrail writes signed digest files).
`verify` then checks that the chain still holds the latest checkpoint's record unchanged.
"""

import hashlib
import hmac
import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tools.errors import ServiceUnavailable
from tools.settings import ToolsSettings

log = logging.getLogger(__name__)

# Where audit.record leaves the new head for Database to checkpoint once the commit succeeded.
HEAD_KEY = "careassist.audit_head"


class AnchorError(Exception):
    """The checkpoint file holds a line that the audit key did not sign."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    mac: str


def load_key(settings: ToolsSettings) -> bytes | None:
    if settings.audit_key is not None:
        return settings.audit_key.get_secret_value().encode()
    if settings.audit_key_file is not None:
        try:
            key = settings.audit_key_file.expanduser().read_bytes().strip()
        except OSError as exc:
            raise ServiceUnavailable(
                f"cannot read the audit key file {settings.audit_key_file}: {exc.strerror}"
            ) from exc
        if len(key) < 16:
            raise ServiceUnavailable(f"the audit key in {settings.audit_key_file} is too short")
        return key
    return None


class Anchor:
    """Writes and reads the signed checkpoints of one checkpoint file."""

    def __init__(self, key: bytes, path: Path) -> None:
        self._key = key
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: ToolsSettings) -> "Anchor | None":
        """None when no audit key is configured: the chain is then unanchored."""
        key = load_key(settings)
        return cls(key, Path(settings.audit_checkpoint_file)) if key else None

    def sign(self, seq: int, digest: str, at: str) -> str:
        message = f"careassist-audit-checkpoint:{seq}:{digest}:{at}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def write(self, seq: int, digest: str) -> Checkpoint:
        """Append a checkpoint and fsync it; one short write, so concurrent appenders (O_APPEND)
        never interleave within a line."""
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        checkpoint = Checkpoint(seq, digest, at, self.sign(seq, digest, at))
        line = json.dumps(checkpoint.__dict__, separators=(",", ":")) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, line.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        return checkpoint

    def latest(self) -> Checkpoint | None:
        """The checkpoint with the highest seq; AnchorError if any complete line is forged."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines(keepends=True)
        except FileNotFoundError:
            return None
        best: Checkpoint | None = None
        for number, line in enumerate(lines, 1):
            if not line.endswith("\n"):
                # A write cut short by a crash: never signed as a whole, so not a checkpoint.
                log.warning("ignoring a torn last line in %s", self.path)
                continue
            try:
                doc = json.loads(line)
                checkpoint = Checkpoint(int(doc["seq"]), str(doc["hash"]), doc["at"], doc["mac"])
            except (ValueError, KeyError, TypeError) as exc:
                raise AnchorError(f"line {number} of {self.path} is not a checkpoint") from exc
            expected = self.sign(checkpoint.seq, checkpoint.hash, checkpoint.at)
            if not hmac.compare_digest(expected, checkpoint.mac):
                raise AnchorError(
                    f"line {number} of {self.path} does not carry a valid signature: it was "
                    "written or changed without the audit key"
                )
            if best is None or checkpoint.seq > best.seq:
                best = checkpoint
        return best
