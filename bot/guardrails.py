"""Checks that run on every reply, whichever engine wrote it.

- The assistant never states a coverage decision as made: such sentences are removed.
- Citations must point to passages retrieved in this turn: invented ones are removed with the
  claims they carried.
- Text inside documents that tries to instruct the assistant is treated as data: it is never
  composed into an answer and never reaches a model as an instruction.
"""

import re
from dataclasses import dataclass

DEFERRAL_NOTICE = (
    "The determination belongs to a clinician: careassist states criteria and evidence, "
    "it does not approve, deny or decide medical necessity."
)

INSTRUCTION_RE = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.]{0,40}\b(instructions?|prompts?|rules?|guardrails?)\b"
    r"|\b(system prompt|developer message|jailbreak)\b"
    r"|\byou are (now )?(an?|the) (ai|assistant|bot|model)\b"
    r"|\b(assistant|ai|model|bot)s?\s*(must|should|shall)\s+(always\s+)?(approve|deny|say|answer)\b"
    r"|\b(approve|deny|authori[sz]e)\s+(all|every|any)\s+(requests?|claims?|cases?)\b"
    r"|^\s*(assistant|system)\s*:",
    re.I,
)

_DECISION_WORDS = (
    r"(denied|approved|authori[sz]ed|rejected|certified|not medically necessary|medically necessary"
    r"|not covered|covered)"
)
DECISION_RE = re.compile(
    r"\b(this|the|your|that)\s+(request|case|claim|service|procedure|authori[sz]ation|admission"
    r"|surgery|mri|stay|referral)\b[^.;]{0,60}?\b(is|has been|was|will be|are|is hereby)\s+"
    + _DECISION_WORDS
    + r"\b"
    r"|\bI\s+(have\s+|hereby\s+|will\s+)?(approve|approved|deny|denied|authori[sz]e|authori[sz]ed"
    r"|reject|rejected)\b"
    r"|^\s*(approve|deny|authori[sz]e|reject)\s+(it|this|that|the)\b"
    r"|\b(determination|decision)\s*:\s*(approved?|denied|deny|authori[sz]ed)\b"
    r"|\b(we|careassist)\s+(approve|deny|approved|denied)\b",
    re.I,
)
CONDITIONAL_RE = re.compile(
    r"^\s*(if|when|whenever|unless|once|after|before|where|whether)\b", re.I
)
CITATION_RE = re.compile(r"\s?\[(\d{1,3})\]")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|(?<=\])\s+(?=[A-Z])")


def is_instruction_like(text: str) -> bool:
    return bool(INSTRUCTION_RE.search(text))


INSTRUCTION_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")


def strip_instructions(text: str) -> str:
    """The text with every sentence that tries to instruct the assistant removed."""
    lines = []
    for line in text.splitlines():
        kept = [s for s in INSTRUCTION_SPLIT_RE.split(line) if not is_instruction_like(s)]
        lines.append(" ".join(kept))
    return "\n".join(lines).strip()


def sentences_of(text: str) -> list[str]:
    return [s for s in SENTENCE_END_RE.split(text) if s.strip()]


def states_decision(sentence: str) -> bool:
    """True when a sentence states a coverage decision as made (not a rule about decisions)."""
    if CONDITIONAL_RE.search(sentence):
        return False
    return bool(DECISION_RE.search(CITATION_RE.sub("", sentence)))


@dataclass(frozen=True)
class Checked:
    text: str
    removed_decisions: int
    removed_citations: int
    cited: list[int]


def check_answer(text: str, allowed: set[int]) -> Checked:
    """Drop decision sentences and sentences resting only on citations that do not exist."""
    kept: list[str] = []
    decisions = invented = 0
    for sentence in sentences_of(text):
        if states_decision(sentence):
            decisions += 1
            continue
        numbers = [int(n) for n in CITATION_RE.findall(sentence)]
        bad = [n for n in numbers if n not in allowed]
        if bad:
            invented += len(bad)
            if len(bad) == len(numbers):
                continue  # the claim's only support was invented: drop the claim
            sentence = CITATION_RE.sub(
                lambda m: m.group(0) if int(m.group(1)) in allowed else "", sentence
            )
        kept.append(sentence.strip())
    cleaned = " ".join(kept).strip()
    cited = sorted({int(n) for n in CITATION_RE.findall(cleaned)})
    return Checked(cleaned, decisions, invented, cited)
