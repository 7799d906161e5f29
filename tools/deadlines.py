"""Regulatory decision deadlines for UM requests: a pure engine over an explicit rule table.

Encodes the decision timeframes of docs/regulatory-basis.md. Every rule carries its citation and
whether the fact behind it was checked against the primary text ([P] verified) or not ([S]/[V]
unverified), so a reader sees how far to trust it. Combinations it does not cover (concurrent
review, Medicare Advantage and Medicaid post-service, Part B drugs outside Medicare Advantage)
raise DeadlineRuleNotFound: a guessed deadline is worse than none.

Time semantics (all counted in the plan's time zone, a setting):
- "N hours" is N real elapsed hours from receipt, whatever the wall clock does across a DST
  change: 72 hours from 2026-03-07 12:00 EST is 2026-03-10 13:00 EDT.
- "N calendar days" is the same wall-clock time N days later in plan time: 7 days from
  2026-03-05 09:00 EST is 2026-03-12 09:00 EDT (only 167 real hours). Counting to the same
  time rather than to the end of day N is the conservative reading: the deadline never falls
  later than the regulation's.
- A wall-clock time that does not exist (skipped by spring-forward) moves forward by the length
  of the gap, as RFC 5545 and java.time do (02:30 -> 03:30 EDT). A time that occurs twice
  (fall-back) takes the first occurrence, the earlier deadline.
- Which rule applies (14 vs 7 days from 2026) is decided by the receipt date in plan time.
- Extensions add their days to the original due time, counted as calendar days.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tools.catalogue import tool
from tools.enums import LineOfBusiness, PlanLine, RequestType, Urgency
from tools.errors import DeadlineRuleNotFound, InvalidInput
from tools.ids import aware
from tools.roles import ToolName

if TYPE_CHECKING:
    from tools.context import ToolContext

CMS_0057_F = "CMS-0057-F (89 FR 8758, 8 Feb 2024)"
SWITCH_2026 = date(2026, 1, 1)
# The instants the engine accepts. Far beyond any real UM request, yet far enough from
# datetime's own limits (years 1 and 9999) that converting zones and adding the longest
# timeframe plus its extension can never overflow.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2201, 1, 1, tzinfo=UTC)


class Unit(StrEnum):
    hours = "hours"
    calendar_days = "calendar_days"


class Verification(StrEnum):
    verified = "verified"
    partly_verified = "partly_verified"
    unverified = "unverified"


@dataclass(frozen=True)
class Rule:
    rule_id: str
    key: tuple[LineOfBusiness, RequestType, Urgency]
    timeframe: tuple[int, Unit]
    extension_days: int
    text: str
    citation: str
    plan_policy: str
    verification: Verification
    verification_note: str
    # Receipt dates (plan time) the rule covers: from <= received < before.
    received_from: date | None = None
    received_before: date | None = None

    @property
    def amount(self) -> int:
        return self.timeframe[0]

    @property
    def unit(self) -> Unit:
        return self.timeframe[1]

    def covers(self, received_local: date) -> bool:
        if self.received_from and received_local < self.received_from:
            return False
        return not (self.received_before and received_local >= self.received_before)


MA, MCD, COM = LineOfBusiness.medicare_advantage, LineOfBusiness.medicaid, LineOfBusiness.commercial
PRE, POST, PARTB = RequestType.pre_service, RequestType.post_service, RequestType.part_b_drug
STD, EXP = Urgency.standard, Urgency.expedited
HOURS, DAYS = Unit.hours, Unit.calendar_days

VERIFY = "Verify at eCFR before production use."

RULES: tuple[Rule, ...] = (
    Rule(
        "MA-PRE-STD-2024",
        (MA, PRE, STD),
        (14, DAYS),
        extension_days=14,
        text="Medicare Advantage standard pre-service organization determination received before "
        "1 Jan 2026: decide and notify no later than 14 calendar days after receipt; the plan "
        "may extend by up to 14 calendar days if the member asks or the plan justifies a need "
        "for more information in the member's interest.",
        citation="42 CFR 422.568(b)(1) (pre-2026 text)",
        plan_policy="UM-104 v2.0 §3.1, §4.1",
        verification=Verification.verified,
        verification_note="14 days and the 14-day extension checked against the primary text [P].",
        received_before=SWITCH_2026,
    ),
    Rule(
        "MA-PRE-STD-2026",
        (MA, PRE, STD),
        (7, DAYS),
        extension_days=14,
        text="Medicare Advantage standard pre-service organization determination received on or "
        f"after 1 Jan 2026: no later than 7 calendar days after receipt ({CMS_0057_F}). An "
        "extension of up to 14 calendar days is still allowed (member request, or plan need for "
        "information in the member's interest); never for Part B drugs.",
        citation=f"42 CFR 422.568(b)(1) as amended by {CMS_0057_F}",
        plan_policy="UM-104 v3.0 §3.1, §4.1",
        verification=Verification.partly_verified,
        verification_note="7 calendar days checked against CMS-0057-F [P]; that the 14-day "
        f"extension continues unchanged alongside the 7-day limit was not checked. {VERIFY}",
        received_from=SWITCH_2026,
    ),
    Rule(
        "MA-PRE-EXP",
        (MA, PRE, EXP),
        (72, HOURS),
        extension_days=14,
        text="Medicare Advantage expedited organization determination: no later than 72 hours "
        "after receipt, running through nights, weekends and holidays; extendable by up to 14 "
        "calendar days on the same conditions as standard requests. An oral adverse notice must "
        "be confirmed in writing within 3 calendar days.",
        citation="42 CFR 422.572",
        plan_policy="UM-104 §3.2, §4.1",
        verification=Verification.verified,
        verification_note="72 hours (+14 days) checked against the primary text [P].",
    ),
    Rule(
        "MA-PARTB-STD",
        (MA, PARTB, STD),
        (72, HOURS),
        extension_days=0,
        text="Medicare Advantage standard Part B drug request: no later than 72 hours after "
        "receipt; no extension. Drugs are excluded from the CMS-0057-F prior authorization "
        "provisions, so 2026 did not change this.",
        citation="42 CFR 422.568(b)(2)",
        plan_policy="UM-104 §3.3",
        verification=Verification.unverified,
        verification_note=f"Stated from the current rule, not checked against the primary text "
        f"[V]. {VERIFY}",
    ),
    Rule(
        "MA-PARTB-EXP",
        (MA, PARTB, EXP),
        (24, HOURS),
        extension_days=0,
        text="Medicare Advantage expedited Part B drug request: no later than 24 hours after "
        "receipt; no extension.",
        citation="42 CFR 422.572(a)(2)",
        plan_policy="UM-104 §3.3",
        verification=Verification.unverified,
        verification_note=f"Stated from the current rule, not checked against the primary text "
        f"[V]. {VERIFY}",
    ),
    Rule(
        "MCD-PRE-STD-2024",
        (MCD, PRE, STD),
        (14, DAYS),
        extension_days=14,
        text="Medicaid managed care standard authorization decision received before 1 Jan 2026: "
        "no later than 14 calendar days after receipt; extendable by up to 14 more calendar days "
        "if the enrollee or provider asks, or the plan justifies a need for information in the "
        "enrollee's interest.",
        citation="42 CFR 438.210(d)(1)",
        plan_policy="UM-104 v2.0 §3.4, §4.2",
        verification=Verification.unverified,
        verification_note=f"Stated from the current rule, not checked against the primary text "
        f"[V]. {VERIFY}",
        received_before=SWITCH_2026,
    ),
    Rule(
        "MCD-PRE-STD-2026",
        (MCD, PRE, STD),
        (7, DAYS),
        extension_days=14,
        text="Medicaid managed care standard authorization decision for rating periods starting "
        f"on or after 1 Jan 2026: no later than 7 calendar days after receipt ({CMS_0057_F}); "
        "an extension of up to 14 calendar days is still allowed. The rating period is "
        "approximated by the receipt date: the plan's rating period follows the calendar "
        "year, so requests received on or after 1 Jan 2026 get 7 days. A state whose rating "
        "period starts mid-year needs its own switch date.",
        citation=f"42 CFR 438.210(d)(1) as amended by {CMS_0057_F}",
        plan_policy="UM-104 v3.0 §3.4, §4.2",
        verification=Verification.partly_verified,
        verification_note="The 7-calendar-day rule is checked against the primary text [P]; the "
        f"paragraph citation and the 14-day extension are not [V]. {VERIFY}",
        received_from=SWITCH_2026,
    ),
    Rule(
        "MCD-PRE-EXP",
        (MCD, PRE, EXP),
        (72, HOURS),
        extension_days=14,
        text="Medicaid managed care expedited authorization decision: no later than 72 hours "
        "after receipt; extendable by up to 14 calendar days on the same conditions as standard "
        "requests.",
        citation="42 CFR 438.210(d)(2)",
        plan_policy="UM-104 §3.5, §4.2",
        verification=Verification.partly_verified,
        verification_note="The 72-hour rule is checked against the primary text [P]; the "
        f"paragraph citation and the 14-day extension are not [V]. {VERIFY}",
    ),
    Rule(
        "COM-PRE-STD",
        (COM, PRE, STD),
        (15, DAYS),
        extension_days=15,
        text="ERISA group health non-urgent pre-service claim: no later than 15 days after "
        "receipt; one extension of up to 15 days for matters beyond the plan's control, notified "
        "before the first 15 days end. CMS-0057-F does not apply to ERISA group products.",
        citation="29 CFR 2560.503-1(f)(2)(iii)(A)",
        plan_policy="UM-104 §3.6, §4.3",
        verification=Verification.partly_verified,
        verification_note="15 days checked against the primary text [P]; the 15-day extension "
        f"is from a secondary source [S]. {VERIFY}",
    ),
    Rule(
        "COM-PRE-URGENT",
        (COM, PRE, EXP),
        (72, HOURS),
        extension_days=0,
        text="ERISA group health urgent care claim: as soon as possible and no later than 72 "
        "hours after receipt; urgent care claims are not extended (plan policy).",
        citation="29 CFR 2560.503-1(f)(2)(i)",
        plan_policy="UM-104 §3.7",
        verification=Verification.unverified,
        verification_note=f"From a secondary source, not checked against the primary text [S]. "
        f"{VERIFY}",
    ),
    Rule(
        "COM-POST-STD",
        (COM, POST, STD),
        (30, DAYS),
        extension_days=15,
        text="ERISA group health post-service claim: no later than 30 days after receipt; one "
        "extension of up to 15 days for matters beyond the plan's control.",
        citation="29 CFR 2560.503-1(f)(2)(iii)(B)",
        plan_policy="UM-104 §3.8",
        verification=Verification.unverified,
        verification_note="30 days is from a secondary source [S]; the 15-day extension is "
        f"stated from the regulation but not checked against the primary text [V]. {VERIFY}",
    ),
)

# Why each uncovered combination is refused, so the error tells staff where to look instead.
NO_RULE_REASONS: dict[tuple[LineOfBusiness | None, RequestType], str] = {
    (None, RequestType.concurrent): "concurrent-review timeframes are not in the project's "
    "verified regulatory basis (docs/regulatory-basis.md) for any line of business; follow the "
    "plan's concurrent review policy",
    (MA, POST): "Medicare Advantage post-service (payment) timeframes are not in the project's "
    "verified regulatory basis (docs/regulatory-basis.md)",
    (MCD, POST): "Medicaid managed care post-service timeframes are not in the project's "
    "verified regulatory basis (docs/regulatory-basis.md)",
    (MCD, PARTB): "Part B drug timeframes apply to Medicare Advantage only",
    (COM, PARTB): "Part B drug timeframes apply to Medicare Advantage only",
}


def find_rule(
    lob: LineOfBusiness, request_type: RequestType, urgency: Urgency, received_local: date
) -> Rule:
    for rule in RULES:
        if rule.key == (lob, request_type, urgency) and rule.covers(received_local):
            return rule
    reason = NO_RULE_REASONS.get((None, request_type)) or NO_RULE_REASONS.get((lob, request_type))
    if reason is None and lob is COM and request_type is POST and urgency is EXP:
        reason = "post-service claims are never urgent under ERISA; use standard urgency"
    raise DeadlineRuleNotFound(
        f"no decision timeframe for {lob.value} {request_type.value} {urgency.value} requests: "
        f"{reason or 'the combination is not in the rule table'}"
    )


def in_window(value: datetime, what: str = "timestamp") -> datetime:
    """Refuse aware times outside 1900..2200 (UTC) before any arithmetic can overflow."""
    aware(value, what)
    # Compared, not converted: converting 0001-01-01T00:00+14:00 to UTC itself overflows.
    if not EARLIEST <= value < LATEST:
        raise InvalidInput(
            f"{what} {value.isoformat()} must fall between 1900 and 2200; check the year"
        )
    return value


def wall_clock(local_naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach `zone` to a wall-clock time, resolving DST gaps and overlaps as documented above."""
    first = local_naive.replace(tzinfo=zone, fold=0)
    # In a gap, fold=0 applies the pre-transition offset: the round trip lands after the gap.
    return first.astimezone(UTC).astimezone(zone)


def add_calendar_days(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    local = start.astimezone(zone)
    return wall_clock(local.replace(tzinfo=None) + timedelta(days=days), zone)


def add_timeframe(start: datetime, amount: int, unit: Unit, zone: ZoneInfo) -> datetime:
    if unit is Unit.hours:
        return (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(zone)
    return add_calendar_days(start, amount, zone)


@dataclass(frozen=True)
class DueDate:
    due_at: datetime  # in plan time
    rule: Rule
    extended_due_at: datetime | None  # the latest possible due time if an extension is taken


def due_date(
    lob: LineOfBusiness,
    request_type: RequestType,
    urgency: Urgency,
    received_at: datetime,
    extension_taken: bool,
    zone: ZoneInfo,
) -> DueDate:
    """The deadline for one request. Pure: no clock, no I/O."""
    in_window(received_at, "received_at")
    received_local = received_at.astimezone(zone)
    rule = find_rule(lob, request_type, urgency, received_local.date())
    base = add_timeframe(received_local, rule.amount, rule.unit, zone)
    extended = add_calendar_days(base, rule.extension_days, zone) if rule.extension_days else None
    if extension_taken and extended is None:
        raise InvalidInput(
            f"rule {rule.rule_id} allows no extension, yet extension_taken is set; "
            "correct the request"
        )
    due_at = extended if extension_taken and extended else base
    return DueDate(due_at=due_at, rule=rule, extended_due_at=extended)


AwareDatetime = Annotated[datetime, AfterValidator(lambda v: in_window(v, "timestamp"))]


class DeadlineRequest(BaseModel):
    """A UM request's attributes that set its decision clock."""

    model_config = ConfigDict(extra="forbid")

    line_of_business: PlanLine = Field(description="medicare_advantage, medicaid or commercial")
    request_type: RequestType = Field(
        description="pre_service, concurrent, post_service or part_b_drug"
    )
    urgency: Urgency = Field(description="standard, or expedited (ERISA: urgent care)")
    received_at: AwareDatetime = Field(
        description="When the plan first received the request, with a time zone offset"
    )
    extension_taken: bool = Field(False, description="Whether the plan has taken an extension")
    now: AwareDatetime | None = Field(
        None, description="The time to measure remaining time from; the caller's clock if unset"
    )


class AppliedRule(BaseModel):
    rule_id: str
    text: str
    citation: str
    plan_policy: str
    verification: Verification
    verification_note: str
    timeframe: str
    extension: str


class DeadlineResult(BaseModel):
    line_of_business: LineOfBusiness
    request_type: RequestType
    urgency: Urgency
    timezone: str
    received_at: datetime = Field(description="Receipt time in plan time")
    due_at: datetime = Field(description="Decision and notice due by this time (plan time)")
    now: datetime
    time_remaining: timedelta = Field(description="Negative when overdue")
    time_remaining_text: str
    overdue: bool
    extension_taken: bool
    extension_allowed: bool = Field(description="Whether this rule allows an extension at all")
    extension_days: int
    due_at_if_extended: datetime | None = Field(
        description="The latest due time if an extension is (or was) taken; null if none allowed"
    )
    rule: AppliedRule


def describe(delta: timedelta) -> str:
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} day{'s' * (days != 1)}"] if days else []
    if hours or days:
        parts.append(f"{hours} hour{'s' * (hours != 1)}")
    if not days:
        parts.append(f"{minutes} minute{'s' * (minutes != 1)}")
    text = " ".join(parts)
    return f"overdue by {text}" if delta < timedelta(0) else f"{text} left"


def decision_deadline(request: DeadlineRequest, zone: ZoneInfo) -> DeadlineResult:
    """Compute the decision deadline; `request.now` must be set. Pure."""
    if request.now is None:
        raise InvalidInput("now is required: the deadline engine never reads the clock itself")
    in_window(request.now, "now")
    due = due_date(
        request.line_of_business,
        request.request_type,
        request.urgency,
        request.received_at,
        request.extension_taken,
        zone,
    )
    rule = due.rule
    now = request.now.astimezone(zone)
    # Subtract in UTC: two datetimes sharing one ZoneInfo subtract as wall-clock times, which
    # would be an hour off across a DST change.
    remaining = due.due_at.astimezone(UTC) - now.astimezone(UTC)
    unit = "hours" if rule.unit is Unit.hours else "calendar days"
    return DeadlineResult(
        line_of_business=request.line_of_business,
        request_type=request.request_type,
        urgency=request.urgency,
        timezone=zone.key,
        received_at=request.received_at.astimezone(zone),
        due_at=due.due_at,
        now=now,
        time_remaining=remaining,
        time_remaining_text=describe(remaining),
        overdue=remaining < timedelta(0),
        extension_taken=request.extension_taken,
        extension_allowed=rule.extension_days > 0,
        extension_days=rule.extension_days,
        due_at_if_extended=due.extended_due_at,
        rule=AppliedRule(
            rule_id=rule.rule_id,
            text=rule.text,
            citation=rule.citation,
            plan_policy=rule.plan_policy,
            verification=rule.verification,
            verification_note=rule.verification_note,
            timeframe=f"{rule.amount} {unit}",
            extension=f"up to {rule.extension_days} calendar days"
            if rule.extension_days
            else "none",
        ),
    )


@tool(
    ToolName.compute_decision_deadline, DeadlineRequest, DeadlineResult, discloses=False, agent=True
)
def compute_decision_deadline(ctx: "ToolContext", req: DeadlineRequest) -> DeadlineResult:
    """Compute when a UM decision is due under the regulation for its line of business, request
    type and urgency: due time (plan time zone), time remaining (negative when overdue),
    whether an extension is allowed and for how long, and the rule applied with its citation
    and verification status. Unknown combinations are refused, never guessed."""

    if req.now is None:
        req = req.model_copy(update={"now": ctx.now()})
    return decision_deadline(req, ctx.zone)
