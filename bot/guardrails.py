"""Checks that run on every reply, whichever engine wrote it.

- The assistant never states, recommends or implies a coverage decision about the case at hand
  (in any tense or mood, including that a member meets or fails criteria): such sentences are
  removed. Rule statements (conditions, what a plan or notice must do, items of a rule's list)
  are kept, so rule text quoted from policies and regulations passes untouched.
- Citations must point to passages retrieved in this turn: invented ones are removed with the
  claims they carried; and a cited sentence whose numbers, durations or named rules are not in
  the passage it cites is removed with its citation (drop_unsupported, run on model-written text).
- Text inside documents that tries to instruct the assistant is treated as data: it is never
  composed into an answer and never reaches a model as an instruction.
"""

import re
from collections.abc import Mapping
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
    r"(denied|approved|authori[sz]ed|not authori[sz]ed|rejected|declined|refused|granted|certified"
    r"|upheld|overturned|not medically necessary|medically necessary|not covered|covered"
    r"|not payable|payable)"
)
# Passive and copular forms in any tense or mood: "is denied", "should be approved", "would
# not be covered", "has been authorised", "needs to be denied".
_BE = (
    r"(?:is|are|was|were|has been|have been|had been|is being|is hereby|gets|got"
    r"|(?:will|would|should|shall|must|can|could|may|might|ought to|needs? to|has to|is to)"
    r"(?:\s+not|n't)?\s+(?:be|get)|isn't|aren't|wasn't|won't be|wouldn't be|shouldn't be)"
)
_THING = (
    r"(?:request|case|claim|service|procedure|authori[sz]ation|prior auth|admission|surgery|mri"
    r"|ct|scan|imaging|stay|referral|coverage|care|treatment|therapy|drug|medication|item|test"
    r"|visits?|extension|appeal|device|equipment|implant|infusion)"
)
# The specific thing at hand ("this", "the MRI", "C2000001"), as opposed to a kind of thing.
_THIS = (
    r"(?:(?:this|that|the|your|their|his|her|the member's|the patient's)\s+(?:\w+\s+){0,3}?"
    rf"{_THING}\b|C\d{{7}})"
)
_SUBJECT = rf"(?:{_THIS}|\bit\b|\bthis\b|\bthat\b|\bcoverage\b)"
_WHO = r"(?:\bI\b|\bwe\b|\byou\b|\bthe plan\b|\bour plan\b|\bthe health plan\b|\bcareassist\b)"
_AUX = (
    r"(?:can|could|may|might|should|would|will|must|shall|do|does|did|'d|'ll|won't|don't"
    r"|doesn't|didn't|can't|cannot|shouldn't|wouldn't|not|never|also|now|just|safely|simply"
    r"|need to|ought to|go ahead and|proceed to|are (?:free|able|clear|good) to|hereby|have|had)"
)
_ACT = (
    r"(?:approve|approved|deny|denied|authori[sz]e|authori[sz]ed|reject|rejected|decline|cover"
    r"|pay for|certify|refuse)"
)
_OBJECT = rf"(?:it|this|that|these|them|coverage|payment|{_THIS})"
_MEET = (
    r"(?:meets|met|satisfies|satisfied|fulfil+s|fulfil+ed|qualifies|qualified"
    r"|(?:does|do|did|has|have|will|would|should|appears to|seems to|does not appear to)"
    r"(?:\s+not|n't)?\s+(?:meet|met|satisfy|satisfied|qualify|fulfil+)|fails? to (?:meet|satisfy)"
    r"|failed to (?:meet|satisfy)|(?:clearly|fully|now|still) meets)"
)
_CRITERIA = (
    r"(?:criteria|criterion|requirements?|guidelines?|medical necessity|standards?|indications)"
)
DECISION_PATTERNS = tuple(
    re.compile(p, re.I)
    for p in (
        rf"{_SUBJECT}[^.;]{{0,60}}?\b{_BE}\s+(?:\w+ly\s+)?{_DECISION_WORDS}\b",
        rf"{_WHO}(?:\s+{_AUX})*\s+{_ACT}\s+{_OBJECT}",
        r"^\s*(?:please\s+)?(?:go ahead and\s+)?(?:approve|deny|authori[sz]e|reject|decline|cover)"
        r"\s+(?:it|this|that|the|C\d{7})\b",
        r"^\s*(?:approved|denied|authori[sz]ed|not authori[sz]ed|not covered)\s*(?:[.!]|$|for\b|:)",
        r"\b(?:determination|decision|recommendation|outcome)\s*(?:is\s*)?:?\s*"
        r"(?:approved?|denied|deny|denial|authori[sz]ed|not medically necessary)\b",
        r"\brecommend(?:s|ed|ing)?\s+(?:an?\s+|the\s+|that\s+(?:it|this|we|you)\s+)?"
        r"(?:denial|approval|approving|denying|authori[sz]ation|authori[sz]ing|deny|approve"
        r"|be (?:denied|approved))\b",
        r"\b(?:denial|approval|authori[sz]ation|coverage)\s+(?:is|would be|seems|appears|looks)"
        r"\s+(?:to be\s+)?(?:recommended|appropriate|warranted|justified|supported|indicated"
        r"|reasonable|the right (?:call|decision)|in order)\b",
        rf"(?:{_THIS}|\b(?:the|this) (?:member|patient|documentation|record|chart|submission)\b"
        rf"|\b(?:it|he|she|they)\b)\s+{_MEET}\b[^.;]{{0,40}}?\b{_CRITERIA}",
        r"\b(?:the|all|these|those|both|its|every|each|no)\s+(?:\w+\s+){0,3}?(?:criteria|criterion)"
        r"\s+(?:are|is|were|was|have been|has been|have|has)\s+(?:not\s+|all\s+|both\s+)?"
        r"(?:been\s+)?(?:met|satisfied|fulfil+ed)\b",
        r"^\s*(?:medical necessity\s+)?criteria\s+(?:not\s+)?met\b",
        r"\bmedical necessity\s+(?:is|was|has been|is not|isn't|was not|has not been)\s+"
        r"(?:not\s+)?(?:established|met|demonstrated|supported|shown|confirmed)\b",
    )
)
# A decision word inside a clause that states a condition or a rule is not a decision made:
# "If the request is denied, ...", "a notice must say why the request was denied".
SUBORDINATE_RE = re.compile(
    r"\b(if|when|whenever|unless|once|after|before|until|whether|where|why|how|in case"
    r"|provided|as long as|so long as)\b",
    re.I,
)
RULE_HEAD_RE = re.compile(
    r"\b(must|shall|may|might|required|requires?|need to|needs to|has to|have to|only)\b", re.I
)
DEICTIC_RE = re.compile(r"\b(this|that|it|these|C\d{7})\b", re.I)
CLAUSE_BREAK_RE = re.compile(r"[,;:(\u2014]|\s-\s")
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
    """True when a sentence states, recommends or implies a coverage decision about the case at
    hand, in any tense or mood (not a rule about decisions, nor a condition)."""
    text = CITATION_RE.sub("", sentence)
    for pattern in DECISION_PATTERNS:
        for m in pattern.finditer(text):
            if not _in_rule_or_condition(text, m):
                return True
    return False


def _in_rule_or_condition(text: str, m: re.Match[str]) -> bool:
    before = text[: m.start()]
    clause = CLAUSE_BREAK_RE.split(before)[-1]
    if SUBORDINATE_RE.search(clause) or RULE_HEAD_RE.search(clause):
        return True
    if ":" in before and _rule_lead_in(before[: before.rindex(":") + 1]):
        return True  # an item of a rule's list: "... not medically necessary when: ...; ..."
    # "Coverage can be approved when every criterion is met" and "If not medically necessary,
    # the claim is denied" are rules; "this should be denied if ..." speaks of the case at hand.
    generic = not DEICTIC_RE.search(m.group(0))
    return generic and bool(SUBORDINATE_RE.search(before) or SUBORDINATE_RE.search(text[m.end() :]))


@dataclass(frozen=True)
class Checked:
    text: str
    removed_decisions: int
    removed_citations: int
    cited: list[int]


LIST_ITEM_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|\([a-z0-9]{1,4}\)|[-*\u2022])\s+")
LEAD_IN_RE = re.compile(r"([^\n]*):\s*$")


def _rule_lead_in(line: str) -> bool:
    """A line introducing a list of conditions or rules ("... is not medically necessary when:")."""
    m = LEAD_IN_RE.search(line)
    return bool(m and (SUBORDINATE_RE.search(m.group(1)) or RULE_HEAD_RE.search(m.group(1))))


def answer_lines(text: str) -> list[tuple[str, list[str], bool]]:
    """(list marker and indent, sentences, is an item of a rule's list) for each answer line."""
    lines: list[tuple[str, list[str], bool]] = []
    lead = False
    for line in text.splitlines():
        m = LIST_ITEM_RE.match(line)
        if not m:
            lead = _rule_lead_in(line)
        prefix = m.group(0) if m else ""
        lines.append((prefix, sentences_of(line[len(prefix) :]), bool(m) and lead))
        if not line.strip():
            lead = False
    return lines


def units_of(text: str) -> list[tuple[str, bool]]:
    """The answer's sentences, each marked True when it is an item of a rule's list."""
    return [(s, in_list) for _, sentences, in_list in answer_lines(text) for s in sentences]


def _squash(text: str) -> str:
    return " ".join(text.replace("\u2026", " ").split()).lower()


def quotes_its_source(sentence: str, passages: Mapping[int, str], cites: list[int]) -> bool:
    """A sentence that is word for word in a passage it cites (its own markers, else those of
    its line, as in "... under this NCD. [1]"): the document's own rule ("... are excluded from
    coverage, and ... is not covered under this NCD"), not the assistant's decision about the
    case at hand."""
    numbers = [int(n) for n in CITATION_RE.findall(sentence)] or cites
    words = _squash(CITATION_RE.sub("", sentence)).rstrip(" ;")
    return bool(numbers and words) and any(words in _squash(passages.get(n, "")) for n in numbers)


def check_answer(
    text: str, allowed: set[int], passages: Mapping[int, str] | None = None
) -> Checked:
    """Drop decision sentences and sentences resting only on citations that do not exist.
    A sentence quoted word for word from a passage it cites (`passages`, by citation number)
    is the document's text and is kept. The answer keeps its lines and list markers: a quoted
    list stays a list."""
    quoted = passages or {}
    kept_lines: list[str] = []
    decisions = invented = 0
    for prefix, sentences, in_rule_list in answer_lines(text):
        kept: list[str] = []
        line_cites = [int(n) for s in sentences for n in CITATION_RE.findall(s)]
        for sentence in sentences:
            if (
                not in_rule_list
                and states_decision(sentence)
                and not quotes_its_source(sentence, quoted, line_cites)
            ):
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
        if kept:
            kept_lines.append(prefix + " ".join(kept))
    cleaned = "\n".join(kept_lines).strip()
    cited = sorted({int(n) for n in CITATION_RE.findall(cleaned)})
    return Checked(cleaned, decisions, invented, cited)


# ----- support: what a cited sentence states must be in what it cites ---------------------

UNITS = "one two three four five six seven eight nine".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORD_RE = re.compile(
    rf"\b(?:({'|'.join(TENS)})(?:[- ]({'|'.join(UNITS)}))?|({'|'.join(TEENS)})"
    rf"|({'|'.join(UNITS[1:])}))\b",
    re.I,
)


def _number_word(m: re.Match[str]) -> str:
    """ "seventy-two" -> "72"; "one" is left alone ("one of the following" is no count)."""
    tens, unit, teen, single = (g.lower() if g else g for g in m.groups())
    if tens:
        return str(20 + 10 * TENS.index(tens) + (UNITS.index(unit) + 1 if unit else 0))
    if teen:
        return str(10 + TEENS.index(teen))
    return str(UNITS.index(single) + 1)


NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
UNIT = r"(hours?|days?|weeks?|months?|years?|minutes?|visits?|percent)"
# "14 calendar days", "72-hour", "10 business days": a number with the unit it counts.
DURATION_RE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)[\s-]+(?:(?:calendar|business|working|consecutive|additional|more)"
    r"\s+)*" + UNIT + r"\b",
    re.I,
)
# Named rules: a document code (UM-104, MP-201), a CFR or U.S.C. cite, a section sign.
NAMED_RULE_RE = re.compile(
    r"\b[A-Z]{2,5}-\d{2,4}\b|\b\d+\s+(?:CFR|U\.S\.C\.)\s+\d+(?:\.\d+)*(?:\([a-z0-9]+\))*"
    r"|§\s*\d+(?:\.\d+)*"
)


def _normalise(text: str) -> str:
    text = NUMBER_WORD_RE.sub(_number_word, text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def _unit(word: str) -> str:
    word = word.lower()
    return word.rstrip("s")


def unsupported_details(sentence: str, passage: str) -> list[str]:
    """The numbers, durations and named rules a sentence states that its passage lacks."""
    claim = _normalise(CITATION_RE.sub("", sentence))
    source = _normalise(passage)
    source_numbers = set(NUMBER_RE.findall(source))
    source_durations = {(n, _unit(u)) for n, u in DURATION_RE.findall(source)}
    source_rules = {re.sub(r"\s+", "", r).upper() for r in NAMED_RULE_RE.findall(source)}
    missing: list[str] = []
    for rule in NAMED_RULE_RE.findall(claim):
        key = re.sub(r"\s+", "", rule).upper()
        # "42 CFR 422.572" is supported by a passage citing "422.572" in a list of cites.
        if key not in source_rules and not any(
            key.endswith(r) or r.endswith(key) for r in source_rules
        ):
            missing.append(rule)
    for number, unit in DURATION_RE.findall(claim):
        if (number, _unit(unit)) not in source_durations:
            missing.append(f"{number} {unit}")
    for number in NUMBER_RE.findall(NAMED_RULE_RE.sub("", claim)):
        if number not in source_numbers:
            missing.append(number)
    return list(dict.fromkeys(missing))


@dataclass(frozen=True)
class Supported:
    text: str
    removed: int


def drop_unsupported(text: str, passages: Mapping[int, str]) -> Supported:
    """Remove each cited sentence stating a number, duration or named rule that none of the
    passages it cites contains, with its citations (as an invented citation is removed)."""
    kept: list[str] = []
    removed = 0
    for line in text.splitlines():
        line_kept: list[str] = []
        for sentence in sentences_of(line):
            cited = [int(n) for n in CITATION_RE.findall(sentence)]
            sources = "\n".join(passages[n] for n in cited if n in passages)
            if sources and unsupported_details(sentence, sources):
                removed += 1
                continue
            line_kept.append(sentence.strip())
        kept.append(" ".join(line_kept))
    return Supported("\n".join(kept).strip(), removed)
