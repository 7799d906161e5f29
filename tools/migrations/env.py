"""Alembic environment: migrations run only on a connection handed over by tools.db.upgrade."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run careassist migrations through tools.db.init_db(url)")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
