"""eCFR XML (GPO bulk-data element names) to one Markdown document per section (DIV8) or
appendix (DIV9); authority, source, citation and editorial notes are not answer text."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from retrieval.errors import DocumentSkipped
from retrieval.formats.base import DESIGNATION_RE, Extracted, Markdown, clean
from retrieval.formats.text import plain_paragraphs

# Apparatus of the printed CFR: who authorised it, where it was published, editorial notes.
DROPPED = {
    "CITA",
    "AUTH",
    "SOURCE",
    "EDNOTE",
    "EFFDNOT",
    "SECAUTH",
    "APPRO",
    "EAR",
    "PRTPAGE",
    "XREF",
    "FTREF",
    "CFRTOC",
    "HEADER",
    "AMDDATE",
    "STARS",
    "PTHD",
    "SECHD",
    "img",
}
PARAGRAPHS = {"P", "FP", "PSPACE", "FP-1", "FP-2", "FP-DASH", "FRP", "SIG", "LI"}
CONTAINERS = {"EXTRACT", "NOTE", "NOTES", "EXAMPLE", "APPENDIX", "FTNT", "SUBJGRP"}
HD_LEVELS = {"HD1": 2, "HD2": 3, "HD3": 4, "HED": 3}
DIV_RE = re.compile(r"^DIV([1-9])$")


def _tag(el: ET.Element) -> str:
    return el.tag.split("}")[-1] if isinstance(el.tag, str) else ""


def _text(el: ET.Element) -> str:
    """Inline text of an element, leaving out dropped apparatus (footnote marks, page numbers)."""
    parts: list[str] = [el.text or ""]
    for child in el:
        if _tag(child) not in DROPPED:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return clean("".join(parts))


def _table(el: ET.Element, md: Markdown) -> None:
    rows: list[list[str]] = []
    header = False
    for child in el.iter():
        tag = _tag(child)
        if tag in ("TTITLE", "CAPTION", "TDESC"):
            md.para(_text(child))
        elif tag == "BOXHD":  # GPO's column headings
            rows.insert(0, [_text(c) for c in child if _tag(c) == "CHED"])
            header = True
        elif tag in ("ROW", "TR"):
            rows.append([_text(c) for c in child if _tag(c) in ("ENT", "TD", "TH")])
    md.table(rows, header or None)


def _body(el: ET.Element, md: Markdown, depth: int) -> None:
    """Write the content of one DIV (or container) in document order."""
    for child in el:
        tag = _tag(child)
        if tag in DROPPED or tag == "HEAD":
            continue
        if (
            tag == "FP"
            and md.blocks
            and DESIGNATION_RE.match(md.blocks[-1][1])
            and not DESIGNATION_RE.match(_text(child))
        ):
            # A flush paragraph after a designated one closes it ("The requirement in
            # paragraph (c)(5) applies beginning ..."): it belongs to that paragraph.
            kind, text = md.blocks[-1]
            md.blocks[-1] = (kind, f"{text} {_text(child)}")
        elif tag in PARAGRAPHS or re.match(r"^P-\d$", tag):
            md.para(_text(child))
        elif tag == "HD":
            md.heading(HD_LEVELS.get(str(child.get("SOURCE", "")).upper(), 2) + depth, _text(child))
        elif tag in ("GPOTABLE", "TABLE"):
            _table(child, md)
        elif DIV_RE.match(tag):
            head = child.find("HEAD")
            if head is not None:
                md.heading(min(2 + depth, 6), _text(head))
            _body(child, md, depth + 1)
        elif tag in CONTAINERS or len(child):
            _body(child, md, depth)
        else:
            md.para(_text(child))


def _title_number(root: ET.Element) -> int | None:
    for el in root.iter():
        tag = _tag(el)
        if tag == "DIV1" or el.get("TYPE") == "TITLE":
            head = el.find("HEAD")
            m = re.search(r"\bTitle\s+(\d{1,2})\b", _text(head) if head is not None else "", re.I)
            if m:
                return int(m.group(1))
            n = str(el.get("N", ""))
            if n.isdigit():
                return int(n)
        if tag in ("TITLE", "CFRTITLE", "IDNO") and (el.text or "").strip():
            m = re.search(r"^(?:Title\s+)?(\d{1,2})\b", (el.text or "").strip(), re.I)
            if m and (tag != "IDNO" or el.get("TYPE") == "title"):
                return int(m.group(1))
    # eCFR's NODE attribute starts with the title number ("42:4.0.1.1.8"): the guide calls it
    # internal, so it is the last resort before guessing from the part number.
    for el in root.iter():
        m = re.match(r"^(\d{1,2}):\d", str(el.get("NODE", "")))
        if m:
            return int(m.group(1))
    return None


def _ancestors(root: ET.Element) -> dict[ET.Element, ET.Element]:
    return {child: parent for parent in root.iter() for child in parent}


def read_ecfr(raw: bytes, path: Path) -> list[Extracted]:
    if b"<!ENTITY" in raw[:65536]:
        raise DocumentSkipped("XML declares entities; only plain eCFR XML is read")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise DocumentSkipped(f"malformed XML ({exc})") from exc
    title = _title_number(root)
    units = [
        el
        for el in root.iter()
        if _tag(el) in ("DIV8", "DIV9") or el.get("TYPE") in ("SECTION", "APPENDIX")
    ]
    # A section nested in an appendix belongs to it; an appendix in a section is not a unit.
    parents = _ancestors(root)
    units = [u for u in units if not any(p in units for p in _lineage(u, parents))]
    if not units:
        divs = [el for el in root.iter() if DIV_RE.match(_tag(el))]
        if not divs:
            lines = [t for el in root.iter() if (t := _text_own(el))]
            return [
                Extracted(
                    text=plain_paragraphs(lines),
                    warnings=[f"{path.name}: no eCFR DIV structure; read as plain paragraphs"],
                )
            ]
        units = [divs[0]]
    out: list[Extracted] = []
    skipped: list[str] = []
    for unit in units:
        md = Markdown()
        head_el = unit.find("HEAD")
        head = _text(head_el) if head_el is not None else clean(str(unit.get("N", "")))
        md.heading(1, head)
        _body(unit, md, 0)
        if len(md) <= 1:
            skipped.append(head or str(unit.get("N", "?")))
            continue
        hints: dict[str, object] = {"title": head, "doc_type": "regulation"}
        if title is not None:
            hints["cfr_title"] = title
        number = re.match(r"^§+\s*(\d{1,4}\.\S+?)\.?$", clean(str(unit.get("N", ""))))
        if number and _tag(unit) == "DIV8":
            hints["section"] = number.group(1)
        elif _tag(unit) == "DIV9" or unit.get("TYPE") == "APPENDIX":
            part = _part_of(unit, parents)
            name = clean(str(unit.get("N", "")))
            if title is not None and part and re.fullmatch(r"[A-Za-z0-9 .-]{1,30}", name):
                hints["doc_id"] = f"{title} CFR Part {part} {name}"
        out.append(Extracted(text=md.render(), hints=hints))
    if skipped and out:
        names = ", ".join(skipped[:3])
        out[0].warnings.append(f"{path.name}: {len(skipped)} empty section(s) left out ({names})")
    if not out:
        raise DocumentSkipped("eCFR XML with no section text (every section is reserved or empty)")
    return out


def _lineage(el: ET.Element, parents: dict[ET.Element, ET.Element]) -> list[ET.Element]:
    out = []
    while el in parents:
        el = parents[el]
        out.append(el)
    return out


def _part_of(el: ET.Element, parents: dict[ET.Element, ET.Element]) -> str | None:
    for p in _lineage(el, parents):
        if _tag(p) == "DIV5" or p.get("TYPE") == "PART":
            return clean(str(p.get("N", ""))) or None
    return None


def _text_own(el: ET.Element) -> str:
    """Text directly inside `el` (the fallback reader: one paragraph per text-bearing element)."""
    return clean(el.text or "") if _tag(el) not in DROPPED else ""
