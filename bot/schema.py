"""The database schema a face needs: tools' plan-data and audit tables, then bot's own (API
tokens, Slack links and threads, feedback, answers issued, rate limits, thread activity).

Bot's tables migrate from bot/migrations with their own version table (bot_alembic_version),
so tools' migrations never learn about Slack or the API, and either history can grow alone.
"""

from pathlib import Path

from alembic.config import Config

from tools.db import Database, upgrade
from tools.settings import ToolsSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "bot_alembic_version"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def migrate(db: Database) -> None:
    """Create or upgrade every table at the database: tools' first (bot's refer to users)."""
    db.migrate()
    upgrade(db.engine, config=alembic_config())


def init_db(url: str, settings: ToolsSettings | None = None) -> None:
    """migrate() for a database URL, without keeping its engine."""
    db = Database(settings or ToolsSettings(database_url=url))
    try:
        migrate(db)
    finally:
        db.dispose()
