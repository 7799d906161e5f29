"""The completeness checker for denial letters and case notes, and the element specs it reads.

The required elements live in templates/letter_elements.yaml (data compliance staff edit, with
a schema here). The checker reads the rendered text, not the template variables: an element is
present only when its wording is in the letter and its "Label: value" lines carry real values,
so a sentence deleted by hand or a field left empty is reported, whatever produced the text.
Elements tagged S or V rest on regulatory text not checked against the primary source
(docs/regulatory-basis.md); reports list them so nobody mistakes them for verified law.
Rendering lives in tools.letters (letters) and tools.casenotes (case notes).
"""

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.enums import LineOfBusiness, RequestType
from tools.errors import InvalidInput

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
DRAFT_BANNER = "DRAFT — requires clinician review and signature; not sent"


# Values a person leaves in a slot meaning "fill me in later".
PLACEHOLDERS = frozenset(
    {"tbd", "tba", "todo", "n/a", "na", "none", "null", "unknown", "xxx", "pending", "?", "..."}
)
BRACKETED = re.compile(r"^\s*(\[.*\]|<.*>|\{.*\}|\(.*\))\s*$")


class LetterProgram(StrEnum):
    """Which notice rules apply: the line of business, with Part B drugs apart in MA."""

    medicare_advantage = "medicare_advantage"
    medicare_part_b_drug = "medicare_part_b_drug"
    medicaid = "medicaid"
    commercial = "commercial"


CASE_NOTE = "case_note"


class Verification(StrEnum):
    primary = "P"
    secondary = "S"
    unverified = "V"
    policy = "policy"


class RequiredElement(BaseModel):
    """One thing a notice must say, how to recognise it, and where the rule comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    citation: str
    verification: Verification
    note: str = ""
    slots: tuple[str, ...] = ()
    field: str | None = None
    patterns: tuple[str, ...] = ()
    min_words: int = Field(1, ge=1)
    vague: tuple[str, ...] = ()
    when: Literal["always", "service", "payment"] = "always"

    @model_validator(mode="after")
    def _recognisable(self) -> "RequiredElement":
        if not (self.slots or self.patterns):
            raise ValueError(f"element {self.id} needs slots or patterns to be checked")
        for pattern in (*self.patterns, *self.vague):
            re.compile(pattern)
        return self

    @property
    def unverified(self) -> bool:
        return self.verification in {Verification.secondary, Verification.unverified}

    def applies(self, payment: bool) -> bool:
        return self.when == "always" or (self.when == "payment") == payment


class ProgramSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    regulation: str
    elements: tuple[RequiredElement, ...]


# A reason that says only this is not a reason (UM-105 §2.2).
VAGUE_REASONS = (
    r"^(the )?(request|service|care|item)?\s*(is|was)?\s*not medically necessary\.?$",
    r"^(does|did) not meet (the )?criteria\.?$",
    r"^(not covered|denied|criteria not met|medical necessity not met)\.?$",
)


@cache
def element_specs() -> dict[str, ProgramSpec]:
    """Every program's required elements, validated on load (extends and shared ids resolved)."""
    raw = yaml.safe_load((TEMPLATES_DIR / "letter_elements.yaml").read_text(encoding="utf-8"))
    shared = {k: {"id": k, **v} for k, v in raw.get("shared", {}).items()}
    specs: dict[str, ProgramSpec] = {}
    for name, body in raw["programs"].items():
        items: list[dict[str, Any]] = []
        if "extends" in body:
            items = [e.model_dump() for e in specs[body["extends"]].elements]
        for item in body["elements"]:
            entry = shared[item] if isinstance(item, str) else item
            if entry.get("slots") == ["Reason"]:
                entry = {**entry, "vague": entry.get("vague", VAGUE_REASONS)}
            at = next((i for i, e in enumerate(items) if e["id"] == entry["id"]), None)
            if at is None:
                items.append(entry)
            else:
                items[at] = entry
        elements = tuple(RequiredElement.model_validate(_with_note(e)) for e in items)
        ids = [e.id for e in elements]
        if len(ids) != len(set(ids)):
            raise ValueError(f"program {name} lists an element twice")
        specs[name] = ProgramSpec(
            name=name, title=body["title"], regulation=body["regulation"], elements=elements
        )
    lacking = ({p.value for p in LetterProgram} | {CASE_NOTE}) - specs.keys()
    if lacking:
        raise ValueError(f"letter_elements.yaml lacks programs: {sorted(lacking)}")
    return specs


def _with_note(entry: dict[str, Any]) -> dict[str, Any]:
    """Every element resting on an unverified rule says so, even if the data forgot to."""
    if entry.get("verification") in {"S", "V"} and not entry.get("note"):
        source = "a secondary source" if entry["verification"] == "S" else "no primary text"
        return {
            **entry,
            "note": f"Tagged [{entry['verification']}] ({source}) in docs/regulatory-basis.md: "
            "verify at eCFR before production use.",
        }
    return entry


def required_elements(program: LetterProgram | str) -> tuple[RequiredElement, ...]:
    return element_specs()[program_name(program)].elements


def program_for(lob: LineOfBusiness | str, request_type: RequestType | str) -> LetterProgram:
    """The notice rules for a case: its line of business, or MA Part B drug rules."""
    lob, request_type = LineOfBusiness(lob), RequestType(request_type)
    if request_type is RequestType.part_b_drug:
        if lob is not LineOfBusiness.medicare_advantage:
            raise InvalidInput(
                f"a Part B drug request belongs to Medicare Advantage, not {lob.value}"
            )
        return LetterProgram.medicare_part_b_drug
    return LetterProgram(lob.value)


def program_name(program: LetterProgram | LineOfBusiness | str) -> str:
    name = str(program.value if isinstance(program, StrEnum) else program)
    if name not in element_specs():
        known = ", ".join(sorted(element_specs()))
        raise InvalidInput(f"unknown letter program '{name}'; known: {known}")
    return name


# ----- reading a letter back -------------------------------------------------------------


def slot_values(text: str, label: str) -> list[str]:
    """Values of the "Label: value" lines (optionally bulleted, optionally "Label (note):")."""
    pattern = re.compile(
        rf"^[ \t]*(?:[-*•][ \t]+)?{re.escape(label)}(?:[ \t]*\([^)\n]*\))?:[ \t]*(.*)$",
        re.MULTILINE,
    )
    return [m.group(1).strip() for m in pattern.finditer(text)]


def meaningful(value: Any, min_words: int = 1, vague: Sequence[str] = ()) -> bool:
    """True when a slot or field holds a real value rather than nothing or a placeholder."""
    if isinstance(value, list | tuple):
        return any(meaningful(v, min_words, vague) for v in value)
    if value is None:
        return False
    text = " ".join(str(value).split()).strip(" .;:-")
    if not text or text.lower() in PLACEHOLDERS or BRACKETED.match(text):
        return False
    if not re.search(r"[^\W_]", text):
        return False
    if len(re.findall(r"[^\W_]+", text)) < min_words:
        return False
    return not any(re.match(p, text, re.IGNORECASE) for p in vague)


class ElementResult(BaseModel):
    id: str
    description: str
    citation: str
    verification: Verification
    note: str = ""
    why: str = Field("", description="What the checker did not find")


class Readability(BaseModel):
    """A simple plain-language check: sentence length and a Flesch-Kincaid grade estimate."""

    sentences: int
    words: int
    avg_sentence_words: float
    longest_sentence_words: int
    long_sentences: int = Field(description="Sentences over 25 words")
    grade: float = Field(description="Flesch-Kincaid grade level (syllables estimated)")


class CompletenessReport(BaseModel):
    program: str
    payment: bool = False
    complete: bool
    missing: list[ElementResult]
    present: list[str]
    unverified: list[ElementResult] = Field(
        description="Present elements that rest on rules tagged S or V: verify at eCFR "
        "before production use"
    )
    readability: Readability
    warnings: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        if self.complete:
            return f"complete: all {len(self.present)} required elements present"
        return "missing: " + ", ".join(m.id for m in self.missing)


class LetterDraft(BaseModel):
    """A rendered letter with the structured fields it was rendered from."""

    program: str
    payment: bool = False
    fields: dict[str, Any]
    body: str


def check_letter(
    program: LetterProgram | LineOfBusiness | str,
    letter: str | LetterDraft,
    *,
    payment: bool | None = None,
) -> CompletenessReport:
    """List the required elements a letter lacks, reading its text (and fields, if given).

    `program` is a LetterProgram or a line of business; `letter` is the rendered text or a
    LetterDraft (whose fields must be filled as well). `payment` selects the rules for a request
    to pay for care already received (an MA payment denial has no expedited appeal).
    """
    name = program_name(program)
    fields: Mapping[str, Any] | None = None
    if isinstance(letter, LetterDraft):
        text, fields = letter.body, letter.fields
        payment = letter.payment if payment is None else payment
    else:
        text = letter
    return check_elements(name, text, fields, bool(payment))


def check_elements(
    name: str, text: str, fields: Mapping[str, Any] | None, payment: bool
) -> CompletenessReport:
    missing: list[ElementResult] = []
    present: list[str] = []
    unverified: list[ElementResult] = []
    for element in element_specs()[name].elements:
        if not element.applies(payment):
            continue
        why = _absent(element, text, fields)
        result = ElementResult(**element.model_dump(include=set(ElementResult.model_fields)))
        if why:
            missing.append(result.model_copy(update={"why": why}))
        else:
            present.append(element.id)
            if element.unverified:
                unverified.append(result)
    score = readability(text)
    # Plain language is owed to members; an internal case note quotes criteria verbatim.
    warnings = [] if name == CASE_NOTE else plain_language_warnings(score)
    return CompletenessReport(
        program=name,
        payment=payment,
        complete=not missing,
        missing=missing,
        present=present,
        unverified=unverified,
        readability=score,
        warnings=warnings,
    )


def plain_language_warnings(score: "Readability") -> list[str]:
    warnings = []
    if score.avg_sentence_words > 15:
        warnings.append(
            f"average sentence length is {score.avg_sentence_words:.1f} words; plain language "
            "aims for 15 or fewer (UM-105 §2.1)"
        )
    if score.long_sentences:
        warnings.append(f"{score.long_sentences} sentence(s) have more than 25 words")
    return warnings


def _absent(element: RequiredElement, text: str, fields: Mapping[str, Any] | None) -> str:
    """Why the element is missing, or "" when it is present."""
    for label in element.slots:
        values = slot_values(text, label)
        if not values:
            return f"no '{label}:' line in the letter"
        if not any(meaningful(v, element.min_words, element.vague) for v in values):
            return f"the '{label}:' line is empty, a placeholder or too vague"
    for pattern in element.patterns:
        if not re.search(pattern, text, re.IGNORECASE | re.MULTILINE):
            return f"the letter lacks the required wording (/{pattern}/)"
    if fields is not None and element.field is not None:
        value = fields.get(element.field)
        if not meaningful(value, element.min_words, element.vague):
            return f"the field '{element.field}' is empty or a placeholder"
    return ""


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[A-Za-zÀ-ÿ0-9']+")
LABEL_LINE = re.compile(r"^\s*(?:[-*•]\s+)?[A-Z][\w /()-]{0,40}:\s")


def readability(text: str) -> Readability:
    """Sentence statistics over the prose of a letter (headings and label lines skipped)."""
    sentences: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line == DRAFT_BANNER or LABEL_LINE.match(line):
            continue
        if not line.endswith((".", "!", "?", ")")):
            continue
        for sentence in SENTENCE_END.split(line):
            words = WORD.findall(sentence)
            if len(words) >= 2:
                sentences.append(words)
    if not sentences:
        return Readability(
            sentences=0,
            words=0,
            avg_sentence_words=0.0,
            longest_sentence_words=0,
            long_sentences=0,
            grade=0.0,
        )
    words = [w for s in sentences for w in s]
    syllables = sum(_syllables(w) for w in words)
    avg = len(words) / len(sentences)
    return Readability(
        sentences=len(sentences),
        words=len(words),
        avg_sentence_words=round(avg, 1),
        longest_sentence_words=max(len(s) for s in sentences),
        long_sentences=sum(len(s) > 25 for s in sentences),
        grade=round(0.39 * avg + 11.8 * syllables / len(words) - 15.59, 1),
    )


def _syllables(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return 1
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups) - (1 if word.endswith("e") and len(groups) > 1 else 0)
    return max(count, 1)
