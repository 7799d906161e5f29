"""Split a document along its own structure into chunks of citable units.

A section (a heading) holds paragraphs and lists. Regulation paragraphs carry designations, which
nest ((b) > (1) > (i)); a paragraph ending in ":" introduces the list items or lower paragraphs
after it. Each paragraph or list item is a `Unit` with its pinpoint citation (`42 CFR
438.408(b)(2)`, `UM-105 §4.1`) and the index of the unit that introduces it, so an answer can
quote whole units and never a lead-in without its items. A chunk is a run of whole subtrees that
fits the word budget; a subtree too big for one chunk is split at its children, and the lead-ins
above a piece travel with it as context.
"""

import hashlib
import json
import re
from dataclasses import dataclass, replace

from retrieval.designations import ROMAN, designate, split_inline
from retrieval.documents import Chunk, Document, Unit

HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# "45 CFR Part 156", "42 U.S.C. 1395" open with a title number, not a section number.
SECTION_NUMBER_RE = re.compile(
    r"^(?:§\s*)?(\d{1,3}(?:\.\d{1,3})*)\.?(?:\s|$)(?!\s*(?:C\.?F\.?R|U\.?S\.?C|FR)\b)"
)
# "B. Nationally Covered Indications": the lettered sections of coverage documents (and the
# subsections of an outline policy).
SECTION_LETTER_RE = re.compile(r"^([A-Z])\.\s+[A-Z]")
# A policy written as an outline: "IV. PROCEDURE" > "B. Decision Timeframe" > "2." > "a.",
# cited "UM-710 §IV.B.2". A lone I, V or X is a numeral only where the outline expects one.
ROMAN_HEADING_RE = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\.\s+\S")
OUTLINE_LETTER_RE = re.compile(r"^([A-Z])\.\s+\S")
OUTLINE_ANCHOR_RE = re.compile(r"§[IVX]+\.[A-Z]$")
ITEM_LABEL_RE = re.compile(r"^(\d{1,2}|[a-z])[.)]\s")
# "42 CFR 438.404(b)(2)", "29 CFR 2560.503-1(g)(1)", "45 CFR 164.502(b)".
CFR_RE = re.compile(
    r"\b(\d{1,2})\s*C\.?F\.?R\.?\s*(?:§+\s*)?"
    r"(\d{1,4}\.\d{1,4}(?:-\d+)?(?:\([a-zA-Z0-9]{1,5}\))*)"
)
# "5.3 A denial notice must ...": a numbered paragraph of a policy section.
NUMBERED_PARA_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s+(?=[A-Z])")
# "89 FR 8758": a Federal Register page, the anchor for rules not yet codified.
FR_RE = re.compile(r"\b(\d{2,3})\s+FR\s+(\d{3,6})\b")
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(\"'])")
ITEM_RE = re.compile(r"^(\s*)([-*+•]|\d{1,2}[.)]|[a-z][.)])\s+(.*)$")
LEAD_IN_RE = re.compile(r"(:|—|--|following\.?)\s*$", re.I)
# A paragraph (not a list item, which may point at a later table) may also end "... the
# conditions below." or "... as follows.".
PARA_LEAD_IN_RE = re.compile(r"(\bbelow|\bas follows)\.\s*$", re.I)
# Cross-references: "§ 438.402(c)(1)(ii)", "paragraph (b)(2) of this section", "section 4.1".
SECTION_REF_RE = re.compile(r"§§?\s*(\d{1,4}\.\d{1,4}(?:-\d+)?)((?:\([a-zA-Z0-9]{1,5}\))*)")
PARAGRAPH_REF_RE = re.compile(r"\bparagraphs?\s+((?:\([a-zA-Z0-9]{1,5}\))+)(?!\s+of\s+§)")
POLICY_REF_RE = re.compile(
    r"\bsection\s+(\d{1,2}(?:\.\d{1,2})+|\d{1,2}\b|[IVX]{1,4}\.[A-Z](?:\.\d{1,2})?\b)", re.I
)


@dataclass
class _Section:
    path: list[str]
    lines: list[str]


class _Outline:
    """Heading levels of an outline policy. Readers often set "IV. PROCEDURE" and its
    "B. Decision Timeframe" in the same type, so the letters under a numeral sit a level below
    it whatever level they came with."""

    def __init__(self) -> None:
        self.numeral_level: int | None = None
        self.expected = 1  # the value of the next numeral
        self.last_letter = ""

    def level(self, heading: str, level: int) -> int:
        numeral = roman_numeral(heading)
        # "I. PURPOSE" opens an outline; "III." is a numeral wherever it stands, but a lone I
        # after H (or V after U) is a letter, and so is a lone I once the outline is past it.
        lone = numeral is not None and len(numeral) == 1
        if numeral and not (
            lone
            and (
                roman_value(numeral) < self.expected
                or (self.last_letter and ord(numeral) == ord(self.last_letter) + 1)
            )
        ):
            self.numeral_level, self.last_letter = level, ""
            self.expected = roman_value(numeral) + 1
            return level
        letter = OUTLINE_LETTER_RE.match(heading)
        if self.numeral_level is not None:
            if letter and level <= self.numeral_level + 1:
                self.last_letter = letter.group(1)
                return self.numeral_level + 1
            if level <= self.numeral_level:
                self.numeral_level, self.expected = None, 1  # the outline has ended
        elif letter:
            self.last_letter = letter.group(1)
        return level


@dataclass
class _Node:
    """A paragraph or list item before packing: its unit and the indexes of its children."""

    unit: Unit
    children: list[int]
    words: int


def roman_value(numeral: str) -> int:
    return ROMAN[numeral.lower()]


def roman_numeral(heading: str) -> str | None:
    """The numeral opening an outline heading ("IV. PROCEDURE" -> "IV"), the ones
    retrieval.designations reads (to XXV)."""
    m = ROMAN_HEADING_RE.match(heading)
    return m.group(1) if m and m.group(1).lower() in ROMAN else None


def section_number(heading: str) -> str | None:
    m = SECTION_NUMBER_RE.match(heading)
    if m:
        return m.group(1)
    m = SECTION_LETTER_RE.match(heading)
    return m.group(1) if m else None


def cfr_citation(heading: str) -> str | None:
    m = CFR_RE.search(heading)
    if m:
        return f"{m.group(1)} CFR {m.group(2)}"
    m = FR_RE.search(heading)
    return f"{m.group(1)} FR {m.group(2)}" if m else None


def citation_for(
    doc_id: str, path: list[str], base: str | None = None, title: str | None = None
) -> tuple[str, str]:
    """Return (section number, citation anchor) for a heading path, deepest heading first.

    A section with no number anywhere in its path is cited by its heading, as a reviewer finds
    it on the page: "LCD L99901, Thermal radiofrequency ablation", "UM-720, Decision
    Timeframes". A regulation's own headings are its designations, and its title heading or
    the document's names the document alone."""
    name = base or doc_id
    regulation = bool(cfr_citation(name))
    for depth in range(len(path) - 1, -1, -1):
        heading = path[depth]
        cfr = cfr_citation(heading)
        if cfr and not (base and heading.lstrip().startswith("§")):
            return section_number(heading) or "", cfr
        if regulation and heading.lstrip().startswith("§"):
            continue  # "§ 422.112 Access to services.": the section itself, not a part of it
        outline = _outline_number(path[: depth + 1])
        if outline:
            return outline, f"{name} §{outline}"
        number = section_number(heading)
        if number:
            return number, f"{name} §{number}"
    named = " ".join(path[-1].split()).strip(" .:—-") if path else ""
    regulation = regulation or any(h.lstrip().startswith("§") for h in path)
    if named and not regulation and named.casefold() != " ".join((title or "").split()).casefold():
        return "", f"{name}, {named}"
    return "", name


def _outline_number(path: list[str]) -> str | None:
    """ "IV" for an outline's "IV. PROCEDURE", "IV.B" for its "B. Decision Timeframe" (the
    letter under the numeral above it); None outside an outline."""
    letter = OUTLINE_LETTER_RE.match(path[-1])
    above = roman_numeral(path[-2]) if len(path) > 1 else None
    if letter and above:
        return f"{above}.{letter.group(1)}"
    return roman_numeral(path[-1])


def _sections(text: str) -> list[_Section]:
    sections: list[_Section] = [_Section(path=[], lines=[])]
    stack: list[tuple[int, str]] = []
    in_fence = False
    outline = _Outline()
    for line in text.splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
        m = None if in_fence else HEADING_RE.match(line)
        if m:
            level = len(m.group(1))
            if level == 1:
                continue  # the document title: it travels in the metadata
            level = outline.level(m.group(2).strip(), level)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, m.group(2).strip()))
            sections.append(_Section(path=[h for _, h in stack], lines=[]))
        else:
            sections[-1].lines.append(line)
    return sections


def _blocks(lines: list[str]) -> list[tuple[str, str, int]]:
    """(kind, text, list depth) for each paragraph and list item, in order."""
    blocks: list[tuple[str, str, int]] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(("para", " ".join(current), 0))
            current.clear()

    for line in lines:
        if not line.strip():
            flush()
            continue
        m = ITEM_RE.match(line)
        if m and not line.lstrip().startswith("("):
            flush()
            depth = len(m.group(1).replace("\t", "  ")) // 2
            marker = m.group(2)
            text = m.group(3).strip()
            shown = f"{marker} {text}" if marker[0].isalnum() else text
            blocks.append(("item", shown, depth))
        elif blocks and blocks[-1][0] == "item" and line.startswith("  ") and not current:
            kind, text, depth = blocks[-1]
            blocks[-1] = (kind, f"{text} {line.strip()}", depth)
        else:
            current.append(line.strip())
    flush()
    return blocks


def _split_designated(blocks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Paragraphs that run several designations together, cut into one per designation."""
    pieces = split_inline([text if kind == "para" else None for kind, text, _ in blocks])
    out: list[tuple[str, str, int]] = []
    for (kind, text, depth), parts in zip(blocks, pieces, strict=True):
        if kind == "para":
            out.extend(("para", part, 0) for part in parts)
        else:
            out.append((kind, text, depth))
    return out


def _refs(text: str, base: str) -> tuple[str, ...]:
    """Citations a unit points to, in the index's own citation form."""
    refs: list[str] = []
    title = re.match(r"(\d{1,2}) CFR (\d{1,4}\.\d{1,4}(?:-\d+)?)", base)
    for m in CFR_RE.finditer(text):
        refs.append(f"{m.group(1)} CFR {m.group(2)}")
    if title:
        for m in SECTION_REF_RE.finditer(text):
            refs.append(f"{title.group(1)} CFR {m.group(1)}{m.group(2)}")
        for m in PARAGRAPH_REF_RE.finditer(text):
            refs.append(f"{title.group(1)} CFR {title.group(2)}{m.group(1)}")
    elif "CFR" not in base:
        for m in POLICY_REF_RE.finditer(text):
            refs.append(f"{base.split(' §')[0]} §{m.group(1)}")
    return tuple(dict.fromkeys(r for r in refs if r != base))


def _nodes(blocks: list[tuple[str, str, int]], anchor: str, base: str) -> list[_Node]:
    """Units with parents: designated paragraphs by their path, list items by their lead-in."""
    designated = designate([text if kind == "para" else "" for kind, text, _ in blocks])
    pinpoint_ok = "(" not in anchor  # a heading that already names a paragraph keeps its pinpoint
    nodes: list[_Node] = []
    by_label: dict[str, int] = {}
    last_para = -1
    plain_lead_in = -1
    item_parents: list[int] = []  # the parent of list items at each nesting depth
    numbered_depth = -1  # depth of the last "1." item: "a." items after it are its sub-items
    outline = bool(OUTLINE_ANCHOR_RE.search(anchor))
    for (kind, text, depth), (_, path) in zip(blocks, designated, strict=True):
        parent = -1
        label = ""
        citation = anchor
        marker = ITEM_LABEL_RE.match(text) if kind == "item" else None
        if marker and marker.group(1).isdigit():
            numbered_depth = depth
        elif marker and depth == numbered_depth:
            depth += 1  # readers often flatten "2." > "a." to one level
        if kind == "para":
            item_parents = []
            numbered_depth = -1
            if path is not None and pinpoint_ok:
                label = path.labels()
                citation = anchor + label
                for cut in range(len(path.levels) - 1, 0, -1):
                    up = "".join(f"({m})" for _, _, m in path.levels[:cut])
                    if up in by_label:
                        parent = by_label[up]
                        break
                if parent < 0 and len(path.levels) == 1 and plain_lead_in >= 0:
                    parent = plain_lead_in  # "The notice must explain:" then (1), (2), ...
            elif path is None:
                lead = LEAD_IN_RE.search(text) or PARA_LEAD_IN_RE.search(text)
                plain_lead_in = len(nodes) if lead else -1
                citation = numbered_paragraph_citation(text, anchor) or citation
        else:
            if depth < len(item_parents):
                item_parents = item_parents[: depth + 1]
                parent = item_parents[depth]
            else:
                parent = nodes[-1].unit.index if depth > 0 and nodes else last_para
                item_parents.append(parent)
            if parent >= 0:
                citation = nodes[parent].unit.citation
            if outline and marker and (depth == 0 or parent >= 0):
                # An outline numbers its items as part of the section: "§IV.B.2", "§IV.B.2.a".
                up = anchor if depth == 0 else citation
                citation = f"{up}.{marker.group(1)}"
        index = len(nodes)
        unit = Unit(
            index=index,
            kind=kind,
            text=text,
            label=label,
            citation=citation,
            parent=parent,
            lead_in=bool(
                LEAD_IN_RE.search(text) or (kind == "para" and PARA_LEAD_IN_RE.search(text))
            ),
            refs=_refs(text, citation if "CFR" in base else base),
        )
        nodes.append(_Node(unit, [], len(text.split())))
        if parent >= 0:
            nodes[parent].children.append(index)
        if kind == "para":
            last_para = index
            if label:
                by_label[label] = index
    for node in nodes:
        if node.children:
            node.unit = replace(node.unit, items=len(node.children))
    return nodes


def numbered_paragraph_citation(text: str, anchor: str) -> str | None:
    """ "UM-905 §5.3" for the paragraph "5.3 A denial notice must ..." of section 5: a policy's
    numbered paragraph is a pinpoint of its own, under its section's number ("5.4.1" too)."""
    m = NUMBERED_PARA_RE.match(text)
    if m is None or "§" not in anchor:
        return None
    section = anchor[anchor.rfind("§") + 1 :]
    under = m.group(1).startswith(f"{section}.")
    return f"{anchor[: anchor.rfind('§')]}§{m.group(1)}" if under else None


def _subtree_words(nodes: list[_Node], i: int) -> int:
    return nodes[i].words + sum(_subtree_words(nodes, c) for c in nodes[i].children)


def _subtree(nodes: list[_Node], i: int) -> list[int]:
    out = [i]
    for c in nodes[i].children:
        out.extend(_subtree(nodes, c))
    return out


def _pack(nodes: list[_Node], max_words: int) -> list[tuple[list[int], list[int]]]:
    """Group whole subtrees into pieces: (unit indexes, context unit indexes) per piece."""
    pieces: list[tuple[list[int], list[int]]] = []

    def place(roots: list[int], context: list[int]) -> None:
        current: list[int] = []
        count = 0
        for r in roots:
            size = _subtree_words(nodes, r)
            if size > max_words and nodes[r].children:
                if current:
                    pieces.append((current, context))
                    current, count = [], 0
                # The lead-in opens a piece with as many of its children as fit (at least
                # one: it never stands alone); the rest follow with it as context.
                children = nodes[r].children
                first = [r, *_subtree(nodes, children[0])]
                used = nodes[r].words + _subtree_words(nodes, children[0])
                rest = 1
                while (
                    rest < len(children)
                    and used + _subtree_words(nodes, children[rest]) <= max_words
                ):
                    first.extend(_subtree(nodes, children[rest]))
                    used += _subtree_words(nodes, children[rest])
                    rest += 1
                if used > max_words and _subtree_words(nodes, children[0]) > max_words:
                    pieces.append(([r], context))  # even one child is too big: it splits
                    place(children, [*context, r])
                    continue
                pieces.append((first, context))
                place(children[rest:], [*context, r])
                continue
            if current and count + size > max_words:
                pieces.append((current, context))
                current, count = [], 0
            current.extend(_subtree(nodes, r))
            count += size
        if current:
            pieces.append((current, context))

    roots = [n.unit.index for n in nodes if n.unit.parent < 0]
    place(roots, [])
    return pieces


def _split_long(unit: Unit, max_words: int) -> list[Unit]:
    """A single paragraph longer than a chunk: sentence runs that keep its pinpoint."""
    if len(unit.text.split()) <= max_words:
        return [unit]
    parts: list[str] = []
    current: list[str] = []
    for sentence in SENTENCE_SPLIT_RE.split(unit.text):
        if current and len(" ".join([*current, sentence]).split()) > max_words:
            parts.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        parts.append(" ".join(current))
    return [
        Unit(
            index=unit.index,
            kind=unit.kind,
            text=p,
            label=unit.label,
            citation=unit.citation,
            parent=unit.parent,
            lead_in=unit.lead_in and i == len(parts) - 1,
            refs=unit.refs,
            items=unit.items,
        )
        for i, p in enumerate(parts)
    ]


def render(units: tuple[Unit, ...] | list[Unit]) -> str:
    """Chunk text: paragraphs apart, list items on their own lines under their lead-in."""
    out: list[str] = []
    for u in units:
        if u.kind == "item" and out:
            out[-1] += "\n" + u.text
        else:
            out.append(u.text)
    return "\n\n".join(out)


def chunk_id(doc: Document, path: list[str], text: str) -> str:
    payload = json.dumps(
        [doc.key, doc.meta.model_dump(mode="json"), doc.source_path, path, text], sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def _common_citation(units: list[Unit], anchor: str) -> str:
    """The narrowest pinpoint that covers every unit of a chunk."""
    labels = [u.label for u in units if u.label]
    if not labels or len(labels) < len(units):
        return anchor
    prefix = labels[0]
    for label in labels[1:]:
        while not label.startswith(prefix):
            prefix = prefix[: prefix.rfind("(")] if "(" in prefix else ""
    return anchor + prefix


def chunk_document(doc: Document, max_words: int = 220) -> list[Chunk]:
    chunks: list[Chunk] = []
    base = doc.meta.citation or None
    for sec in _sections(doc.text):
        blocks = _split_designated(_blocks(sec.lines))
        if not blocks:
            continue
        number, anchor = citation_for(doc.meta.doc_id, sec.path, base, doc.meta.title)
        heading_path = tuple(sec.path) or (doc.meta.title,)
        nodes = _nodes(blocks, anchor, base or doc.meta.doc_id)
        for members, context in _pack(nodes, max_words):
            for piece in _pieces_of(nodes, members, max_words):
                text = render(piece)
                context_units = tuple(nodes[c].unit for c in context)
                chunks.append(
                    Chunk(
                        chunk_id=chunk_id(doc, sec.path, text),
                        doc_key=doc.key,
                        meta=doc.meta,
                        source_path=doc.source_path,
                        section=number,
                        heading_path=heading_path,
                        citation=_common_citation(list(piece), anchor),
                        text=text,
                        units=tuple(piece),
                        context=context_units,
                    )
                )
    return chunks


def _pieces_of(nodes: list[_Node], members: list[int], max_words: int) -> list[list[Unit]]:
    """The units of one packed group; an over-long single paragraph becomes several pieces."""
    units = [nodes[i].unit for i in members]
    if len(units) == 1 and len(units[0].text.split()) > max_words:
        return [[u] for u in _split_long(units[0], max_words)]
    return [units]
