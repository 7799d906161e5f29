"""Synthetic decision history for seeded cases: determination, notice, extension, appeal.

Drawn from its own random stream, so adding history never changes the cases the main seed
stream produces (tests rely on their exact rows). Every value is obviously synthetic.
"""

import random
from datetime import datetime, timedelta
from typing import Any

from tools.enums import AppealOutcome, CaseStatus, Determination, ExtensionBy

PARTIAL_SHARE = 0.08
APPEAL_SHARE = 0.25
RESOLVED_SHARE = 0.85
OVERTURN_SHARE = 0.4
MEMBER_EXTENSION_SHARE = 0.3
# Only with --history-days: a few inconsistent records, so the reports' data-problems section
# has something to show (real feeds have them too).
PROBLEM_SHARE = 0.0005


def history_rng(seed: int) -> random.Random:
    return random.Random(f"careassist-history-{seed}")


def add_history(
    case: dict[str, Any], policy: str, rng: random.Random, cutoff: datetime, problems: bool
) -> None:
    """Fill the history columns of one generated case consistently with its status."""
    status = case["status"]
    case.update(
        determination=None,
        notified_at=None,
        extension_by=None,
        appeal_filed_at=None,
        appeal_resolved_at=None,
        appeal_outcome=None,
        criteria_cited=None,
    )
    if case["extension_taken"]:
        case["extension_by"] = (
            ExtensionBy.member if rng.random() < MEMBER_EXTENSION_SHARE else ExtensionBy.plan
        )
    decided = case["decided_at"]
    if status not in {CaseStatus.approved, CaseStatus.denied} or decided is None:
        return
    if status is CaseStatus.denied:
        determination = Determination.denied
    elif rng.random() < PARTIAL_SHARE:
        determination = Determination.partially_approved
    else:
        determination = Determination.approved
    case["determination"] = determination
    case["notified_at"] = min(decided + timedelta(minutes=rng.randrange(5, 1200)), cutoff)
    if determination is Determination.approved:
        return
    # Denials cite a coverage-criteria section of the service's medical policy, when it has one.
    section = rng.randint(1, 3)
    case["criteria_cited"] = f"{policy} §2.{section}" if policy.startswith("MP-") else None
    if rng.random() >= APPEAL_SHARE:
        return
    filed = case["notified_at"] + timedelta(days=rng.uniform(1, 50))
    if filed >= cutoff:
        return
    case["appeal_filed_at"] = filed
    resolved = filed + timedelta(days=rng.uniform(2, 30))
    if resolved < cutoff and rng.random() < RESOLVED_SHARE:
        case["appeal_resolved_at"] = resolved
        case["appeal_outcome"] = (
            AppealOutcome.overturned if rng.random() < OVERTURN_SHARE else AppealOutcome.upheld
        )
    if problems and rng.random() < PROBLEM_SHARE * 4:
        # An appeal dated before the determination it appeals.
        case["appeal_filed_at"] = decided - timedelta(days=rng.uniform(1, 5))


def decided_before_received(case: dict[str, Any], rng: random.Random) -> None:
    """Make one decided case inconsistent: its decision predates its receipt."""
    if case["decided_at"] is not None and rng.random() < PROBLEM_SHARE:
        case["decided_at"] = case["received_at"] - timedelta(hours=rng.uniform(1, 48))
