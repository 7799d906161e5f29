"""Alembic environment of bot's own tables: run only by bot.schema.migrate, on the connection
tools.db.upgrade hands over. Its own version table, so tools' and bot's histories never mix."""

from alembic import context

from bot.schema import VERSION_TABLE

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run bot migrations through bot.schema.migrate(db)")

context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=True,
    version_table=VERSION_TABLE,
)
with context.begin_transaction():
    context.run_migrations()
