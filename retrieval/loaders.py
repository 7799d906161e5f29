"""Read .md, .txt, .html, .pdf and .docx files into a Document with Markdown-style headings."""

import io
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from retrieval.documents import Document, build_meta, split_front_matter
from retrieval.errors import DocumentSkipped

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
SIDECAR_SUFFIX = ".meta.yaml"
# A numbered heading line in extracted PDF text: "3.2 Expedited requests".
PDF_HEADING_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-Z][^.]{2,90})$")


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:8192]:
        raise DocumentSkipped("binary content, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentSkipped(
            f"not UTF-8 text (invalid byte at offset {exc.start}); re-save {name} as UTF-8"
        ) from exc


def _text(raw: bytes, path: Path) -> str:
    return _decode(raw, path.name)


def _html(raw: bytes, path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(raw, path.name), "html.parser")
    front: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        name, content = meta.get("name"), meta.get("content")
        if isinstance(name, str) and isinstance(content, str) and name in _META_FIELDS:
            front[name] = content
    for tag in soup(["script", "style", "nav", "footer"]):
        tag.decompose()
    lines: list[str] = []
    title = soup.title.get_text(strip=True) if soup.title else ""
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "pre"]):
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        if el.name and el.name[0] == "h":
            lines.append("#" * int(el.name[1]) + " " + text)
        elif el.name == "li":
            lines.append("- " + text)
        else:
            lines.append(text)
        lines.append("")
    if title and not front.get("title"):
        front["title"] = title
    body = "\n".join(lines)
    if front:
        return "---\n" + yaml.safe_dump(front) + "---\n" + body
    return body


_META_FIELDS = {
    "doc_id",
    "title",
    "doc_type",
    "line_of_business",
    "effective_date",
    "end_date",
    "version",
}


def _pdf(raw: bytes, path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentSkipped(f"not a readable PDF ({type(exc).__name__})") from exc
    lines = []
    for line in "\n".join(pages).splitlines():
        stripped = line.strip()
        m = PDF_HEADING_RE.match(stripped)
        if m:
            depth = m.group(1).count(".") + 2
            lines.extend(["", "#" * depth + " " + stripped, ""])
        else:
            lines.append(stripped)
    return "\n".join(lines)


def _docx(raw: bytes, path: Path) -> str:
    from docx import Document as DocxDocument

    try:
        doc = DocxDocument(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise DocumentSkipped(f"not a readable DOCX ({type(exc).__name__})") from exc
    lines: list[str] = []
    for para in doc.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        m = re.match(r"Heading (\d)", style)
        if style == "Title":
            lines.append("# " + text)
        elif m:
            lines.append("#" * min(int(m.group(1)) + 1, 6) + " " + text)
        else:
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


LOADERS: dict[str, Callable[[bytes, Path], str]] = {
    ".md": _text,
    ".markdown": _text,
    ".txt": _text,
    ".html": _html,
    ".htm": _html,
    ".pdf": _pdf,
    ".docx": _docx,
}


def load_document(path: Path, max_bytes: int) -> Document:
    """Load one file, or raise DocumentSkipped with a one-line reason."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise DocumentSkipped(f"unsupported file type '{path.suffix or '(none)'}'")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentSkipped(f"cannot read: {exc.strerror}") from exc
    if size == 0:
        raise DocumentSkipped("empty file")
    if size > max_bytes:
        raise DocumentSkipped(
            f"file is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB "
            "(CAREASSIST_MAX_FILE_MB)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentSkipped(f"cannot read: {exc.strerror}") from exc
    text = loader(raw, path)
    front, body = split_front_matter(text)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        side, _ = split_front_matter(
            "---\n" + _decode(sidecar.read_bytes(), sidecar.name) + "\n---\n"
        )
        front = {**(front or {}), **(side or {})}
    if not body.strip():
        raise DocumentSkipped("no text to index")
    meta, warnings = build_meta(front, body, path)
    return Document(meta=meta, text=body, source_path=str(path), warnings=tuple(warnings))


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders into supported files; return (files, [(path, reason)] for the rest)."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for root in paths:
        if not root.exists():
            skipped.append((str(root), "no such file or directory"))
        elif root.is_dir():
            for p in sorted(root.rglob("*")):
                if (
                    p.is_file()
                    and not p.name.startswith(".")
                    and not p.name.endswith(SIDECAR_SUFFIX)
                ):
                    if p.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(p)
                    else:
                        skipped.append((str(p), f"unsupported file type '{p.suffix or '(none)'}'"))
        else:
            files.append(root)
    return files, skipped
