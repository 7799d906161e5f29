"""Case-note drafts: the request, the clinical information as provided, and each numbered
criterion marked met / not met / not documented by a keyword matcher a reviewer can follow.

The matcher is a reading aid, not a judgment: it finds the sentence of the documentation that
shares the most key terms with a criterion, calls it "not met" when that sentence negates it or
gives a smaller quantity than the criterion asks for ("3 weeks" against "at least 6 weeks"),
and "not documented" when no sentence shares enough terms. The clinician decides.
"""

import math
import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.completeness import CASE_NOTE, DRAFT_BANNER, CompletenessReport, check_elements
from tools.letters import environment

Status = Literal["met", "not met", "not documented"]
MATCHER_LABEL = (
    "Criterion status is a keyword match of the documentation against each numbered "
    "criterion, suggested by careassist to help the reviewer. It is not a clinical judgment: "
    "the clinician decides."
)
DETERMINATION = "Determination: pending clinician review"

STOPWORDS = frozenset(
    """a an the and or of to in on for with without by at from as is are was were be been has
    have had this that these those it its their member members patient record records
    documented documentation following least one all any such other more than within when
    which who whom must should may will can including include includes used use considered
    medically necessary criteria criterion request requested requests per prior after before
    has been is being there no not""".split()
)
NEGATION = re.compile(
    r"\b(no|not|denies|denied|without|never|none|negative for|absent|lacks?|lacking|"
    r"did not|does not|has not|have not|hasn't|didn't|doesn't|unable|declined|refused)\b",
    re.IGNORECASE,
)
QUANTITY = re.compile(r"(\d+(?:\.\d+)?)\s*(day|week|month|year|hour)s?\b", re.IGNORECASE)
AT_LEAST = re.compile(
    r"(?:at least|minimum of|more than|over|≥)\s*(\d+(?:\.\d+)?)\s*(day|week|month|year|hour)s?",
    re.IGNORECASE,
)
UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
ITEM_LINE = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$", re.MULTILINE)
MIN_OVERLAP = 0.34


class CriterionPassage(BaseModel):
    """A criteria passage as the retrieval layer returns it."""

    model_config = ConfigDict(extra="ignore")

    citation: str = Field(min_length=1, max_length=120)
    title: str = Field("", max_length=300)
    text: str = Field(min_length=1, max_length=20_000)


class CriterionFinding(BaseModel):
    number: int
    text: str
    status: Status
    evidence: str | None = None
    matched_terms: list[str] = Field(default_factory=list)
    explanation: str


class PassageFindings(BaseModel):
    citation: str
    title: str
    rule: Literal["all", "any"] = Field(
        description="Whether the passage asks for all of its criteria or at least one"
    )
    findings: list[CriterionFinding]


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def _terms(text: str) -> dict[str, str]:
    """Key terms of a text: stem -> the first word seen for it."""
    terms: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z][A-Za-z-]+", text):
        low = word.lower()
        if low in STOPWORDS or len(low) < 3:
            continue
        terms.setdefault(_stem(low), low)
    return terms


def _days(number: str, unit: str) -> float:
    return float(number) * UNIT_DAYS[unit.lower()]


def split_criteria(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The lead-in of a passage and its numbered criteria (the whole text if none)."""
    items = [(int(m.group(1)), m.group(2).strip()) for m in ITEM_LINE.finditer(text)]
    if not items:
        inline = re.split(r"(?:^|\s)(\d{1,2})\.\s+", text)
        if len(inline) >= 5:
            items = [(int(n), t.strip()) for n, t in zip(inline[1::2], inline[2::2], strict=True)]
            return inline[0].strip(), items
        return "", [(1, " ".join(text.split()))]
    first = ITEM_LINE.search(text)
    return (text[: first.start()].strip() if first else ""), items


def sentences(documentation: str) -> list[str]:
    parts = re.split(r"(?<=[.!?;])\s+|\n+", documentation)
    return [p.strip() for p in parts if len(p.strip()) > 2]


def assess_criterion(number: int, criterion: str, docs: list[str]) -> CriterionFinding:
    terms = _terms(criterion)
    if not terms:
        return CriterionFinding(
            number=number,
            text=criterion,
            status="not documented",
            explanation="the criterion has no key terms to look for",
        )
    floor = AT_LEAST.search(criterion)
    # Enough shared terms to call it the same topic: long criteria need at most four.
    required = max(1 if len(terms) <= 2 else 2, min(4, math.ceil(MIN_OVERLAP * len(terms))))
    best: tuple[int, str, list[str]] | None = None
    for sentence in docs:
        shared = [terms[s] for s in _terms(sentence) if s in terms]
        # A duration where the criterion sets a minimum duration is as telling as a term.
        count = len(shared) + (1 if floor and QUANTITY.search(sentence) else 0)
        if shared and (best is None or count > best[0]):
            best = (count, sentence, shared)
    if best is None or best[0] < required:
        return CriterionFinding(
            number=number,
            text=criterion,
            status="not documented",
            explanation="no sentence of the documentation shares enough key terms",
        )
    _, sentence, shared = best
    status: Status = "met"
    explanation = f"shares {len(shared)} of {len(terms)} key terms"
    found = QUANTITY.findall(sentence)
    if floor and found:
        number_, unit = max(found, key=lambda q: _days(*q))
        explanation += (
            f"; the documentation gives {number_} {unit.lower()}(s), the criterion asks for "
            f"{floor.group(0)}"
        )
        if _days(number_, unit) < _days(*floor.groups()):
            status = "not met"
    if status == "met" and NEGATION.search(sentence):
        status = "not met"
        explanation += "; the sentence is negated"
    return CriterionFinding(
        number=number,
        text=criterion,
        status=status,
        evidence=sentence,
        matched_terms=sorted(shared),
        explanation=explanation,
    )


def assess(passages: list[CriterionPassage], documentation: str) -> list[PassageFindings]:
    """Match the documentation against every numbered criterion of every passage."""
    docs = sentences(documentation)
    out = []
    for passage in passages:
        lead, items = split_criteria(passage.text)
        rule: Literal["all", "any"] = (
            "any" if re.search(r"\b(at least one|any one|one or more) of\b", lead, re.I) else "all"
        )
        out.append(
            PassageFindings(
                citation=passage.citation,
                title=passage.title,
                rule=rule,
                findings=[assess_criterion(n, t, docs) for n, t in items],
            )
        )
    return out


def missing_documentation(findings: list[PassageFindings]) -> list[str]:
    return [
        f"{p.citation} criterion {f.number}: {f.text}"
        for p in findings
        for f in p.findings
        if f.status == "not documented"
    ]


class CaseNoteFields(BaseModel):
    """What a case note says; stored with the draft as its fields. Minimum necessary: ids and
    the request, never the member's name, contact details or date of birth."""

    case_id: str
    member_id: str
    plan_id: str
    line_of_business: str
    service: str
    diagnosis_codes: list[str] = Field(default_factory=list)
    request_type: str
    urgency: str
    received_at: datetime
    due_at: datetime | None = None
    clinical_notes: str = ""
    reviewer_notes: str = ""
    criteria: list[str] = Field(default_factory=list)
    findings: list[PassageFindings] = Field(default_factory=list)
    missing_documentation: list[str] = Field(default_factory=list)
    clinical_information: list[str] = Field(default_factory=list)
    passages: list[CriterionPassage] = Field(
        default_factory=list, description="The criteria passages as supplied, for revisions"
    )

    @field_validator("clinical_notes", "reviewer_notes", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else value


def build_case_note(
    base: dict[str, Any], reviewer_notes: str, passages: list[CriterionPassage]
) -> CaseNoteFields:
    """Fields of a case note from the case values, the reviewer's notes and the criteria."""
    clinical = base.get("clinical_notes") or ""
    findings = assess(passages, f"{clinical}\n{reviewer_notes}")
    info = [" ".join(t.split()) for t in (clinical, reviewer_notes) if t.strip()]
    return CaseNoteFields(
        **base,
        reviewer_notes=reviewer_notes,
        criteria=[" ".join(f"{p.citation} {p.title}".split()) for p in passages],
        findings=findings,
        missing_documentation=missing_documentation(findings),
        clinical_information=info,
        passages=passages,
    )


def render_case_note(fields: CaseNoteFields) -> str:
    template = environment().get_template("case_note.txt.j2")
    body = template.render(
        banner=DRAFT_BANNER,
        f=fields,
        matcher_label=MATCHER_LABEL,
        determination=DETERMINATION,
        one_line=lambda s: " ".join(str(s).split()),
    )
    return re.sub(r"\n{3,}", "\n\n", body)


def check_case_note(text: str, fields: dict[str, Any] | None = None) -> CompletenessReport:
    """The case-note elements the text (and fields, if given) lacks."""
    return check_elements(CASE_NOTE, text, fields, payment=False)
