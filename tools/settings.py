"""Tools settings, read once at the entry point (CAREASSIST_ prefix) and passed down."""

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///.careassist/careassist.db"


class ToolsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREASSIST_", env_file=".env", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the plan-data store: sqlite:///path (the directory is "
        "created on first use) or postgresql+psycopg://user@host/db",
    )
    plan_data: Literal["sql"] = Field(
        "sql",
        description="Where member, case, provider and staff data come from: sql (the careassist "
        "database; tools/plandata/sql.py). The audit trail is always in the careassist database",
    )
    plan_timezone: str = Field(
        "America/New_York",
        description="IANA time zone in which the plan counts calendar days for decision deadlines",
    )
    sqlite_busy_timeout_ms: int = Field(
        10_000, ge=0, description="How long a SQLite writer waits for the write lock"
    )
    sqlite_synchronous: str = Field(
        "FULL",
        description="SQLite PRAGMA synchronous. FULL makes every committed audit record "
        "survive a power cut; NORMAL is faster but may lose the last commits",
    )
    db_pool_size: int = Field(5, ge=1, description="PostgreSQL connection pool size per process")
    audit_key: SecretStr | None = Field(
        None,
        min_length=16,
        description="Secret that signs audit checkpoints (HMAC-SHA256); keep it out of the "
        "database. Unset (and no key file) = the audit chain is not anchored",
    )
    audit_key_file: Path | None = Field(
        None, description="File holding the audit checkpoint key, instead of CAREASSIST_AUDIT_KEY"
    )
    audit_checkpoint_file: Path = Field(
        Path(".careassist/audit-checkpoints.jsonl"),
        description="Signed audit checkpoints are appended here after every audited commit; "
        "ship it off the host",
    )
    user: str | None = Field(
        None, description="Default staff user id for the CLI when --user is not given"
    )

    @field_validator("plan_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"'{value}' is not an IANA time zone") from exc
        return value

    @field_validator("sqlite_synchronous")
    @classmethod
    def _synchronous_mode(cls, value: str) -> str:
        mode = value.upper()
        if mode not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError("sqlite_synchronous must be OFF, NORMAL, FULL or EXTRA")
        return mode

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.plan_timezone)

    def sqlite_path(self) -> Path | None:
        """The database file for a sqlite URL, or None for another backend or in-memory."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)
