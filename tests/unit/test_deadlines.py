"""The regulatory deadline engine: every line of business, request type and urgency, around the
2026 switch, across DST changes (2026-03-08, 2026-11-01 America/New_York) and leap day 2028."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tools.context import parse_input
from tools.deadlines import (
    RULES,
    DeadlineRequest,
    Verification,
    add_calendar_days,
    decision_deadline,
    due_date,
    find_rule,
)
from tools.enums import LineOfBusiness, RequestType, Urgency
from tools.errors import DeadlineRuleNotFound, InvalidInput

NY = ZoneInfo("America/New_York")
MA, MCD, COM = "medicare_advantage", "medicaid", "commercial"
PRE, CONC, POST, PARTB = "pre_service", "concurrent", "post_service", "part_b_drug"
STD, EXP = "standard", "expedited"


def ny(text: str) -> datetime:
    """A wall-clock time in New York, e.g. '2026-03-05 09:00' (fold=0 for ambiguous times)."""
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def compute(
    lob: str,
    rtype: str,
    urgency: str,
    received: datetime,
    ext: bool = False,
    now: datetime | None = None,
    zone: ZoneInfo = NY,
):
    request = parse_input(
        DeadlineRequest,
        {
            "line_of_business": lob,
            "request_type": rtype,
            "urgency": urgency,
            "received_at": received,
            "extension_taken": ext,
            "now": now or received,
        },
    )
    return decision_deadline(request, zone)


# (lob, type, urgency, received (NY wall clock unless an offset is given), extension taken,
#  expected due as ISO with offset, rule id)
CASES = [
    # Medicare Advantage standard: 14 days before 2026, 7 from 1 Jan 2026 by receipt date.
    (MA, PRE, STD, "2025-12-20 09:00", False, "2026-01-03T09:00:00-05:00", "MA-PRE-STD-2024"),
    (MA, PRE, STD, "2025-12-31 23:30", False, "2026-01-14T23:30:00-05:00", "MA-PRE-STD-2024"),
    (MA, PRE, STD, "2026-01-01 00:00", False, "2026-01-08T00:00:00-05:00", "MA-PRE-STD-2026"),
    (MA, PRE, STD, "2026-01-05 10:00", True, "2026-01-26T10:00:00-05:00", "MA-PRE-STD-2026"),
    (MA, PRE, STD, "2025-12-10 10:00", True, "2026-01-07T10:00:00-05:00", "MA-PRE-STD-2024"),
    # 7 calendar days = same wall-clock time: across spring-forward and fall-back.
    (MA, PRE, STD, "2026-03-05 09:00", False, "2026-03-12T09:00:00-04:00", "MA-PRE-STD-2026"),
    (MA, PRE, STD, "2026-10-29 09:00", False, "2026-11-05T09:00:00-05:00", "MA-PRE-STD-2026"),
    # ... and into leap day.
    (MA, PRE, STD, "2028-02-22 10:00", False, "2028-02-29T10:00:00-05:00", "MA-PRE-STD-2026"),
    # 72 hours are real hours: 73 wall-clock hours across spring-forward.
    (MA, PRE, EXP, "2026-03-07 12:00", False, "2026-03-10T13:00:00-04:00", "MA-PRE-EXP"),
    (MA, PRE, EXP, "2026-03-07 12:00", True, "2026-03-24T13:00:00-04:00", "MA-PRE-EXP"),
    (MA, PRE, EXP, "2025-06-01 08:00", False, "2025-06-04T08:00:00-04:00", "MA-PRE-EXP"),
    # Part B drugs: 72 h / 24 h, unchanged by 2026; fall-back gives 71 wall-clock hours.
    (MA, PARTB, STD, "2026-11-01 00:30", False, "2026-11-03T23:30:00-05:00", "MA-PARTB-STD"),
    (MA, PARTB, STD, "2025-12-30 12:00", False, "2026-01-02T12:00:00-05:00", "MA-PARTB-STD"),
    (MA, PARTB, EXP, "2026-03-08 01:30", False, "2026-03-09T02:30:00-04:00", "MA-PARTB-EXP"),
    # Medicaid managed care: 14 (+14) before 2026, 7 (+14) from 2026; expedited 72 h (+14).
    (MCD, PRE, STD, "2025-12-31 10:00", False, "2026-01-14T10:00:00-05:00", "MCD-PRE-STD-2024"),
    (MCD, PRE, STD, "2025-12-31 10:00", True, "2026-01-28T10:00:00-05:00", "MCD-PRE-STD-2024"),
    (MCD, PRE, STD, "2026-01-01 10:00", False, "2026-01-08T10:00:00-05:00", "MCD-PRE-STD-2026"),
    (MCD, PRE, STD, "2026-01-01 10:00", True, "2026-01-22T10:00:00-05:00", "MCD-PRE-STD-2026"),
    # Wall-clock 02:30 on 2026-03-08 does not exist: moved forward by the gap.
    (MCD, PRE, STD, "2026-03-01 02:30", False, "2026-03-08T03:30:00-04:00", "MCD-PRE-STD-2026"),
    # Wall-clock 01:30 on 2026-11-01 happens twice: the first (earlier) one.
    (MCD, PRE, STD, "2026-10-25 01:30", False, "2026-11-01T01:30:00-04:00", "MCD-PRE-STD-2026"),
    (MCD, PRE, EXP, "2026-10-31 12:00", False, "2026-11-03T11:00:00-05:00", "MCD-PRE-EXP"),
    (MCD, PRE, EXP, "2026-10-31 12:00", True, "2026-11-17T11:00:00-05:00", "MCD-PRE-EXP"),
    (MCD, PRE, EXP, "2025-12-31 20:00", False, "2026-01-03T20:00:00-05:00", "MCD-PRE-EXP"),
    # ERISA: pre-service 15 days (+15), urgent 72 h, post-service 30 days (+15); leap day 2028.
    (COM, PRE, STD, "2028-02-14 10:00", False, "2028-02-29T10:00:00-05:00", "COM-PRE-STD"),
    (COM, PRE, STD, "2028-02-20 08:00", False, "2028-03-06T08:00:00-05:00", "COM-PRE-STD"),
    (COM, PRE, STD, "2028-02-14 10:00", True, "2028-03-15T10:00:00-04:00", "COM-PRE-STD"),
    (COM, PRE, STD, "2025-12-31 10:00", False, "2026-01-15T10:00:00-05:00", "COM-PRE-STD"),
    (COM, PRE, EXP, "2028-02-28 12:00", False, "2028-03-02T12:00:00-05:00", "COM-PRE-URGENT"),
    (COM, POST, STD, "2028-02-01 09:00", False, "2028-03-02T09:00:00-05:00", "COM-POST-STD"),
    (COM, POST, STD, "2028-02-01 09:00", True, "2028-03-17T09:00:00-04:00", "COM-POST-STD"),
]


@pytest.mark.parametrize(("lob", "rtype", "urgency", "received", "ext", "due", "rule_id"), CASES)
def test_due_time_and_rule_for_each_line_of_business_type_and_urgency(
    lob: str, rtype: str, urgency: str, received: str, ext: bool, due: str, rule_id: str
) -> None:
    result = compute(lob, rtype, urgency, ny(received), ext)
    assert result.rule.rule_id == rule_id
    assert result.due_at.isoformat() == due
    assert result.due_at.utcoffset() == datetime.fromisoformat(due).utcoffset()


NO_RULE = [
    (MA, CONC, STD),
    (MA, CONC, EXP),
    (MA, POST, STD),
    (MA, POST, EXP),
    (MCD, CONC, STD),
    (MCD, CONC, EXP),
    (MCD, POST, STD),
    (MCD, POST, EXP),
    (MCD, PARTB, STD),
    (MCD, PARTB, EXP),
    (COM, CONC, STD),
    (COM, CONC, EXP),
    (COM, POST, EXP),
    (COM, PARTB, STD),
    (COM, PARTB, EXP),
]


@pytest.mark.parametrize(("lob", "rtype", "urgency"), NO_RULE)
@pytest.mark.parametrize("received", ["2025-12-31 12:00", "2026-01-01 12:00"])
def test_combinations_outside_the_fact_sheet_are_refused_not_guessed(
    lob: str, rtype: str, urgency: str, received: str
) -> None:
    with pytest.raises(DeadlineRuleNotFound) as err:
        compute(lob, rtype, urgency, ny(received))
    message = str(err.value)
    assert lob in message and rtype in message and urgency in message


def test_every_combination_resolves_to_exactly_one_rule_or_a_clear_refusal() -> None:
    covered = 0
    for lob in LineOfBusiness:
        for rtype in RequestType:
            for urgency in Urgency:
                for day in (date(2025, 12, 31), date(2026, 1, 1)):
                    matching = [
                        r for r in RULES if r.key == (lob, rtype, urgency) and r.covers(day)
                    ]
                    assert len(matching) <= 1, (lob, rtype, urgency, day)
                    if matching:
                        assert find_rule(lob, rtype, urgency, day) is matching[0]
                        covered += 1
                    else:
                        with pytest.raises(DeadlineRuleNotFound):
                            find_rule(lob, rtype, urgency, day)
    assert covered == 18  # 9 rule keys, each valid on both sides of the switch


def test_seven_calendar_days_across_spring_forward_is_167_real_hours() -> None:
    received = ny("2026-03-05 09:00")
    result = compute(MCD, PRE, STD, received, now=received)
    assert result.time_remaining == timedelta(hours=167)
    assert result.due_at.astimezone(UTC) - received.astimezone(UTC) == timedelta(hours=167)


def test_seven_calendar_days_across_fall_back_is_169_real_hours() -> None:
    received = ny("2026-10-29 09:00")
    result = compute(MA, PRE, STD, received, now=received)
    assert result.time_remaining == timedelta(hours=169)


def test_seventy_two_hours_are_seventy_two_elapsed_hours_across_either_dst_change() -> None:
    for start in ("2026-03-07 12:00", "2026-10-31 12:00"):
        received = ny(start)
        result = compute(MA, PRE, EXP, received, now=received)
        assert result.time_remaining == timedelta(hours=72)


def test_switch_to_seven_days_is_decided_by_receipt_date_in_plan_time() -> None:
    # 2026-01-01 03:00 UTC is still 31 December in New York: the 14-day rule applies.
    utc_received = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    assert compute(MA, PRE, STD, utc_received).rule.rule_id == "MA-PRE-STD-2024"
    assert compute(MA, PRE, STD, utc_received, zone=ZoneInfo("UTC")).rule.rule_id == (
        "MA-PRE-STD-2026"
    )


def test_receipt_in_another_offset_gives_the_same_instant_due() -> None:
    in_ny = compute(MCD, PRE, EXP, ny("2026-06-01 09:00"))
    in_la = compute(MCD, PRE, EXP, datetime.fromisoformat("2026-06-01T06:00:00-07:00"))
    assert in_ny.due_at == in_la.due_at


def test_remaining_time_is_negative_and_flagged_when_overdue() -> None:
    received = ny("2026-01-05 10:00")
    result = compute(MA, PRE, STD, received, now=ny("2026-01-13 12:30"))
    assert result.overdue is True
    assert result.time_remaining == -timedelta(days=1, hours=2, minutes=30)
    assert result.time_remaining_text == "overdue by 1 day 2 hours"


def test_remaining_time_is_positive_before_the_deadline() -> None:
    result = compute(MA, PRE, EXP, ny("2026-06-01 09:00"), now=ny("2026-06-03 08:15"))
    assert result.overdue is False
    assert result.time_remaining == timedelta(hours=24, minutes=45)
    assert result.time_remaining_text == "1 day 0 hours left"


def test_due_exactly_now_is_not_overdue() -> None:
    received = ny("2026-06-01 09:00")
    result = compute(MA, PARTB, EXP, received, now=received + timedelta(hours=24))
    assert result.time_remaining == timedelta(0)
    assert result.overdue is False


@pytest.mark.parametrize(
    ("lob", "rtype", "urgency", "allowed", "days"),
    [
        (MA, PRE, STD, True, 14),
        (MA, PRE, EXP, True, 14),
        (MA, PARTB, STD, False, 0),
        (MA, PARTB, EXP, False, 0),
        (MCD, PRE, STD, True, 14),
        (MCD, PRE, EXP, True, 14),
        (COM, PRE, STD, True, 15),
        (COM, PRE, EXP, False, 0),
        (COM, POST, STD, True, 15),
    ],
)
def test_extension_allowance_follows_the_rule(
    lob: str, rtype: str, urgency: str, allowed: bool, days: int
) -> None:
    result = compute(lob, rtype, urgency, ny("2026-06-01 09:00"))
    assert result.extension_allowed is allowed
    assert result.extension_days == days
    if allowed:
        assert result.due_at_if_extended == add_calendar_days(result.due_at, days, NY)
    else:
        assert result.due_at_if_extended is None


@pytest.mark.parametrize(("lob", "rtype", "urgency"), [(MA, PARTB, STD), (COM, PRE, EXP)])
def test_extension_taken_where_none_is_allowed_is_invalid_input(
    lob: str, rtype: str, urgency: str
) -> None:
    with pytest.raises(InvalidInput, match="allows no extension"):
        compute(lob, rtype, urgency, ny("2026-06-01 09:00"), ext=True)


def test_rules_from_2026_cite_cms_0057_f_and_say_whether_extension_remains() -> None:
    for rule_id in ("MA-PRE-STD-2026", "MCD-PRE-STD-2026"):
        rule = next(r for r in RULES if r.rule_id == rule_id)
        assert "CMS-0057-F" in rule.citation
        assert "extension" in rule.text.lower() and "14" in rule.text
    medicaid = next(r for r in RULES if r.rule_id == "MCD-PRE-STD-2026")
    assert "rating period" in medicaid.text and "receipt date" in medicaid.text


@pytest.mark.parametrize(
    ("rule_id", "status"),
    [
        ("MA-PRE-STD-2024", Verification.verified),
        ("MA-PRE-EXP", Verification.verified),
        ("MA-PRE-STD-2026", Verification.partly_verified),
        ("MA-PARTB-STD", Verification.unverified),
        ("MA-PARTB-EXP", Verification.unverified),
        ("MCD-PRE-STD-2024", Verification.unverified),
        ("COM-PRE-STD", Verification.partly_verified),
        ("COM-PRE-URGENT", Verification.unverified),
        ("COM-POST-STD", Verification.unverified),
    ],
)
def test_facts_not_checked_against_primary_text_are_marked_unverified(
    rule_id: str, status: Verification
) -> None:
    rule = next(r for r in RULES if r.rule_id == rule_id)
    assert rule.verification is status
    if status is not Verification.verified:
        assert "Verify at eCFR" in rule.verification_note


def test_naive_received_at_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no time zone"):
        compute(MA, PRE, STD, datetime(2026, 6, 1, 9, 0))


def test_naive_now_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no time zone"):
        compute(MA, PRE, STD, ny("2026-06-01 09:00"), now=datetime(2026, 6, 2))


def test_due_date_refuses_naive_received_at_even_when_called_directly() -> None:
    with pytest.raises(InvalidInput):
        due_date(
            LineOfBusiness.medicaid,
            RequestType.pre_service,
            Urgency.standard,
            datetime(2026, 6, 1),
            False,
            NY,
        )


def test_unknown_line_of_business_is_refused_naming_the_allowed_values() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_input(
            DeadlineRequest,
            {
                "line_of_business": "medicare",
                "request_type": PRE,
                "urgency": STD,
                "received_at": "2026-06-01T09:00:00-04:00",
            },
        )
    assert "line_of_business" in str(err.value)
    assert "medicare_advantage" in str(err.value)


def test_engine_requires_now_rather_than_reading_the_clock() -> None:
    request = DeadlineRequest(
        line_of_business=LineOfBusiness.medicaid,
        request_type=RequestType.pre_service,
        urgency=Urgency.standard,
        received_at=ny("2026-06-01 09:00"),
    )
    with pytest.raises(InvalidInput, match="now is required"):
        decision_deadline(request, NY)


def test_output_reports_times_in_plan_time_zone() -> None:
    result = compute(MA, PRE, STD, datetime(2026, 6, 1, 13, 0, tzinfo=UTC))
    assert result.timezone == "America/New_York"
    assert result.received_at.isoformat() == "2026-06-01T09:00:00-04:00"
    assert result.due_at.isoformat() == "2026-06-08T09:00:00-04:00"
