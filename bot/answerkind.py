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
    CONTACT = "contact"  # "what's the fax number", "the privacy office's email address"
    FORM = "form"  # "what form number", "which CMS model notice"
    NAME = "name"  # "which vendor", "which PBM": a company the plan works with


@dataclass(frozen=True)
class Asked:
    kind: ValueKind
    # "day", "year" ... for DURATION (None: any time unit); "dollar" for a MONEY sum asked.
    unit: str | None = None
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
    r"penalty|penalties|liquidated damages|price|dollars?|amount in controversy)\b"
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

# A way to reach someone, asked for as such: "what's the fax number", "mailing address".
CONTACT_Q_RE = re.compile(
    r"\b(?:fax|phone|telephone|toll[- ]free|hotline) (?:number|#|line)\b"
    r"|\be-?mail address\b|\bmailing address\b|\bweb ?address\b",
    re.I,
)
# A form or model notice asked for by its number.
FORM_Q_RE = re.compile(
    r"\bform (?:number|#|no\b)|\b(?:what|which) form\b|\bnotice number\b|\bmodel notice\b", re.I
)
# A company asked for by what it does for the plan: "which interpreter vendor", "which PBM".
NAME_Q_RE = re.compile(
    r"\b(?:which|what) (?:\w+ ){0,2}(?:vendor|pbm|cvo|company|contractor|subcontractor|"
    r"clearinghouse)s?\b|\bwho (?:is|are) (?:our|the) (?:\w+ )?vendors?\b",
    re.I,
)

DOLLAR_Q_RE = re.compile(r"\bdollars?\b|\$", re.I)
# Kinds asked for by one pattern each and stated by one pattern each (`STATED_BY`).
ASKED_BY = (
    (ValueKind.CODE, CODE_Q_RE),
    (ValueKind.CONTACT, CONTACT_Q_RE),
    (ValueKind.FORM, FORM_Q_RE),
    (ValueKind.NAME, NAME_Q_RE),
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
DOLLARS_RE = re.compile(r"\$\s?\d|\b\d[\d,.]* dollars\b", re.I)
CONTACT_RE = re.compile(
    r"\(?\b\d{3}\)?[-. ]\d{3}[-.]\d{4}\b|\b[\w.+-]+@[\w-]+\.[\w.]+\b|\bhttps?://|\bwww\."
    r"|\bP\.?\s?O\.? Box\b"
    r"|\b\d{1,5} [A-Z][a-z]+ (?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Drive|Suite)\b",
    re.I,
)
# "Form CMS-10003", "CMS-1696", "MEHP-IG-02": a form or notice named by its number.
FORM_RE = re.compile(
    r"\b[A-Z]{2,6}-?\d{2,6}[A-Z]?(?:-[A-Z0-9]+)*\b|\b[A-Z]{2,6}(?:-[A-Z]{1,4})?-\d{2,4}\b"
    r"|\b(?:form|notice) (?:no\.? |number |#)?[A-Z0-9-]*\d"
)
# A company named where the plan's work is handed to it ("our PBM, Northwind Rx"), or by its
# corporate suffix.
NAME_RE = re.compile(
    r"\b(?:vendor|PBM|CVO|contractor|subcontractor|delegate|clearinghouse|contract(?:s|ed)? with)"
    r"\b[^.;]{0,60}?\b[A-Z][A-Za-z&]+(?: [A-Z][A-Za-z&]+)+"
    r"|\b[A-Z][\w&]+(?: [A-Z][\w&]+)* (?:Inc\.?|LLC|Corp\.?|Corporation)(?!\w)"
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
        # "what's her dollar copay" wants a sum: "cost sharing applies" does not give one.
        dollars = DOLLAR_Q_RE.search(question)
        asked.append(Asked(ValueKind.MONEY, "dollar" if dollars else None))
    if NUMBER_Q_RE.search(question):
        asked.append(Asked(ValueKind.NUMBER))
    asked.extend(Asked(kind) for kind, pattern in ASKED_BY if pattern.search(question))
    return asked


def _duration_re(asked: Asked) -> re.Pattern[str]:
    units = (asked.unit,) if asked.unit else TIME_UNITS
    qualifier = f"{asked.qualifier} " if asked.qualifier else r"(?:calendar |business |working )?"
    return re.compile(rf"\b{NUMBER_WORD}[- ](?:{qualifier})?(?:{'|'.join(units)})s?\b", re.I)


STATED_BY = {ValueKind.CONTACT: CONTACT_RE, ValueKind.FORM: FORM_RE, ValueKind.NAME: NAME_RE}


def states(asked: Asked, text: str) -> bool:
    """Whether `text` states a value of the kind asked for."""
    if asked.kind is ValueKind.DURATION:
        return bool(_duration_re(asked).search(text))
    if asked.kind is ValueKind.FREQUENCY:
        return bool(FREQUENCY_RE.search(text))
    if asked.kind is ValueKind.MONEY:
        return bool((DOLLARS_RE if asked.unit == "dollar" else MONEY_RE).search(text))
    if asked.kind is ValueKind.CODE:
        return bool(codes_in(text))
    if asked.kind in STATED_BY:
        return bool(STATED_BY[asked.kind].search(text))
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
        ValueKind.CONTACT: "no phone or fax number, email or mailing address",
        ValueKind.FORM: "no form or notice number",
        ValueKind.NAME: "no company or vendor by name",
    }[asked.kind]


def unstated(question: str, text: str) -> list[Asked]:
    """The kinds of value the question asks for that `text` does not state."""
    return [a for a in asked_values(question) if not states(a, text)]
