"""Shapes of the identifiers and codes the tools accept; other code pattern-matches these.

Validators return the normalised value or raise InvalidInput naming what was wrong, so bad input
is refused before any query runs (and so before anything is read or audited).
"""

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator

from tools.errors import InvalidInput

# ASCII digits only: `\d` also matches other scripts' digits ("M١٠٠٠٠٠١"), which no id has.
MEMBER_ID_RE = re.compile(r"^M[0-9]{7}$")
CASE_ID_RE = re.compile(r"^C[0-9]{7}$")
NPI_RE = re.compile(r"^[0-9]{10}$")
PLAN_ID_RE = re.compile(r"^PLN-[A-Z]{2,4}-[0-9]{2}$")
USER_ID_RE = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
# Letters (any script), spaces, hyphens, apostrophes and dots: what real names contain.
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '.\-][^\W\d_]*)*$")

# The NPI check digit is Luhn over the number prefixed with 80840 (the US health industry
# prefix), which contributes a constant 24 to the sum.
NPI_PREFIX_SUM = 24


def _check(value: str, pattern: re.Pattern[str], what: str, shape: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise InvalidInput(f"{_show(value)} is not a {what}: expected {shape}")
    return value


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


def member_id(value: str) -> str:
    return _check(value.strip().upper(), MEMBER_ID_RE, "member id", "M followed by 7 digits")


def case_id(value: str) -> str:
    return _check(value.strip().upper(), CASE_ID_RE, "case id", "C followed by 7 digits")


def plan_id(value: str) -> str:
    return _check(value.strip().upper(), PLAN_ID_RE, "plan id", "e.g. PLN-MA-01")


def user_id(value: str) -> str:
    return _check(value.strip().lower(), USER_ID_RE, "user id", "e.g. ur.blake")


def npi_check_digit(first_nine: str) -> int:
    total = NPI_PREFIX_SUM
    for i, ch in enumerate(reversed(first_nine)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def npi(value: str) -> str:
    value = _check(value.strip(), NPI_RE, "NPI", "10 digits")
    if npi_check_digit(value[:9]) != int(value[9]):
        raise InvalidInput(f"{value} is not a valid NPI: the check digit does not match")
    return value


def person_name(value: str) -> str:
    text = " ".join(value.split())
    if not 1 <= len(text) <= 100 or not NAME_RE.match(text):
        raise InvalidInput(
            "a name may hold only letters, spaces, hyphens, apostrophes and dots (1-100 characters)"
        )
    return text


def aware(value: datetime, what: str = "timestamp") -> datetime:
    """Refuse naive datetimes: a deadline computed from a guessed zone is a wrong deadline."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            f"{what} {value.isoformat()} has no time zone; give an offset such as "
            f"{value.isoformat()}-05:00 or {value.isoformat()}Z"
        )
    return value


def ordered(start: date, end: date | None, what: str = "period") -> None:
    if end is not None and end < start:
        raise InvalidInput(f"the {what} ends ({end}) before it starts ({start})")


MemberId = Annotated[str, AfterValidator(member_id)]
CaseId = Annotated[str, AfterValidator(case_id)]
PlanId = Annotated[str, AfterValidator(plan_id)]
Npi = Annotated[str, AfterValidator(npi)]
UserId = Annotated[str, AfterValidator(user_id)]
PersonName = Annotated[str, AfterValidator(person_name)]
