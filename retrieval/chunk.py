"""Split a document by its headings into chunks that keep a heading path and citation anchor."""

import hashlib
import json
import re
from dataclasses import dataclass

from retrieval.documents import Chunk, Document

HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
SECTION_NUMBER_RE = re.compile(r"^(?:§\s*)?(\d{1,3}(?:\.\d{1,3})*)\.?(?:\s|$)")
# "42 CFR 438.404(b)(2)", "29 CFR 2560.503-1(g)(1)", "45 CFR 164.502(b)".
CFR_RE = re.compile(
    r"\b(\d{1,2})\s*C\.?F\.?R\.?\s*(?:§+\s*)?"
    r"(\d{1,4}\.\d{1,4}(?:-\d+)?(?:\([a-zA-Z0-9]{1,4}\))*)"
)
# "89 FR 8758": a Federal Register page, the anchor for rules not yet codified.
FR_RE = re.compile(r"\b(\d{2,3})\s+FR\s+(\d{3,6})\b")
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(\"'])")


@dataclass
class _Section:
    path: list[str]
    lines: list[str]


def section_number(heading: str) -> str | None:
    m = SECTION_NUMBER_RE.match(heading)
    return m.group(1) if m else None


def cfr_citation(heading: str) -> str | None:
    m = CFR_RE.search(heading)
    if m:
        return f"{m.group(1)} CFR {m.group(2)}"
    m = FR_RE.search(heading)
    return f"{m.group(1)} FR {m.group(2)}" if m else None


def citation_for(doc_id: str, path: list[str]) -> tuple[str, str]:
    """Return (section number, citation anchor) for a heading path, deepest heading first."""
    for heading in reversed(path):
        cfr = cfr_citation(heading)
        if cfr:
            return section_number(heading) or "", cfr
        number = section_number(heading)
        if number:
            return number, f"{doc_id} §{number}"
    return "", doc_id


def _sections(text: str) -> list[_Section]:
    sections: list[_Section] = [_Section(path=[], lines=[])]
    stack: list[tuple[int, str]] = []
    in_fence = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            in_fence = not in_fence
        m = None if in_fence else HEADING_RE.match(line)
        if m:
            level = len(m.group(1))
            if level == 1:
                continue  # the document title: it travels in the metadata
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, m.group(2).strip()))
            sections.append(_Section(path=[h for _, h in stack], lines=[]))
        else:
            sections[-1].lines.append(line)
    return sections


def _paragraphs(lines: list[str]) -> list[str]:
    paras, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paras.append("\n".join(current))
            current = []
    if current:
        paras.append("\n".join(current))
    return paras


def _pieces(paragraphs: list[str], max_words: int) -> list[str]:
    """Pack paragraphs into pieces of at most max_words, splitting long ones by sentence."""
    units: list[str] = []
    for para in paragraphs:
        if len(para.split()) <= max_words:
            units.append(para)
        else:
            units.extend(s for s in SENTENCE_SPLIT_RE.split(para) if s.strip())
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for unit in units:
        n = len(unit.split())
        if current and count + n > max_words:
            pieces.append("\n\n".join(current))
            current, count = [], 0
        current.append(unit)
        count += n
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def chunk_id(doc: Document, path: list[str], text: str) -> str:
    payload = json.dumps(
        [doc.key, doc.meta.model_dump(mode="json"), doc.source_path, path, text], sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def chunk_document(doc: Document, max_words: int = 220) -> list[Chunk]:
    chunks: list[Chunk] = []
    for sec in _sections(doc.text):
        paragraphs = _paragraphs(sec.lines)
        if not paragraphs:
            continue
        number, citation = citation_for(doc.meta.doc_id, sec.path)
        heading_path = tuple(sec.path) or (doc.meta.title,)
        for piece in _pieces(paragraphs, max_words):
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc, sec.path, piece),
                    doc_key=doc.key,
                    meta=doc.meta,
                    source_path=doc.source_path,
                    section=number,
                    heading_path=heading_path,
                    citation=citation,
                    text=piece,
                )
            )
    return chunks
