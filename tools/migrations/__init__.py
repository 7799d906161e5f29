"""Alembic migrations for the plan-data store, run by tools.db.init_db."""
