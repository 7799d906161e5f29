"""The real-format evaluation set as data: its questions, and the checks that score an answer.

Importable without a model or an index (yaml and the standard library only), so that a tuning
script and the unit tests share exactly the rules benchmarks/realformat.py reports with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO / "evals" / "datasets" / "realformat"
DOCS = DATASET / "docs"
SPLITS = ("tuning", "heldout")
KINDS = ("answerable", "unanswerable", "decision_request")
LOBS = ("medicare_advantage", "medicaid", "commercial")
DENIAL_TAG = "mentions_denial"
MANIFEST_NAME = "careassist.yaml"


def questions_path(split: str) -> Path:
    return DATASET / f"questions-{split}.yaml"


# ---------------------------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question of a split, as REALFORMAT_SPEC.md defines it."""

    id: str
    split: str
    text: str
    kind: str
    tags: tuple[str, ...] = ()
    expected_doc: str | None = None
    expected_pinpoint: str | None = None
    must_include: tuple[Any, ...] = ()
    lob: str | None = None
    as_of: date | None = None

    @property
    def mentions_denial(self) -> bool:
        return DENIAL_TAG in self.tags


@dataclass
class Split:
    """The questions of one file, and why any entry (or the file) could not be used."""

    name: str
    path: Path
    exists: bool = False
    questions: list[Question] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _fact_items(value: Any) -> tuple[Any, ...]:
    items = value or []
    if not isinstance(items, list):
        raise ValueError("must_include is not a list")
    for item in items:
        if isinstance(item, dict):
            options = item.get("any_of")
            if not isinstance(options, list) or not options:
                raise ValueError(f"must_include item {item!r} has no any_of list")
        elif not isinstance(item, str | int | float):
            raise ValueError(f"must_include item {item!r} is neither a phrase nor any_of")
    return tuple(items)


def parse_question(row: Any, split: str) -> Question:
    """One YAML entry -> Question; ValueError says what is wrong with it."""
    if not isinstance(row, dict):
        raise ValueError(f"entry is not a mapping: {row!r:.60}")
    qid = str(row.get("id") or "").strip()
    text = str(row.get("question") or "").strip()
    if not qid or not text:
        raise ValueError(f"entry without id or question: {row!r:.80}")
    kind = str(row.get("kind") or "")
    if kind not in KINDS:
        raise ValueError(f"{qid}: kind {kind!r} is not one of {', '.join(KINDS)}")
    lob = row.get("lob")
    if lob not in (None, "", "all") and lob not in LOBS:
        raise ValueError(f"{qid}: lob {lob!r} is not one of {', '.join(LOBS)}")
    tags = row.get("tags") or []
    if not isinstance(tags, list):
        raise ValueError(f"{qid}: tags is not a list")
    try:
        as_of = _as_date(row.get("as_of"))
    except ValueError as exc:
        raise ValueError(f"{qid}: as_of {row.get('as_of')!r} is not a date") from exc
    try:
        facts = _fact_items(row.get("must_include"))
    except ValueError as exc:
        raise ValueError(f"{qid}: {exc}") from exc
    expected_doc = row.get("expected_doc")
    pinpoint = row.get("expected_pinpoint")
    return Question(
        id=qid,
        split=split,
        text=text,
        kind=kind,
        tags=tuple(str(t) for t in tags),
        expected_doc=str(expected_doc).strip() if expected_doc else None,
        expected_pinpoint=str(pinpoint).strip() if pinpoint else None,
        must_include=facts,
        lob=None if lob in (None, "", "all") else str(lob),
        as_of=as_of,
    )


def load_split(name: str, path: Path | None = None) -> Split:
    """Read one questions file; a missing, half-written or malformed file is a problem, no crash."""
    path = path or questions_path(name)
    split = Split(name, path)
    if not path.exists():
        split.problems.append(f"{path.name}: not written yet")
        return split
    split.exists = True
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        split.problems.append(f"{path.name}: not valid YAML ({str(exc).splitlines()[0]})")
        return split
    rows = data.get("questions") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        split.problems.append(f"{path.name}: no `questions` list")
        return split
    declared = data.get("split") if isinstance(data, dict) else None
    if declared not in (None, name):
        split.problems.append(f"{path.name}: declares split {declared!r}, read as {name!r}")
    seen: set[str] = set()
    for row in rows:
        try:
            q = parse_question(row, name)
        except ValueError as exc:
            split.problems.append(str(exc))
            continue
        if q.id in seen:
            split.problems.append(f"{q.id}: duplicate id, later entry ignored")
            continue
        seen.add(q.id)
        split.questions.append(q)
    return split


# ---------------------------------------------------------------------------------------------
# Fact matching: must_include phrases in an answer
# ---------------------------------------------------------------------------------------------

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_UNIT_VALUE = {w: i for i, w in enumerate(_UNITS)}
_ONE_TO_NINE = "|".join(_UNITS[1:10])
_COMPOUND_RE = re.compile(rf"\b({'|'.join(_TENS)})[- ]({_ONE_TO_NINE})\b")
_WORD_RE = re.compile(r"\b(" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r")\b")
_HUNDRED_RE = re.compile(r"\b(\d) hundred(?:(?: and)? (\d{1,2})\b)?")
_THOUSANDS_RE = re.compile(r"\b(\d{1,3}),(\d{3})\b")
_REPEAT_RE = re.compile(r"\b(\d+) \(\1\)")  # "seven (7) days" -> "7 days"
_UNIT_RE = re.compile(
    r"\b(\d+)[- ](calendar |business |working )?(hour|day|week|month|year|minute)s?\b"
)
_SECTION_SIGN_RE = re.compile(r"§\s*")


def normalize(text: str) -> str:
    """Lowercase; number words as digits; "72-hour" and "72 hours" alike; quotes, dashes, spaces.

    The rules of benchmarks/agent.py's normalize, with number words up to 999 (regulations say
    "ninety days" and "seventy-two hours", which agent.py's one-to-thirty does not reach).
    """
    t = text.lower()
    t = t.replace("\u2019", "'").replace("\u2018", "'")
    t = t.replace("\u201c", '"').replace("\u201d", '"')
    t = t.replace("\u2013", "-").replace("\u2014", "-").replace("\u2011", "-")
    t = t.replace("\u00a0", " ").replace("\u2026", " ")
    t = t.replace("**", "").replace("`", "")  # Markdown emphasis an answer may carry
    t = _COMPOUND_RE.sub(lambda m: str(_TENS[m.group(1)] + _UNIT_VALUE[m.group(2)]), t)
    t = _WORD_RE.sub(lambda m: str(_TENS.get(m.group(1), _UNIT_VALUE.get(m.group(1), 0))), t)
    t = _HUNDRED_RE.sub(lambda m: str(int(m.group(1)) * 100 + int(m.group(2) or 0)), t)
    t = _THOUSANDS_RE.sub(r"\1\2", t)
    t = _REPEAT_RE.sub(r"\1", t)
    t = _UNIT_RE.sub(lambda m: f"{m.group(1)} {m.group(2) or ''}{m.group(3)}s", t)
    t = _SECTION_SIGN_RE.sub("§ ", t)
    return " ".join(t.split())


def fact_options(item: Any) -> list[str]:
    if isinstance(item, dict):
        return [str(o) for o in item.get("any_of", [])]
    return [str(item)]


def fact_found(item: Any, text: str) -> bool:
    """A must_include item (a phrase or {any_of: [...]}) occurs in text, normalised."""
    haystack = normalize(text)
    return any(normalize(o) in haystack for o in fact_options(item) if o.strip())


def facts_found(items: tuple[Any, ...] | list[Any], text: str) -> list[bool]:
    return [fact_found(item, text) for item in items]


# ---------------------------------------------------------------------------------------------
# Source and pinpoint matching
# ---------------------------------------------------------------------------------------------


def canonical(ref: str) -> str:
    """Whitespace collapsed, "§ 4.1" as "§4.1"; designations keep their case ((i) is not (I))."""
    return re.sub(r"§\s+", "§", " ".join(ref.split())).strip(" .,;")


def _cited_refs(doc_id: str, citation: str) -> list[str]:
    """Each part of a citation string, read under its doc_id when it is a bare "§4.1"."""
    refs = []
    for part in citation.split(";"):
        part = canonical(part)
        if not part:
            continue
        refs.append(part)
        if doc_id and not part.startswith(canonical(doc_id)):
            refs.append(canonical(f"{doc_id} {part}"))
    return refs


def names_doc(ref: str, expected_doc: str) -> bool:
    """ref is the expected document or a place inside it ("42 CFR 438.408(b)", "UM-410 §4")."""
    ref, doc = canonical(ref), canonical(expected_doc)
    if not doc or not ref.startswith(doc):
        return False
    rest = ref[len(doc) :]
    # "42 CFR 438.40" must not claim "42 CFR 438.408", nor "NCD 240" claim "NCD 240.4".
    return rest == "" or rest[0] in " (§,;:"


def source_cited(citations: list[tuple[str, str]], expected_doc: str) -> bool:
    """Some (doc_id, citation) equals the expected document or starts with it."""
    return any(
        names_doc(ref, expected_doc)
        for doc_id, cite in citations
        for ref in [canonical(doc_id), *_cited_refs(doc_id, cite)]
    )


def under(ref: str, ancestor: str) -> bool:
    """ref is ancestor itself or a more specific paragraph/section beneath it."""
    ref, ancestor = canonical(ref), canonical(ancestor)
    if not ancestor or not ref.startswith(ancestor):
        return False
    rest = ref[len(ancestor) :]
    if rest == "":
        return True
    if rest[0] == "(":  # 438.408(b) > 438.408(b)(2); designations are closed: (2) is not (20)
        return True
    if rest[0] == "." and rest[1:2].isdigit():  # "UM-410 §4" > "UM-410 §4.1"
        return "§" in ancestor and ancestor[-1].isalnum()  # and "UM-710 §IV.B" > "§IV.B.2"
    if rest[0] == "." and rest[1:2].isalpha():  # an outline: "UM-710 §IV" > "UM-710 §IV.B"
        return "§" in ancestor and ancestor[-1].isalnum()
    # A bare document > its sections, numbered or named ("LCD L99901, Limitations").
    return rest.startswith((" §", " (", ", "))


# Pinpoints compare citation strings only: a doc_id alone says nothing about the paragraph.


def pinpoint_match(citations: list[tuple[str, str]], expected: str) -> bool:
    """A citation is the expected pinpoint or a more specific paragraph under it."""
    return any(under(ref, expected) for d, c in citations for ref in _cited_refs(d, c))


def pinpoint_exact_or_parent(citations: list[tuple[str, str]], expected: str) -> bool:
    """A citation is the expected pinpoint or one enclosing it (the right place, maybe coarse)."""
    return any(under(expected, ref) for d, c in citations for ref in _cited_refs(d, c))


def pinpoint_exact(citations: list[tuple[str, str]], expected: str) -> bool:
    want = canonical(expected)
    return any(ref == want for d, c in citations for ref in _cited_refs(d, c))


# ---------------------------------------------------------------------------------------------
# Which files hold a document: for baselines that cite a file, and to spot a missing one
# ---------------------------------------------------------------------------------------------

_CFR_RE = re.compile(r"^(\d+) CFR (\d+\.\d+(?:-\d+)?)$")
_NCD_RE = re.compile(r"^NCD (\d+(?:\.\d+)*)$")
_LCD_RE = re.compile(r"^LCD (L\d{5})$")


def doc_patterns(doc_id: str) -> list[re.Pattern[str]]:
    """How a file written to REALFORMAT_SPEC.md announces that it holds doc_id.

    Only headings and identifying lines, never the text at large: a cross-reference to
    "§ 438.408(f)(2)" inside § 431.221 must not make that file hold 42 CFR 438.408.
    """
    doc = canonical(doc_id)
    if m := _CFR_RE.match(doc):
        sec = re.escape(m.group(2))
        return [
            re.compile(rf"^\s*§\s*{sec}(?![\w.-]*\d)\s+\S", re.M),  # the section heading line
            # as a legal-information site titles it: "42 CFR § 422.590 - Timeframes ..."
            re.compile(rf"^\s*{m.group(1)}\s+CFR\s+§*\s*{sec}(?![\w.-]*\d)\s+\S", re.M),
            re.compile(rf"\bN=\"§\s*{sec}\""),  # eCFR XML <DIV8 N="§ 438.408">
        ]
    if m := _NCD_RE.match(doc):
        num = re.escape(m.group(1))
        return [
            re.compile(rf"\({num}\)"),
            # "NCD 190.11", and a coverage database page's tracking lines: "NCD ID: 190.11",
            # "Manual Section Number: 190.11".
            re.compile(
                rf"\b(?:NCD(?:\s*(?:ID|#|number))?|manual section number)\s*[:—–|]?\s*"
                rf"{num}(?![\d.]*\d)",
                re.I,
            ),
        ]
    if m := _LCD_RE.match(doc):
        num = re.escape(m.group(1))
        return [re.compile(rf"\({num}\)"), re.compile(rf"\bLCD\s*{num}\b")]
    esc = re.escape(doc).replace(r"\ ", r"\s+")
    return [
        re.compile(rf"^\s*Policy\s+Number:\s*{esc}\b", re.M | re.I),
        re.compile(rf"^\s*{esc}\b", re.M),  # a first or heading line naming it
        # a Federal Register rule's docket line: "[CMS-0057-F]", "Docket Number: CMS-0057-F"
        re.compile(rf"^\s*\[{esc}\]\s*$|Docket (?:Number|No\.?)s?:\s*{esc}\b", re.M | re.I),
    ]


def load_manifests(docs_dir: Path) -> dict[str, dict[str, Any]]:
    """file name (relative to docs_dir) -> the sidecar manifest's fields for it."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(docs_dir.rglob(MANIFEST_NAME)):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, OSError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        for name, fields in data.items():
            if isinstance(fields, dict):
                rel = (path.parent / str(name)).relative_to(docs_dir)
                out[str(rel)] = fields
    return out


def files_holding(
    doc_id: str,
    texts: dict[str, str],
    raw: dict[str, str] | None = None,
    manifests: dict[str, dict[str, Any]] | None = None,
) -> set[str]:
    """The files (keys of texts) that hold doc_id: by manifest, file stem or identifying line.

    texts holds each file's extracted text; raw, where given, its source (XML attributes).
    """
    found = {
        name
        for name, fields in (manifests or {}).items()
        if name in texts and canonical(str(fields.get("doc_id", ""))) == canonical(doc_id)
    }
    found |= {name for name in texts if Path(name).stem == doc_id}
    patterns = doc_patterns(doc_id)
    for name, text in texts.items():
        if name in found:
            continue
        sources = [text, (raw or {}).get(name, "")]
        if any(p.search(s) for p in patterns for s in sources if s):
            found.add(name)
    return found
