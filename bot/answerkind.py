"""What kind of value a question asks for, and whether a passage states a value of that kind.

"How many business days do we have to ...?" asks for a count of business days; "how often ...?"
for a frequency; "what's her copay?" for an amount of money; "what's the minimum score?" for a
number. When the unit an answer would quote states no value of the kind asked for, the documents
name the subject but not the figure: the near miss a similarity score cannot tell from an answer
(a section on restriction requests that sets no deadline for answering one). The composer then
abstains and shows the closest passages (bot/composer.py).

Measured on the real-format tuning half and the sample corpus before round r8 was written: the
rule fired on 24 of 108 unanswerable tuning questions and on 3 of 397 answerable ones (1 of 158
on the sample corpus); see the README's ninth-round paragraph for its blind reading.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from retrieval.text import codes_in

NUMBER_WORD = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|"
    r"twenty|thirty|forty|forty-five|sixty|ninety)"
)
# The units a time limit is stated in, when the question names none ("within how long").
TIME_UNITS = ("day", "hour", "week", "month", "year")


class ValueKind(StrEnum):
    DURATION = "duration"  # "how many (business) days", "within how long"
    FREQUENCY = "frequency"  # "how often"
    MONEY = "money"  # copays, fees, rates, penalties
    NUMBER = "number"  # "how many", "the minimum", "what score"
    CODE = "code"  # "which CPT codes", "what HCPCS code"


@dataclass(frozen=True)
class Asked:
    kind: ValueKind
    unit: str | None = None  # "day", "year" ... for DURATION; None: any time unit
    qualifier: str | None = None  # "business", "calendar", "working"


COUNT_Q_RE = re.compile(
    r"\bhow many (?:(business|calendar|working) )?(days?|hours?|weeks?|months?|years?|visits?|"
    r"sessions?|times?)\b|\bwithin how (?:many|long)\b|\bhow long\b",
    re.I,
)
FREQUENCY_Q_RE = re.compile(r"\bhow (?:often|frequently)\b", re.I)
MONEY_Q_RE = re.compile(
    # "fee-for-service" is a payment model, not a fee asked about.
    r"\b(?:copay\w*|co-pay\w*|coinsurance|out[- ]of[- ]pocket|per diem|fees?(?!-for)|"
    r"penalty|penalties|price|dollars?|amount in controversy)\b"
    r"|\bhow much (?:will|would|does|do|is|are|can|did)\b.{0,40}\b(?:pay|cost|owe|charge)"
    r"|\bwhat (?:will|would|does|do) \w+ (?:\w+ )?pay\b",
    re.I,
)
NUMBER_Q_RE = re.compile(
    r"\b(?:how many|max(?:imum)?|min(?:imum)?|what (?:percent|number|age|score|stage|grade|"
    r"level|amount)|how much|cap|limit)\b",
    re.I,
)

# A billing code asked for by its code system: "which CPT codes go on the claim", "which
# HCPCS/CPT codes does the program bill", "which G codes". "What does the code say" is no such ask.
CODE_Q_RE = re.compile(
    r"\b(?:which|what)(?: (?:cpt|hcpcs|icd(?:-10)?(?:-cm|-pcs)?|g|j|billing|procedure|diagnosis|"
    r"revenue)(?:/(?:cpt|hcpcs|icd-10))?)+ codes?\b",
    re.I,
)

FREQUENCY_RE = re.compile(
    r"\bevery\b|\bannual|\byearly\b|\bmonthly\b|\bweekly\b|\bonce\b|\bper (?:year|month|week)\b"
    r"|\btimes\b|\bintervals?\b|\bper\b",
    re.I,
)
MONEY_RE = re.compile(
    r"\$|\bpercent\b|%|\bno (?:charge|cost)\b|\bcost[- ]sharing\b|\bcopay\w*\b|\bcoinsurance\b"
    r"|\bfees?\b|\brate\b|\bpenalt",
    re.I,
)
NUMBER_RE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|once|twice|"
    r"single)\b",
    re.I,
)


def asked_values(question: str) -> list[Asked]:
    """Every kind of value the question asks for (a count of days is also a number)."""
    asked = []
    if m := COUNT_Q_RE.search(question):
        unit = m.group(2).lower().removesuffix("s") if m.group(2) else None
        qualifier = m.group(1).lower() if m.group(1) else None
        asked.append(Asked(ValueKind.DURATION, unit, qualifier))
    if FREQUENCY_Q_RE.search(question):
        asked.append(Asked(ValueKind.FREQUENCY))
    if MONEY_Q_RE.search(question):
        asked.append(Asked(ValueKind.MONEY))
    if NUMBER_Q_RE.search(question):
        asked.append(Asked(ValueKind.NUMBER))
    if CODE_Q_RE.search(question):
        asked.append(Asked(ValueKind.CODE))
    return asked


def _duration_re(asked: Asked) -> re.Pattern[str]:
    units = (asked.unit,) if asked.unit else TIME_UNITS
    qualifier = f"{asked.qualifier} " if asked.qualifier else r"(?:calendar |business |working )?"
    return re.compile(rf"\b{NUMBER_WORD}[- ](?:{qualifier})?(?:{'|'.join(units)})s?\b", re.I)


def states(asked: Asked, text: str) -> bool:
    """Whether `text` states a value of the kind asked for."""
    if asked.kind is ValueKind.DURATION:
        return bool(_duration_re(asked).search(text))
    if asked.kind is ValueKind.FREQUENCY:
        return bool(FREQUENCY_RE.search(text))
    if asked.kind is ValueKind.MONEY:
        return bool(MONEY_RE.search(text))
    if asked.kind is ValueKind.CODE:
        return bool(codes_in(text))
    return bool(NUMBER_RE.search(text))


def describe(asked: Asked) -> str:
    """What the passages lack, as a reader would say it ("no number of business days")."""
    if asked.kind is ValueKind.DURATION:
        unit = f"{asked.unit}s" if asked.unit else "days or hours"
        return f"no number of {asked.qualifier + ' ' if asked.qualifier else ''}{unit}"
    return {
        ValueKind.FREQUENCY: "no frequency",
        ValueKind.MONEY: "no amount of money",
        ValueKind.NUMBER: "no such number",
        ValueKind.CODE: "no billing code",
    }[asked.kind]


def unstated(question: str, text: str) -> list[Asked]:
    """The kinds of value the question asks for that `text` does not state."""
    return [a for a in asked_values(question) if not states(a, text)]
