"""Engine and sessions for the plan-data store; schema migrations run by `init_db`.

SQLite (the default) runs in WAL mode with foreign keys on, and every write transaction starts
with BEGIN IMMEDIATE: it takes the write lock up front, so concurrent writers queue on the busy
timeout instead of failing mid-transaction, and audit appends are serialised. PostgreSQL is used
when the URL says so; audit appends there serialise on an advisory lock (tools.audit).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import URL, CursorResult, Engine, Result, make_url
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from tools.anchor import HEAD_KEY, Anchor
from tools.errors import InvalidInput, ServiceUnavailable, StoreNotInitialised
from tools.settings import ToolsSettings

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
READ_ONLY = "careassist_read_only"


def normalise_url(url: str) -> URL:
    """Parse a database URL; plain postgresql:// means the psycopg 3 driver we ship."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as exc:
        raise InvalidInput(f"'{url}' is not a database URL") from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in {"sqlite", "postgresql"}:
        raise InvalidInput(f"unsupported database '{backend}': use sqlite or postgresql")
    return parsed


def safe_url(url: str | URL) -> str:
    """The URL without its password, fit for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, settings: ToolsSettings | None = None) -> Engine:
    settings = settings or ToolsSettings(database_url=url)
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, settings)
    return sa.create_engine(
        parsed,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
    )


def _sqlite_engine(url: URL, settings: ToolsSettings) -> Engine:
    database = url.database or ""
    memory = database in ("", ":memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {
            "check_same_thread": False,
            "timeout": settings.sqlite_busy_timeout_ms / 1000,
        }
    }
    if memory:
        kwargs["poolclass"] = StaticPool
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE below is what runs.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA synchronous={settings.sqlite_synchronous}")
        cur.execute(f"PRAGMA busy_timeout={int(settings.sqlite_busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        deferred = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    return engine


def lock_key(name: str) -> str:
    """SQL for a PostgreSQL advisory lock key private to this schema.

    Per schema, so two careassist deployments (or test schemas) in one database do not queue on
    each other's locks.
    """
    return f"hashtext('careassist.{name}:' || current_schema())"


class Database:
    """One engine and session factory per process, shared by every tool call."""

    def __init__(self, settings: ToolsSettings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url, settings)
        self.url = safe_url(self.engine.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        self.anchor = Anchor.from_settings(settings)

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls(ToolsSettings(database_url=url))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A read-write transaction: committed on success, rolled back on any error."""
        with _unavailable_as_error(self.url):
            with self._sessions.begin() as session:
                try:
                    yield session
                finally:
                    head = session.info.pop(HEAD_KEY, None)
            self._checkpoint(head)

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        """A read-write transaction on a bare connection, for hot paths that use Core statements
        (a member lookup with its audit append); same locking and commit rules as
        transaction()."""
        with _unavailable_as_error(self.url):
            with self.engine.begin() as conn:
                conn.info.pop(HEAD_KEY, None)  # never a head left by another use of the pool
                try:
                    yield conn
                finally:
                    head = conn.info.pop(HEAD_KEY, None)
            self._checkpoint(head)

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A transaction that only reads (audit verify and export); it takes no write lock.

        Every statement in it sees one snapshot (SQLite's deferred read transaction in WAL
        mode; REPEATABLE READ on PostgreSQL), so a chain walked while writers append is
        consistent with the head row read at its start.
        """
        with _unavailable_as_error(self.url), self._read_sessions.begin() as session:
            if self.dialect == "postgresql":
                session.execute(
                    sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                )
            yield session

    def _checkpoint(self, head: tuple[int, str] | None) -> None:
        """After a commit that appended audit records: sign the new head outside the database.

        Only once the commit succeeded, so a checkpoint never names a record that was rolled
        back. A failed write loses no data (the records are committed); it is logged.
        """
        if head is None or self.anchor is None:
            return
        try:
            self.anchor.write(*head)
        except OSError as exc:
            log.error("could not write the audit checkpoint for record %d: %s", head[0], exc)

    def migrate(self) -> None:
        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _unavailable_as_error(url: str) -> Iterator[None]:
    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        text = (str(exc.orig) if exc.orig else str(exc)).splitlines()[0]
        missing_table = "no such table" in text or ("relation" in text and "does not exist" in text)
        if missing_table:
            raise StoreNotInitialised(
                f"the database at {url} has no careassist schema; run `careassist seed`"
            ) from exc
        if isinstance(exc, ProgrammingError):
            raise
        log.warning("database error on %s: %s", url, type(exc.orig).__name__)
        raise ServiceUnavailable(f"the database at {url} is not available: {text}") from exc


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head", config: Config | None = None) -> None:
    """Bring the schema to `revision` in one transaction, one migrator at a time.

    `config` names another script directory (bot's own tables migrate this way, after these).
    """
    config = config or alembic_config()
    with _unavailable_as_error(safe_url(engine.url)), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several API workers may start together; only one migrates, the rest wait.
            conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({lock_key('migrate')})"))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def init_db(url: str, settings: ToolsSettings | None = None) -> None:
    """Create or upgrade the careassist schema at `url` (SQLite or PostgreSQL)."""
    settings = settings or ToolsSettings(database_url=url)
    engine = make_engine(url, settings)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    log.info("schema at %s is current", safe_url(url))


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched: Session.execute is typed as returning a plain
    Result, but for those statements it returns a CursorResult, which counts them."""
    return cast(CursorResult[Any], result).rowcount
