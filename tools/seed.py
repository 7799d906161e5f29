"""Deterministic synthetic plan data: same seed and reference date, same rows.

Uses only random.Random(seed) (no Faker): members across the three plans with eligibility spans
and PCPs, providers with network spans, contracts on the corpus contract forms, and UM cases in
every status whose codes match the corpus medical policies, some past due relative to the
reference date.
"""

import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tools import seed_catalog as cat
from tools.db import Database
from tools.deadlines import due_date
from tools.enums import (
    OPEN_STATUSES,
    PLAN_LINES,
    CaseStatus,
    LineOfBusiness,
    NetworkStatus,
    ProviderKind,
    RequestType,
    Urgency,
)
from tools.errors import DeadlineRuleNotFound, InvalidInput
from tools.ids import npi_check_digit
from tools.models import (
    AuditRecord,
    Base,
    Case,
    Contract,
    EligibilitySpan,
    Member,
    NetworkSpan,
    Plan,
    Provider,
    User,
    table_of,
)
from tools.seed_history import add_history, decided_before_received, history_rng

log = logging.getLogger(__name__)

MIN_MEMBERS = 300
MIN_CASES = 150
MAX_HISTORY_DAYS = 3660
NETWORK_START = date(2024, 1, 1)
FIRST_MEMBER, FIRST_CASE = 1_000_001, 2_000_001
BATCH = 5_000
# Status mix after every status has appeared once: most cases are decided or in flight.
STATUS_WEIGHTS = {
    CaseStatus.received: 15,
    CaseStatus.in_review: 20,
    CaseStatus.pended_info: 12,
    CaseStatus.decision_pending_clinician: 10,
    CaseStatus.approved: 28,
    CaseStatus.denied: 10,
    CaseStatus.withdrawn: 5,
}
LOB_WEIGHTS = {
    LineOfBusiness.medicare_advantage: 35,
    LineOfBusiness.medicaid: 40,
    LineOfBusiness.commercial: 25,
}


@dataclass
class SeedReport:
    seed: int
    reference: date
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    past_due_open: int = 0


def make_npi(serial: int) -> str:
    """Obviously fake but valid-looking: starts with 9 (real NPIs start with 1 or 2)."""
    first_nine = f"9{serial:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Generator:
    def __init__(
        self,
        members: int,
        seed: int,
        reference: date,
        zone: ZoneInfo,
        history_days: int | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.history = history_rng(seed)
        self.history_days = history_days
        self.n_members = members
        self.reference = reference
        self.zone = zone
        self.anchor = datetime.combine(reference, time(0), zone)
        self.providers: list[dict[str, Any]] = []
        self.org_npi: dict[str, str] = {}
        self.by_specialty: dict[str, list[str]] = {}
        self.member_plan: dict[str, tuple[str, LineOfBusiness]] = {}

    def plans(self) -> list[dict[str, Any]]:
        return [
            {
                "plan_id": pid,
                "name": name,
                "line_of_business": lob,
                "cms_contract_id": cat.CMS_CONTRACT_IDS.get(pid),
            }
            for pid, name, lob in cat.PLANS
        ]

    def users(self) -> list[dict[str, Any]]:
        return [
            {
                "user_id": uid,
                "role": role,
                "display_name": name,
                "credentials": cred,
                "active": True,
            }
            for uid, role, name, cred in cat.STAFF
        ]

    def provider_rows(self) -> list[dict[str, Any]]:
        serial = 1
        rows = []
        for org in cat.ORGANISATIONS:
            npi = make_npi(serial)
            serial += 1
            self.org_npi[org.key] = npi
            rows.append(self._provider(npi, org.name, ProviderKind.organization, org.specialty))
        for specialty, count, cred in cat.CLINICIAN_SPECIALTIES:
            for _ in range(count):
                npi = make_npi(serial)
                name = (
                    f"{self.rng.choice(cat.MEMBER_FIRST_NAMES)} "
                    f"{self.rng.choice(cat.CLINICIAN_SURNAMES)}, {cred}"
                )
                rows.append(self._provider(npi, name, ProviderKind.individual, specialty))
                self.by_specialty.setdefault(specialty, []).append(npi)
                serial += 1
        self.providers = rows
        return rows

    def _provider(self, npi: str, name: str, kind: ProviderKind, specialty: str) -> dict:
        return {
            "npi": npi,
            "name": name,
            "kind": kind,
            "specialty": specialty,
            "city": self.rng.choice(cat.CITIES),
            "state": "NY",
            "phone": f"(555) 555-01{self.rng.randrange(100):02d}",
        }

    def contract_rows(self) -> list[dict[str, Any]]:
        rows = []
        serial = 1
        for org in cat.ORGANISATIONS:
            doc_effective = _doc_effective(org.doc_id)
            for plan_id, spec in org.contracts.items():
                spec = dict(spec)
                rows.append(
                    {
                        "contract_id": f"K-{serial:05d}",
                        "plan_id": plan_id,
                        "npi": self.org_npi[org.key],
                        "doc_id": org.doc_id,
                        "payment_model": spec.pop("payment_model"),
                        "effective_date": spec.pop("effective_date", doc_effective),
                        "end_date": spec.pop("end_date", None),
                        "timely_filing_days": spec.pop("timely_filing_days"),
                        "admission_notification_business_days": spec.pop(
                            "admission_notification_business_days"
                        ),
                        "prior_auth_required": spec.pop("prior_auth_required"),
                        "delegated_um": spec.pop("delegated_um", False),
                        "terms": spec.pop("terms"),
                    }
                )
                serial += 1
        # Expired predecessors of the hospital agreements, so "on a date" questions about 2024
        # find the contract then in force (and no current passages).
        for key in ("hospital-1", "hospital-2", "hospital-3"):
            for plan_id in ("PLN-MA-01", "PLN-MCD-01", "PLN-COM-01"):
                current = next(
                    r for r in rows if r["npi"] == self.org_npi[key] and r["plan_id"] == plan_id
                )
                rows.append(
                    {
                        **current,
                        "contract_id": f"K-{serial:05d}",
                        "effective_date": date(2022, 1, 1),
                        "end_date": current["effective_date"] - timedelta(days=1),
                        "terms": {**current["terms"], "superseded": True},
                    }
                )
                serial += 1
        return rows

    def network_rows(self, contracts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        rows = []
        contracted = {
            (c["npi"], c["plan_id"])
            for c in contracts
            if c["end_date"] is None or c["end_date"] >= self.reference
        }
        for p in self.providers:
            for plan_id, _, _ in cat.PLANS:
                if p["kind"] is ProviderKind.organization:
                    if (p["npi"], plan_id) in contracted:
                        rows.append(
                            self._span(
                                p["npi"], plan_id, NetworkStatus.in_network, NETWORK_START, None
                            )
                        )
                    continue
                roll = self.rng.random()
                if roll < 0.08:
                    rows.append(
                        self._span(
                            p["npi"], plan_id, NetworkStatus.out_of_network, NETWORK_START, None
                        )
                    )
                elif roll < 0.13:
                    end = self.reference - timedelta(days=self.rng.randrange(20, 200))
                    rows.append(
                        self._span(p["npi"], plan_id, NetworkStatus.in_network, NETWORK_START, end)
                    )
                    rows.append(
                        self._span(
                            p["npi"],
                            plan_id,
                            NetworkStatus.out_of_network,
                            end + timedelta(days=1),
                            None,
                        )
                    )
                elif roll < 0.16:
                    start = self.reference + timedelta(days=self.rng.randrange(10, 60))
                    rows.append(
                        self._span(p["npi"], plan_id, NetworkStatus.in_network, start, None)
                    )
                else:
                    rows.append(
                        self._span(p["npi"], plan_id, NetworkStatus.in_network, NETWORK_START, None)
                    )
        return rows

    @staticmethod
    def _span(npi: str, plan_id: str, status: NetworkStatus, start: date, end: date | None):
        return {
            "npi": npi,
            "plan_id": plan_id,
            "status": status,
            "start_date": start,
            "end_date": end,
        }

    def members(self) -> Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]:
        rng = self.rng
        pcps = [n for s in cat.PCP_SPECIALTIES for n in self.by_specialty[s]]
        pediatric = self.by_specialty["Pediatrics"]
        languages = dict(cat.LANGUAGES)
        for i in range(self.n_members):
            member_id = f"M{FIRST_MEMBER + i:07d}"
            lob = weighted(rng, LOB_WEIGHTS)
            age = (
                rng.randint(65, 92)
                if lob is LineOfBusiness.medicare_advantage
                else rng.randint(0, 64)
            )
            dob = self.reference - timedelta(days=age * 365 + rng.randrange(365))
            member = {
                "member_id": member_id,
                "first_name": rng.choice(cat.MEMBER_FIRST_NAMES),
                "last_name": rng.choice(cat.MEMBER_LAST_NAMES),
                "date_of_birth": dob,
                "sex": rng.choice("FFMMX" if rng.random() < 0.02 else "FM"),
                "phone": f"(555) 555-01{rng.randrange(100):02d}",
                "email": f"synthetic.member.{i + 1:06d}@example.com",
                "address_line": f"{rng.randint(1, 9999)} {rng.choice(cat.STREETS)}",
                "city": rng.choice(cat.CITIES),
                "state": "NY",
                "postal_code": f"000{rng.randrange(100):02d}",
                "preferred_language": weighted(rng, languages),
            }
            plan_id = cat.PLAN_OF_LOB[lob]
            start = NETWORK_START + timedelta(days=rng.randrange(0, 600))
            start = min(start, self.reference - timedelta(days=30))
            pool = pediatric if age < 18 else pcps
            needs_pcp = lob is not LineOfBusiness.commercial or rng.random() < 0.6
            pcp = rng.choice(pool) if needs_pcp else None
            spans = []
            roll = rng.random()
            if roll < 0.08:
                # Coverage ended before the reference date.
                end = start + timedelta(days=rng.randrange(90, 500))
                end = min(end, self.reference - timedelta(days=rng.randrange(1, 60)))
                end = max(end, start)
                spans.append(self._elig(member_id, plan_id, start, end, pcp))
            elif roll < 0.13 and lob is not LineOfBusiness.medicare_advantage:
                # Changed plans: the earlier span ends the day before the later begins.
                other = cat.PLAN_OF_LOB[
                    LineOfBusiness.commercial
                    if lob is LineOfBusiness.medicaid
                    else LineOfBusiness.medicaid
                ]
                switch = start + timedelta(days=rng.randrange(60, 400))
                switch = min(switch, self.reference - timedelta(days=15))
                switch = max(switch, start + timedelta(days=1))
                spans.append(self._elig(member_id, other, start, switch - timedelta(days=1), pcp))
                spans.append(self._elig(member_id, plan_id, switch, None, pcp))
            else:
                spans.append(self._elig(member_id, plan_id, start, None, pcp))
            self.member_plan[member_id] = (plan_id, lob)
            yield member, spans

    @staticmethod
    def _elig(member_id: str, plan_id: str, start: date, end: date | None, pcp: str | None):
        return {
            "member_id": member_id,
            "plan_id": plan_id,
            "start_date": start,
            "end_date": end,
            "pcp_npi": pcp,
        }

    def cases(self, count: int) -> Iterable[dict[str, Any]]:
        rng = self.rng
        members = list(self.member_plan)
        statuses = list(CaseStatus)
        cutoff = self.anchor.astimezone(UTC) - timedelta(minutes=1)
        problems = self.history_days is not None
        services = {lob: [s for s in cat.SERVICES if lob in s.lobs] for lob in PLAN_LINES}
        for i in range(count):
            status = statuses[i] if i < len(statuses) else weighted(rng, STATUS_WEIGHTS)
            member_id = rng.choice(members)
            plan_id, lob = self.member_plan[member_id]
            service = rng.choice(services[lob])
            request_type = rng.choice(service.request_types)
            if request_type is RequestType.post_service and lob is not LineOfBusiness.commercial:
                request_type = RequestType.pre_service
            urgency = (
                Urgency.expedited
                if request_type is not RequestType.post_service
                and rng.random() < service.expedited_share
                else Urgency.standard
            )
            received = self._received(status, urgency)
            case = {
                "case_id": f"C{FIRST_CASE + i:07d}",
                "member_id": member_id,
                "plan_id": plan_id,
                "requesting_npi": self._requester(service),
                "service_codes": list(rng.choice(service.codes)),
                "diagnosis_codes": list(rng.choice(service.diagnoses)),
                "service_description": service.description,
                "request_type": request_type,
                "urgency": urgency,
                "received_at": received.astimezone(UTC),
                "status": status,
                "assigned_reviewer": None,
                "clinical_notes": None,
                "extension_taken": False,
                "due_at": None,
                "decided_at": None,
                "decided_by": None,
                "updated_at": received.astimezone(UTC),
            }
            self._progress(case, service, lob)
            if problems:
                decided_before_received(case, self.history)
            add_history(case, service.policy, self.history, cutoff, problems)
            yield case

    def _received(self, status: CaseStatus, urgency: Urgency) -> datetime:
        rng = self.rng
        if status in OPEN_STATUSES:
            # Mostly recent; a tail old enough to be past due.
            if urgency is Urgency.expedited:
                hours = rng.uniform(1, 96)
            else:
                bucket = rng.random()
                hours = (
                    rng.uniform(1, 120)
                    if bucket < 0.7
                    else rng.uniform(120, 288)
                    if bucket < 0.9
                    else rng.uniform(288, 720)
                )
        else:
            # Decided cases reach back before 2026, when the 14-day rules applied.
            hours = rng.uniform(48, 24 * (self.history_days or 500))
        return self.anchor - timedelta(hours=hours, minutes=rng.randrange(60))

    def _requester(self, service: cat.Service) -> str:
        who = self.rng.choice(service.requesters)
        if who in cat.ORG_KINDS_REQUESTING:
            return self.org_npi[self.rng.choice(cat.ORG_KINDS_REQUESTING[who])]
        return self.rng.choice(self.by_specialty[who])

    def _progress(self, case: dict[str, Any], service: cat.Service, lob: LineOfBusiness) -> None:
        """Fill reviewer, notes, extension, deadline and decision consistently with status."""
        rng = self.rng
        status = case["status"]
        if status is not CaseStatus.received or rng.random() < 0.7:
            case["clinical_notes"] = f"[synthetic] {rng.choice(service.notes)}"
        if status in {CaseStatus.in_review, CaseStatus.pended_info}:
            case["assigned_reviewer"] = rng.choice(cat.REVIEWERS)
        elif status is CaseStatus.decision_pending_clinician:
            case["assigned_reviewer"] = rng.choice(cat.CLINICIANS)
        elif status in {CaseStatus.approved, CaseStatus.denied}:
            case["assigned_reviewer"] = rng.choice(cat.CLINICIANS)
            case["decided_by"] = case["assigned_reviewer"]
        if status is CaseStatus.pended_info:
            case["clinical_notes"] += " Pended: requested missing documentation from provider."
        try:
            base = due_date(
                lob, case["request_type"], case["urgency"], case["received_at"], False, self.zone
            )
        except DeadlineRuleNotFound:
            base = None
        if base is not None:
            case["extension_taken"] = (
                base.rule.extension_days > 0
                and status in {CaseStatus.pended_info, CaseStatus.approved, CaseStatus.denied}
                and rng.random() < 0.12
            )
            due = (base.extended_due_at if case["extension_taken"] else None) or base.due_at
            case["due_at"] = due.astimezone(UTC)
        if status in {CaseStatus.approved, CaseStatus.denied, CaseStatus.withdrawn}:
            window = (case["due_at"] or case["received_at"] + timedelta(days=3)) - case[
                "received_at"
            ]
            # A few decided late: timeliness reports need some misses to find.
            share = rng.uniform(1.02, 1.3) if rng.random() < 0.05 else rng.uniform(0.1, 0.95)
            done = case["received_at"] + window * share
            done = min(done, self.anchor.astimezone(UTC) - timedelta(minutes=1))
            if status is not CaseStatus.withdrawn:
                case["decided_at"] = done
            case["updated_at"] = done
        else:
            case["updated_at"] = case["received_at"] + timedelta(minutes=rng.randrange(5, 600))
            case["updated_at"] = min(case["updated_at"], self.anchor.astimezone(UTC))


def _doc_effective(doc_id: str) -> date:
    return {
        "CON-101": date(2025, 1, 1),
        "CON-102": date(2025, 7, 1),
        "CON-103": date(2026, 1, 1),
        "CON-104": date(2025, 4, 1),
        "CON-105": date(2026, 1, 1),
        "CON-106": date(2025, 1, 1),
    }[doc_id]


PLAN_DATA_TABLES: tuple[type[Base], ...] = (
    Case,
    Contract,
    EligibilitySpan,
    NetworkSpan,
    Member,
    Provider,
    User,
    Plan,
)


def has_plan_data(session: Session) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(Member)) != 0


def seed(
    db: Database,
    *,
    members: int = MIN_MEMBERS,
    seed: int = 1,
    reference: date,
    replace: bool = False,
    cases: int | None = None,
    history_days: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport:
    """Fill the store with synthetic data. Refuses to touch existing plan data unless `replace`;
    the audit trail is never touched. `cases` and `history_days` set the volume and how far
    back decided cases reach; `progress(done, total)` is told of each batch of cases."""
    if members < MIN_MEMBERS:
        raise InvalidInput(f"--members must be at least {MIN_MEMBERS}")
    if cases is not None and cases < MIN_CASES:
        raise InvalidInput(f"--cases must be at least {MIN_CASES}")
    if history_days is not None and not 3 <= history_days <= MAX_HISTORY_DAYS:
        raise InvalidInput(f"--history-days must be between 3 and {MAX_HISTORY_DAYS}")
    gen = Generator(members, seed, reference, db.settings.zone, history_days)
    report = SeedReport(seed=seed, reference=reference)
    n_cases = cases if cases is not None else max(MIN_CASES, members // 2)
    with db.transaction() as session:
        if has_plan_data(session):
            if not replace:
                raise InvalidInput(
                    "the store already holds plan data; pass --replace to regenerate it (the "
                    "audit trail is kept)"
                )
            for model in PLAN_DATA_TABLES:
                session.execute(sa.delete(model))
        _insert(session, Plan, gen.plans(), report)
        _insert(session, User, gen.users(), report)
        _insert(session, Provider, gen.provider_rows(), report)
        contracts = gen.contract_rows()
        _insert(session, Contract, contracts, report)
        _insert(session, NetworkSpan, gen.network_rows(contracts), report)
        member_rows, span_rows = [], []
        for member, spans in gen.members():
            member_rows.append(member)
            span_rows.extend(spans)
            if len(member_rows) >= BATCH:
                _insert(session, Member, member_rows, report)
                _insert(session, EligibilitySpan, span_rows, report)
                member_rows, span_rows = [], []
        _insert(session, Member, member_rows, report)
        _insert(session, EligibilitySpan, span_rows, report)
        statuses: Counter[str] = Counter()
        cutoff = gen.anchor.astimezone(UTC)
        batch: list[dict[str, Any]] = []
        for case in gen.cases(n_cases):
            statuses[case["status"].value] += 1
            if case["status"] in OPEN_STATUSES and case["due_at"] and case["due_at"] < cutoff:
                report.past_due_open += 1
            batch.append(case)
            if len(batch) >= BATCH:
                _insert(session, Case, batch, report)
                batch = []
                if progress is not None:
                    progress(report.counts["cases"], n_cases)
        _insert(session, Case, batch, report)
        if progress is not None:
            progress(n_cases, n_cases)
        report.statuses = dict(sorted(statuses.items()))
        # Fresh statistics after a bulk load, so the planners pick the worklist indexes.
        analysed: tuple[type[Base], ...] = (*PLAN_DATA_TABLES, AuditRecord)
        for model in analysed:
            session.execute(sa.text(f"ANALYZE {model.__tablename__}"))
    log.info("seeded %s", report.counts)
    return report


def _insert(
    session: Session, model: type[Base], rows: list[dict[str, Any]], report: SeedReport
) -> None:
    if not rows:
        return
    # Core executemany on the table: the ORM's bulk path costs several times more per row.
    session.connection().execute(table_of(model).insert(), rows)
    name = model.__tablename__
    report.counts[name] = report.counts.get(name, 0) + len(rows)
