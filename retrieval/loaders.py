"""Read files into Documents: pick the format's reader, then settle the metadata (a sidecar or
folder manifest, else front matter, else what the document says about itself)."""

from collections.abc import Callable
from pathlib import Path

import yaml

from retrieval.documents import DocType, Document, _FrontMatterLoader, build_meta
from retrieval.errors import DocumentSkipped
from retrieval.formats.base import Extracted, decode, split_sections, without_preamble
from retrieval.formats.docx import read_docx
from retrieval.formats.ecfr import read_ecfr
from retrieval.formats.html import read_html
from retrieval.formats.pdf import read_pdf
from retrieval.formats.text import read_text
from retrieval.metadata import (
    apply_policy_lines,
    folder_manifest,
    infer,
    is_manifest,
    strip_meta_lines,
)

SIDECAR_SUFFIX = ".meta.yaml"
READERS: dict[str, Callable[[bytes, Path], list[Extracted]]] = {
    ".md": read_text,
    ".markdown": read_text,
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".xml": read_ecfr,
    ".pdf": read_pdf,
    ".docx": read_docx,
}
SUPPORTED_SUFFIXES = tuple(READERS)


def _read(path: Path, max_bytes: int) -> bytes:
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
        return path.read_bytes()
    except OSError as exc:
        raise DocumentSkipped(f"cannot read: {exc.strerror}") from exc


def _sidecar(path: Path) -> dict[str, object]:
    """`<file>.meta.yaml`: fields that win over everything the file itself says."""
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if not side.exists():
        return {}
    try:
        data = yaml.load(decode(side.read_bytes(), side.name), Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        raise DocumentSkipped(f"sidecar {side.name} is not valid YAML") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DocumentSkipped(f"sidecar {side.name} must be a YAML mapping of fields")
    return data


def _overrides(path: Path) -> dict[str, object]:
    manifest = folder_manifest(path.parent)
    entry = manifest.entries.get(path.name, {}) if manifest and not manifest.error else {}
    return {**entry, **_sidecar(path)}


def load_documents(path: Path, max_bytes: int) -> list[Document]:
    """Load one file as its documents (one per eCFR section, else one), or raise
    DocumentSkipped with a one-line reason."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentSkipped(f"unsupported file type '{path.suffix or '(none)'}'")
    parts = [p for part in reader(_read(path, max_bytes), path) for p in split_sections(part)]
    overrides = _overrides(path)
    if len(parts) > 1 and overrides:
        # One entry for a file of many sections cannot name each of them.
        overrides = {k: v for k, v in overrides.items() if k not in ("doc_id", "title", "citation")}
    docs: list[Document] = []
    empty = 0
    for part in parts:
        body, lines = strip_meta_lines(part.text)
        if not body.strip():
            empty += 1
            continue
        inferred = infer(body, part.hints, path.name, lines)
        apply_policy_lines(lines, inferred)
        meta, warnings = build_meta(part.front, body, path, inferred.fields, overrides)
        if meta.doc_type == DocType.regulation and part.front is None:
            body = without_preamble(body)
        docs.append(
            Document(
                meta=meta,
                text=body,
                source_path=str(path),
                warnings=tuple(part.warnings + inferred.warnings + warnings),
            )
        )
    if not docs:
        raise DocumentSkipped("no text to index")
    return docs


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
                    not p.is_file()
                    or p.name.startswith(".")
                    or p.name.endswith(SIDECAR_SUFFIX)
                    or is_manifest(p)
                ):
                    continue
                if p.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(p)
                else:
                    skipped.append((str(p), f"unsupported file type '{p.suffix or '(none)'}'"))
        else:
            files.append(root)
    return files, skipped


def manifest_problems(files: list[Path]) -> tuple[list[tuple[str, str]], list[str]]:
    """Manifests of the folders holding `files`: ([(manifest, reason)] for one that could not be
    applied, [warnings] for entries that were ignored)."""
    skipped: list[tuple[str, str]] = []
    warnings: list[str] = []
    for folder in sorted({f.parent for f in files}):
        manifest = folder_manifest(folder)
        if manifest is None:
            continue
        if manifest.error:
            skipped.append((str(manifest.path), manifest.error))
        warnings.extend(manifest.problems)
    return skipped, warnings
