"""Plan data behind one port: `port.py` says what the tools need, `sql.py` answers from the
careassist database; other sources (a FHIR server: `fhir.py`) sit beside it."""

from tools.db import Database
from tools.plandata.port import DisclosingReads, PlanData, PlanReads, PlanWrites
from tools.plandata.sql import SqlPlanData

__all__ = [
    "DisclosingReads",
    "PlanData",
    "PlanReads",
    "PlanWrites",
    "SqlPlanData",
    "open_plan_data",
]


def open_plan_data(db: Database) -> PlanData:
    """The configured source (CAREASSIST_PLAN_DATA); the careassist database also keeps the
    audit trail whatever the source."""
    source = db.settings.plan_data
    if source == "sql":
        return SqlPlanData(db)
    raise ValueError(f"unknown plan-data source {source!r}")  # the setting's type prevents it
