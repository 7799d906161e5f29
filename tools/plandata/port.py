"""The plan-data port: what the tools need to know about members, eligibility, cases, plans,
providers, contracts and staff, whatever system holds them.

Implementations sit beside this module, one per source: `sql.py` (SQLAlchemy 2 on SQLite or
PostgreSQL, the default) today; a FHIR member adapter would be `fhir.py` (Patient, Coverage,
Claim/ServiceRequest resources in, the records of `records.py` out), a payer-system adapter its
own module. `tools.plandata.open_plan_data` picks one from `CAREASSIST_PLAN_DATA`.
tests/integration/test_store_contract.py is the contract each one passes.

The tools stay in charge of policy: role checks, minimum-necessary fields and the audit record
are theirs; the port only reads and writes plan data.

Audit atomicity. Every disclosure of member or case data is recorded in the audit trail (the
hash-chained `audit_log` in the careassist database) before the data leaves the tool, and a
failed audit write returns no data. A tool reads member or case data only inside
`disclosing()`, writes the audit record on `reads.audit` inside the same block, and returns
after the block has closed:

- SQL source (today): `disclosing()` is one database transaction. The reads and the audit
  append share it, so they commit together or not at all; a crash between them leaves neither.
- Any other source (FHIR, a payer API): the reads go to that system, which cannot join the
  careassist database's transaction. `reads.audit` is then a transaction of its own on the
  careassist database, committed when the block closes; the tool returns the data only after
  that commit. So the audit is written first, in its own transaction, and the data is returned
  second: a failed audit (or a crash before the commit) discloses nothing. The one difference
  from SQL is the other direction: the source was read although nothing was returned, which
  discloses nothing to anyone, and the source's own access log shows the read.
  A read that finds nothing (an unknown member) raises before any audit is written, as today.
"""

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Protocol

import sqlalchemy as sa

from tools.plandata.records import (
    CaseDetail,
    CaseFilters,
    CaseRow,
    ContractRow,
    CoverageSpan,
    MemberName,
    MemberRow,
    NetworkSpanRow,
    OpenCaseRow,
    PlanRow,
    ProviderRow,
    StaffRow,
)


class PlanReads(Protocol):
    """Reads inside one unit of work: one consistent view of the source."""

    # Members and eligibility
    def member(self, member_id: str) -> MemberRow | None: ...

    def coverage(self, member_id: str) -> list[CoverageSpan]:
        """Every eligibility span of the member, with plan and PCP names."""
        ...

    def members_born_on(self, date_of_birth: date) -> list[MemberName]:
        """Members with this date of birth, by member id (names are matched by the tool)."""
        ...

    def plans_on(self, member_ids: Sequence[str], on: date) -> dict[str, str]:
        """Member id -> the plan covering them on `on`, for those covered."""
        ...

    def members(self) -> list[MemberRow]:
        """Every member, by member id (the evaluation harness's PHI check reads them)."""
        ...

    # Cases
    def open_cases(self, member_id: str) -> list[OpenCaseRow]:
        """The member's open cases, by receipt time."""
        ...

    def case(self, case_id: str) -> CaseDetail | None: ...

    def count_cases(self, filters: CaseFilters) -> int: ...

    def cases(self, filters: CaseFilters, limit: int) -> list[CaseRow]:
        """At most `limit` matching cases: those with a due time first, soonest first; then,
        unless filters.due_before is set, those without one, by receipt."""
        ...

    def case_notes(self) -> list[tuple[str, str]]:
        """(member id, clinical notes) of every case that has notes, by case id."""
        ...

    # Plans, providers, contracts
    def plan(self, plan_id: str) -> PlanRow | None: ...

    def provider(self, npi: str) -> ProviderRow | None: ...

    def network_span(self, npi: str, plan_id: str, on: date) -> NetworkSpanRow | None:
        """The latest-starting participation span of the provider in the plan covering `on`."""
        ...

    def contracts(self, npi: str, plan_id: str, on: date) -> list[ContractRow]:
        """Contracts between the provider and the plan in force on `on`, by effective date."""
        ...

    # Staff
    def staff_user(self, user_id: str) -> StaffRow | None: ...

    def staff(self) -> list[StaffRow]:
        """Every staff user, by user id."""
        ...


class DisclosingReads(PlanReads, Protocol):
    """Reads of member or case data; the tool records what it discloses on `audit`."""

    @property
    def audit(self) -> sa.Connection:
        """Where tools.audit.record writes (see the module docstring for when it commits)."""
        ...


class PlanWrites(PlanReads, Protocol):
    """Changes to the staff directory, committed together when the block closes."""

    def put_staff(self, user: StaffRow) -> None:
        """Add the staff user, or replace the stored one with the same user id."""
        ...


class PlanData(Protocol):
    """One source of plan data. Each method opens a unit of work; use it in a `with` block."""

    def reading(self) -> AbstractContextManager[PlanReads]:
        """Reads with no audit record of their own: reference data (plans, providers,
        contracts, staff) and checks that show member data to nobody (the evaluation harness's
        PHI scan). A consistent snapshot that takes no write lock."""
        ...

    def disclosing(self) -> AbstractContextManager[DisclosingReads]:
        """Reads of member or case data together with their audit record."""
        ...

    def changing(self) -> AbstractContextManager[PlanWrites]:
        """Staff directory changes (role, name, credentials, active)."""
        ...
