"""PDF policies: lines with their font (pypdf's visitor), headings from bold or larger type and
from numbering, page headers and footers (lines repeated on most pages) dropped."""

import io
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.errors import DocumentSkipped
from retrieval.formats.base import PAGE_NUMBER_RE, Extracted, Furniture, Markdown, clean
from retrieval.formats.text import NUMBERED_HEADING_RE, numbered_heading_level, text_to_markdown
from retrieval.metadata import meta_fields

if TYPE_CHECKING:  # pypdf is imported only when a PDF is read
    from pypdf import PageObject

BULLET_RE = re.compile(r"^(?:[-*•◦▪‣–·]|\u2022)\s+")
LIST_ITEM_RE = re.compile(
    r"^(?:[-*•◦▪‣–·]\s+|\d{1,2}[.)]\s+|[a-z][.)]\s+|\((?:[a-z]{1,4}|\d{1,3}|[A-Z]{1,3})\)\s*)"
)
LETTERED_HEADING_RE = re.compile(r"^[A-Z]\.\s+[A-Z]")


@dataclass
class Line:
    text: str
    size: float
    bold: bool
    y: float
    x: float
    page: int


def _lines(page: "PageObject", number: int) -> list[Line]:
    """The page's text lines with their dominant font size and weight."""
    frags: list[tuple[float, float, str, float, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text or not text.strip():
            return
        scale = abs(tm[3] or 1.0) * abs(cm[3] or 1.0)
        y = tm[5] * (cm[3] or 1.0) + cm[5]
        x = tm[4] * (cm[0] or 1.0) + cm[4]
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        bold = bool(re.search(r"bold|black|heavy|semibold|demi", name, re.IGNORECASE))
        for part in text.split("\n"):
            if part.strip():
                frags.append((round(y, 1), x, part, float(size or 0) * scale, bold))

    page.extract_text(visitor_text=visit)
    lines: list[Line] = []
    for y, x, text, size, bold in frags:
        if lines and abs(lines[-1].y - y) < 1.5 and lines[-1].page == number:
            prev = lines[-1]
            chars_prev, chars_new = len(prev.text), len(text)
            joint = "" if prev.text.endswith(" ") or text.startswith(" ") else " "
            prev.text = prev.text + joint + text
            prev.size = max(prev.size, size) if chars_new > 2 else prev.size
            prev.bold = prev.bold and bold if chars_prev else bold
        else:
            lines.append(Line(text, size, bold, y, x, number))
    for line in lines:
        line.text = clean(line.text)
    return [line for line in lines if line.text]


def _furniture_keys(pages: list[list[Line]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages, digits masked ("Page 2 of 3")."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = lines[:3] + lines[-3:]
        counts.update({re.sub(r"\d+", "#", line.text.lower()) for line in edge})
    need = max(2, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if n >= need}


def _is_heading(line: Line, body_size: float) -> bool:
    text = line.text
    if len(text) > 120 or text.endswith((",", ";")):
        return False
    if LIST_ITEM_RE.match(text) and not NUMBERED_HEADING_RE.match(text):
        return False
    styled = line.bold or line.size > body_size + 0.5
    return styled and (not text.endswith(".") or bool(NUMBERED_HEADING_RE.match(text.rstrip("."))))


def _section_parts(text: str) -> list[int]:
    m = NUMBERED_HEADING_RE.match(text.rstrip("."))
    return [int(p) for p in m.group(1).rstrip(".").split(".")] if m else []


def _in_sequence(parts: list[int], last: list[int]) -> bool:
    """Section numbers follow on: after 2.1 come 2.1.1, 2.2 or 3 (the first one may be any)."""
    if not last or not parts:
        return True
    if parts == [*last, 1]:
        return True
    return any(parts == [*last[:k], last[k] + 1] for k in range(len(last)))


def _continues(prev: Line, line: Line) -> bool:
    """The line is the next line of the same heading: same type, same page, right below."""
    return (
        prev.page == line.page
        and prev.bold == line.bold
        and abs(prev.size - line.size) < 0.3
        and 0 < prev.y - line.y <= line.size * 2.0
    )


def _to_markdown(pages: list[list[Line]], hints: dict[str, object]) -> str:
    furniture_keys = _furniture_keys(pages)
    furniture = Furniture()
    lines: list[Line] = []
    for page_lines in pages:
        for i, line in enumerate(page_lines):
            key = re.sub(r"\d+", "#", line.text.lower())
            at_edge = i < 3 or i >= len(page_lines) - 3
            if key in furniture_keys and at_edge:
                continue
            if at_edge and PAGE_NUMBER_RE.match(line.text):
                continue
            if furniture.drop(line.text):
                continue
            lines.append(line)
    hints.update(furniture.hints)
    if not lines:
        return ""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    body_size = weights.most_common(1)[0][0]
    long_len = sorted(len(line.text) for line in lines if round(line.size, 1) == body_size)
    full = long_len[int(len(long_len) * 0.9)] if long_len else 80
    gaps = [
        round(a.y - b.y, 1)
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and round(a.size, 1) == round(b.size, 1) == body_size and a.y > b.y
    ]
    # Line pitch inside a paragraph: the smallest gap that recurs (paragraph gaps are larger).
    recurring = sorted(g for g, n in Counter(gaps).items() if n >= 2) or sorted(gaps)
    pitch = recurring[0] if recurring else body_size * 1.4

    top_size = max(line.size for line in lines)
    md = Markdown()
    title_done = False
    last_numbered: tuple[int, float] | None = None  # (level, size) of the last numbered heading
    numbers: list[int] = []  # the last section number, "2.1" -> [2, 1]
    current: list[str] = []
    current_kind = "p"
    prev: Line | None = None
    prev_heading = False  # the line before was set as a heading

    def flush() -> None:
        nonlocal current
        if current:
            text = " ".join(current)
            if current_kind == "li":
                item = BULLET_RE.sub("", text)
                m = re.match(r"^(\d{1,2}|[a-z])[.)]\s+(.*)$", item)
                if m and not BULLET_RE.match(text):
                    md.item(m.group(2), 0, f"{m.group(1)}.")
                else:
                    md.item(item, 0)
            else:
                md.para(text)
        current = []

    for line in lines:
        text = line.text
        title_size = max(body_size + 2, top_size - 0.1)
        if not title_done and line.page == 0 and line.size >= title_size:
            flush()
            if md.blocks and md.blocks[-1][1].startswith("# ") and prev and prev.size >= title_size:
                text = md.blocks.pop()[1][2:] + " " + text  # a title set on two lines
            md.heading(1, text)
            hints["title"] = text
            prev = line
            continue
        title_done = True
        in_list = current_kind == "li" or bool(current and current[-1].endswith(":"))
        unstyled_numbered = (
            not in_list and not text.endswith(".") and numbered_heading_level(text) is not None
        )
        if unstyled_numbered and not _in_sequence(_section_parts(text), numbers):
            # "2 January 1, 2026 ..." in a revision table is no section 2 after section 4.
            unstyled_numbered = False
        if _is_heading(line, body_size) or unstyled_numbered:
            flush()
            level = numbered_heading_level(text.rstrip("."))
            if (
                prev_heading
                and prev is not None
                and level is None
                and _continues(prev, line)
                and md.blocks
                and md.blocks[-1][0] == "h"
            ):
                # A heading too long for its column wraps onto the next line(s).
                kind, block = md.blocks[-1]
                md.blocks[-1] = (kind, f"{block} {text}")
                prev = line
                continue
            prev_heading = True
            if level is not None:
                last_numbered = (level, line.size)
                numbers = _section_parts(text)
            elif LETTERED_HEADING_RE.match(text):
                level = 2
            elif last_numbered and line.size <= last_numbered[1] + 0.5:
                level = min(last_numbered[0] + 1, 6)
            else:
                level = 2
            md.heading(level, text)
            prev = line
            continue
        prev_heading = False
        starts_item = bool(LIST_ITEM_RE.match(text)) and not text.startswith("(")
        starts_designation = text.startswith("(") and bool(LIST_ITEM_RE.match(text))
        new_para = (
            prev is None
            or not current
            or starts_item
            or starts_designation
            or bool(meta_fields(text))
            or prev.page != line.page
            or (prev.y - line.y) > pitch * 1.35
            or round(prev.size, 1) != round(line.size, 1)
            or (len(prev.text) < full * 0.8 and prev.text.endswith((".", ":", "?", "!", "—")))
        )
        if prev is not None and prev.page != line.page and current:
            # A paragraph continued on the next page: the last line was full and unfinished.
            new_para = starts_item or starts_designation or prev.text.endswith((".", ":"))
        if new_para:
            flush()
            current_kind = "li" if starts_item else "p"
        current.append(text)
        prev = line
    flush()
    return md.render()


def read_pdf(raw: bytes, path: Path) -> list[Extracted]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise DocumentSkipped(f"is encrypted ({exc}); save an unencrypted copy") from exc
            if not unlocked:
                raise DocumentSkipped(
                    "is encrypted (a password is needed); save an unencrypted copy"
                )
        pages = list(reader.pages)
    except DocumentSkipped:
        raise
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentSkipped(f"not a readable PDF ({type(exc).__name__})") from exc
    warnings: list[str] = []
    hints: dict[str, object] = {}
    try:
        styled = [_lines(page, i) for i, page in enumerate(pages)]
        text = _to_markdown(styled, hints)
    except DocumentSkipped:
        raise
    except Exception as exc:  # a page pypdf cannot lay out: fall back to its plain text
        warnings.append(
            f"{path.name}: layout not readable ({type(exc).__name__}); read as plain paragraphs"
        )
        try:
            plain = "\n\n".join(page.extract_text() or "" for page in pages)
        except Exception as inner:  # pypdf raises many types for a broken content stream
            raise DocumentSkipped(f"not a readable PDF ({type(inner).__name__})") from inner
        hints = {}
        text = text_to_markdown(plain, Furniture())
    if not text.strip():
        raise DocumentSkipped(
            f"has no text layer ({len(pages)} page(s) of images?); run OCR and ingest the result"
        )
    return [Extracted(text=text, hints=hints, warnings=warnings)]
