"""DOCX policies: Title and Heading N styles to headings, list styles and numbered paragraphs
to list items, tables to one item per row, in document order."""

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrieval.errors import DocumentSkipped
from retrieval.formats.base import Extracted, Markdown, clean
from retrieval.formats.text import numbered_heading_level, plain_paragraphs

if TYPE_CHECKING:  # python-docx is imported only when a DOCX is read
    from docx.document import Document
    from docx.table import _Row
    from docx.text.paragraph import Paragraph

HEADING_STYLE_RE = re.compile(r"^(?:Heading|heading)\s*(\d)$")
LIST_STYLE_RE = re.compile(r"^List (Number|Bullet|Paragraph|Continue)(?: (\d))?$", re.IGNORECASE)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _num_level(para: "Paragraph") -> tuple[int, int] | None:
    """(numId, level) when the paragraph is numbered through Word's numbering (numPr)."""
    ppr = para._p.pPr
    # python-docx declares numPr and its children as untyped ZeroOrOne descriptors
    num_pr: Any = ppr.numPr if ppr is not None else None
    if num_pr is None:
        return None
    num = num_pr.numId
    ilvl = num_pr.ilvl
    num_id = int(num.val) if num is not None and num.val is not None else 0
    return (num_id, int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0)


def _bullet_num_ids(doc: "Document") -> set[int]:
    """Numbering definitions whose first level is a bullet rather than a number."""
    out: set[int] = set()
    try:
        numbering = doc.part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        return out
    abstract_fmt: dict[str, str] = {}
    for abstract in numbering.findall(f"{W}abstractNum"):
        lvl = abstract.find(f"{W}lvl")
        fmt = lvl.find(f"{W}numFmt") if lvl is not None else None
        key = abstract.get(f"{W}abstractNumId")
        abstract_fmt[key] = fmt.get(f"{W}val") if fmt is not None else ""
    for num in numbering.findall(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None and abstract_fmt.get(ref.get(f"{W}val")) == "bullet":
            out.add(int(num.get(f"{W}numId")))
    return out


def _all_bold(para: "Paragraph") -> bool:
    runs = [r for r in para.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _header_row(row: "_Row") -> bool:
    """Word marks a header row ("repeat as header row") or sets it in bold."""
    if row._tr.find(f"{W}trPr/{W}tblHeader") is not None:
        return True
    paras = [p for cell in row.cells for p in cell.paragraphs if p.text.strip()]
    return bool(paras) and all(_all_bold(p) for p in paras)


def _write(doc: "Document", md: Markdown) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    bullets = _bullet_num_ids(doc)
    counters: dict[tuple[int, int], int] = {}
    in_list = False
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            in_list = False
            rows: list[list[str]] = []
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = clean(cell.text)
                    if not cells or text != cells[-1]:  # merged cells repeat their text
                        cells.append(text)
                rows.append(cells)
            md.table(rows, True if block.rows and _header_row(block.rows[0]) else None)
            continue
        if not isinstance(block, Paragraph):
            continue
        text = clean(block.text)
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        heading = HEADING_STYLE_RE.match(style)
        listing = LIST_STYLE_RE.match(style)
        numbered = _num_level(block)
        if style == "Title":
            md.heading(1, text)
            in_list = False
        elif heading:
            md.heading(min(int(heading.group(1)) + 1, 6), text)
            in_list = False
        elif listing or numbered:
            if not in_list:
                counters.clear()
            listed_level = listing.group(2) if listing else None
            depth = numbered[1] if numbered else max(int(listed_level or 1) - 1, 0)
            kind = listing.group(1).lower() if listing else ""
            num_id = numbered[0] if numbered else -1
            is_bullet = kind == "bullet" or (kind != "number" and num_id in bullets)
            if is_bullet or (kind in ("paragraph", "continue") and not numbered):
                md.item(text, depth)
            else:
                # Count by depth within one run of list paragraphs: Word numbers the first
                # item through its style and later ones through numPr, with different numIds.
                key = (0, depth)
                counters[key] = counters.get(key, 0) + 1
                for k in [k for k in counters if k[1] > depth]:
                    del counters[k]
                md.item(text, depth, f"{counters[key]}.")
            in_list = True
        elif _all_bold(block) and len(text) <= 100 and not text.endswith((".", ":")):
            level = numbered_heading_level(text) or 2
            md.heading(level, text)
            in_list = False
        else:
            md.para(text)
            in_list = in_list and text.endswith(":")


def read_docx(raw: bytes, path: Path) -> list[Extracted]:
    from docx import Document as DocxDocument

    if not raw.startswith(b"PK"):
        raise DocumentSkipped("is not a DOCX (not a zip package); save it again as .docx")
    try:
        doc = DocxDocument(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise DocumentSkipped(f"not a readable DOCX ({type(exc).__name__})") from exc
    md = Markdown()
    warnings: list[str] = []
    try:
        _write(doc, md)
        text = md.render()
    except Exception as exc:  # an unusual style or numbering part: keep the words
        warnings.append(
            f"{path.name}: structure not readable ({type(exc).__name__}); read as plain paragraphs"
        )
        text = plain_paragraphs([p.text for p in doc.paragraphs])
    hints: dict[str, object] = {}
    title = clean(doc.core_properties.title or "")
    if title and not text.startswith("# "):
        hints["title"] = title
    return [Extracted(text=text, hints=hints, warnings=warnings)]
