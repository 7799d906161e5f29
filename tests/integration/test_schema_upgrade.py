"""Bot migrates its own tables (bot/migrations, version table bot_alembic_version) after tools'
plan-data schema; databases made when tools' migrations created those tables still upgrade."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from bot.faces import links
from bot.faces.tokens import TokenStore
from bot.schema import VERSION_TABLE, alembic_config, migrate
from bot.service_models import ServiceBase
from tests.tools_support import BACKENDS, schema_revision
from tools.db import Database, upgrade
from tools.roles import Role
from tools.settings import ToolsSettings
from tools.users import add_user

BOT_TABLES = set(ServiceBase.metadata.tables)
# The tables tools' migration 0002 created; 0004, 0005 and 0006 added the rest.
FIRST_BOT_TABLES = {"api_tokens", "slack_users", "feedback", "slack_events", "rate_limits"}


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path}/schema.db"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    database = Database(ToolsSettings(database_url=url))
    yield database
    database.dispose()


def tables(db: Database) -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def bot_revision(engine: sa.Engine) -> str | None:
    return schema_revision(engine, VERSION_TABLE)


def bot_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def as_earlier_migrations_left_it(db: Database, tools_revision: str, bot_tables: set[str]) -> None:
    """A database as tools' migrations up to `tools_revision` made it, when they still created
    bot's tables: the same DDL (bot's first revision is theirs, moved), no bot version table."""
    upgrade(db.engine, tools_revision)
    upgrade(db.engine, config=alembic_config())
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE bot_alembic_version"))
        for name in BOT_TABLES - bot_tables:
            conn.execute(sa.text(f"DROP TABLE {name}"))
    assert bot_revision(db.engine) is None and BOT_TABLES & tables(db) == bot_tables


def test_tools_migrations_no_longer_create_bot_tables(db: Database) -> None:
    db.migrate()
    assert not BOT_TABLES & tables(db)
    migrate(db)
    assert tables(db) >= BOT_TABLES and bot_revision(db.engine) == bot_head()


def test_bot_models_match_the_migrated_schema(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    migrate(db)
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), ServiceBase.metadata)
    # Only columns and their types: the models leave the users foreign keys to the migration.
    relevant = [d for d in diffs if isinstance(d, tuple) and d[0] in {"add_table", "add_column"}]
    assert relevant == []


def test_a_database_with_every_bot_table_from_earlier_migrations_upgrades_keeping_its_rows(
    db: Database,
) -> None:
    as_earlier_migrations_left_it(db, "head", BOT_TABLES)
    add_user(db, "cm.alex", Role.case_manager, "Alex Casewell")
    add_user(db, "ur.blake", Role.um_reviewer, "Blake Reviewer")
    token = TokenStore(db, cache_s=0).issue("cm.alex", "before the move").token
    links.link(db, "ur.blake", "U024BE7LH")
    migrate(db)
    migrate(db)  # idempotent
    assert bot_revision(db.engine) == bot_head() and schema_revision(db.engine) is not None
    caller = TokenStore(db, cache_s=0).verify(token)
    assert caller is not None and caller.principal.user_id == "cm.alex"
    linked = links.principal_for(db, "U024BE7LH", None)
    assert linked is not None and linked.user_id == "ur.blake"


def test_a_database_from_before_the_later_bot_tables_gets_them(db: Database) -> None:
    as_earlier_migrations_left_it(db, "0003_drafts", FIRST_BOT_TABLES)
    migrate(db)
    assert tables(db) >= BOT_TABLES and bot_revision(db.engine) == bot_head()
    from tools.db import alembic_config as tools_config

    assert (
        schema_revision(db.engine) == ScriptDirectory.from_config(tools_config()).get_current_head()
    )
