"""Timestamps outside 1900..2200 are refused as invalid input, never an OverflowError."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tools.context import parse_input
from tools.deadlines import DeadlineRequest, decision_deadline, due_date
from tools.enums import LineOfBusiness, RequestType, Urgency
from tools.errors import InvalidInput

NY = ZoneInfo("America/New_York")
EDGES = ["9999-12-31T23:59:59+00:00", "9999-12-31T20:00:00-05:00", "0001-01-01T00:00:00+14:00"]


def request(received: str, now: str = "2026-11-24T09:00:00-05:00") -> dict[str, str]:
    return {
        "line_of_business": "commercial",
        "request_type": "pre_service",
        "urgency": "standard",
        "received_at": received,
        "now": now,
    }


@pytest.mark.parametrize("received", [*EDGES, "1899-12-31T23:59:59+00:00", "2201-01-01T00:00Z"])
def test_received_at_outside_the_window_is_invalid_input(received: str) -> None:
    with pytest.raises(InvalidInput, match="between 1900 and 2200"):
        decision_deadline(parse_input(DeadlineRequest, request(received)), NY)


@pytest.mark.parametrize("now", EDGES)
def test_now_outside_the_window_is_invalid_input(now: str) -> None:
    with pytest.raises(InvalidInput, match="between 1900 and 2200"):
        decision_deadline(parse_input(DeadlineRequest, request("2026-11-20T09:00Z", now)), NY)


@pytest.mark.parametrize("received", ["1900-01-01T00:00:00Z", "2200-12-31T23:59:59Z"])
def test_the_window_edges_themselves_compute(received: str) -> None:
    result = decision_deadline(parse_input(DeadlineRequest, request(received)), NY)
    assert result.due_at > result.received_at


@pytest.mark.parametrize("received", EDGES)
def test_due_date_called_directly_refuses_out_of_window_receipts(received: str) -> None:
    with pytest.raises(InvalidInput, match="between 1900 and 2200"):
        due_date(
            LineOfBusiness.commercial,
            RequestType.pre_service,
            Urgency.standard,
            datetime.fromisoformat(received),
            False,
            NY,
        )


def test_a_zone_whose_offset_pushes_past_the_window_is_refused() -> None:
    # 2200-12-31 23:00 in New York is already 2201 in UTC: the window is on the instant.
    late = datetime(2200, 12, 31, 23, 0, tzinfo=NY)
    assert late.astimezone(UTC).year == 2201
    with pytest.raises(InvalidInput):
        parse_input(DeadlineRequest, request(late.isoformat()))
