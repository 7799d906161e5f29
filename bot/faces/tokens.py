"""Bearer tokens for the HTTP API: issued once, stored as a sha256, revocable at any time.

A token reads `ca_<token id>_<secret>`. The id is public (logs, `careassist users list`); the
secret is 256 random bits, so a plain sha256 is enough to store it safely (no password
stretching is needed for a secret nobody chose). Each worker keeps verified tokens for a few
seconds to spare the database a read per request; that interval bounds how long a revocation
takes to reach every worker.
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.service_models import ApiToken
from tools.context import utc_now
from tools.db import Database, rows_changed
from tools.errors import InvalidInput, NotFound
from tools.ids import user_id as valid_user_id
from tools.plandata import open_plan_data
from tools.roles import Principal
from tools.users import principal_of

PREFIX = "ca"
CACHE_SIZE = 10_000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(token: str) -> str | None:
    """The token id of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 12 or len(parts[2]) < 32:
        return None
    return parts[1]


@dataclass(frozen=True)
class IssuedToken:
    token_id: str
    user_id: str
    token: str
    expires_at: datetime | None


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    user_id: str
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@dataclass(frozen=True)
class Caller:
    """An authenticated API caller: the staff principal and the token it used."""

    principal: Principal
    token_id: str
    expires_at: datetime | None


class TokenStore:
    def __init__(
        self,
        db: Database,
        cache_s: float = 5.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db = db
        self.cache_s = cache_s
        self.clock = clock
        self._cache: OrderedDict[str, tuple[float, Caller]] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, user_id: str, label: str = "", days: int | None = 90) -> IssuedToken:
        """Create a token for an active staff user; the secret is returned only here."""
        uid = valid_user_id(user_id)
        token_id = secrets.token_hex(6)
        token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
        now = self.clock()
        expires = now + timedelta(days=days) if days else None
        with open_plan_data(self.db).reading() as reads:
            user = reads.staff_user(uid)
        if user is None:
            raise NotFound(f"no staff user with id {uid}; add one with `careassist users add`")
        if not user.active:
            raise InvalidInput(f"staff user {uid} is deactivated")
        with self.db.transaction() as session:
            session.add(
                ApiToken(
                    token_id=token_id,
                    user_id=uid,
                    token_hash=token_hash(token),
                    label=label[:80],
                    created_at=now,
                    expires_at=expires,
                    revoked_at=None,
                )
            )
        return IssuedToken(token_id=token_id, user_id=uid, token=token, expires_at=expires)

    def verify(self, token: str) -> Caller | None:
        """The caller a token stands for, or None when it is unknown, revoked or expired."""
        token_id = split_token(token)
        if token_id is None:
            return None
        digest = token_hash(token)
        now = self.clock()
        cached = self._cached(digest)
        if cached is not None:
            if cached.expires_at is None or cached.expires_at > now:
                return cached
            return None
        with self.db.read_only() as session:
            stored = session.get(ApiToken, token_id)
        if stored is None or not hmac.compare_digest(stored.token_hash, digest):
            return None
        if stored.revoked_at is not None:
            return None
        if stored.expires_at is not None and stored.expires_at <= now:
            return None
        with open_plan_data(self.db).reading() as reads:
            user = reads.staff_user(stored.user_id)
        if user is None or not user.active:
            return None
        caller = Caller(
            principal=principal_of(user),
            token_id=token_id,
            expires_at=stored.expires_at,
        )
        self._remember(digest, caller)
        return caller

    def revoke(self, user_id: str, token_id: str | None = None) -> int:
        """Revoke one token of a user, or all of them; returns how many were active."""
        uid = valid_user_id(user_id)
        now = self.clock()
        with self.db.transaction() as session:
            query = sa.update(ApiToken).where(
                ApiToken.user_id == uid, ApiToken.revoked_at.is_(None)
            )
            if token_id is not None:
                query = query.where(ApiToken.token_id == token_id)
            count = rows_changed(session.execute(query.values(revoked_at=now)))
        with self._lock:
            self._cache.clear()
        if token_id is not None and count == 0:
            raise NotFound(f"no active token {token_id} for staff user {uid}")
        return count

    def list(self, user_id: str | None = None) -> list[TokenInfo]:
        with self.db.read_only() as session:
            query = sa.select(ApiToken).order_by(ApiToken.user_id, ApiToken.created_at)
            if user_id is not None:
                query = query.where(ApiToken.user_id == valid_user_id(user_id))
            rows = session.scalars(query).all()
        return [
            TokenInfo(
                token_id=r.token_id,
                user_id=r.user_id,
                label=r.label,
                created_at=r.created_at,
                expires_at=r.expires_at,
                revoked_at=r.revoked_at,
            )
            for r in rows
        ]

    def _cached(self, digest: str) -> Caller | None:
        if self.cache_s <= 0:
            return None
        with self._lock:
            entry = self._cache.get(digest)
            if entry is None:
                return None
            stamp, caller = entry
            if time.monotonic() - stamp > self.cache_s:
                del self._cache[digest]
                return None
            return caller

    def _remember(self, digest: str, caller: Caller) -> None:
        if self.cache_s <= 0:
            return
        with self._lock:
            self._cache[digest] = (time.monotonic(), caller)
            self._cache.move_to_end(digest)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
