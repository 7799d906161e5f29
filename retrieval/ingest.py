"""Ingest: files -> documents -> chunks -> embeddings -> a new index generation, swapped in."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.chunk import chunk_document
from retrieval.documents import Document
from retrieval.embed import Embedder
from retrieval.errors import DocumentSkipped, IndexNotFound
from retrieval.index import Generation, IndexStore
from retrieval.loaders import discover, load_documents, manifest_problems
from retrieval.records import ChunkRecord
from retrieval.settings import RetrievalSettings

# (stage, done, total): stage is "load" or "embed".
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    removed_documents: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    generation: str | None = None
    unchanged: bool = False


def _within(path: str, roots: list[Path]) -> bool:
    p = Path(path).resolve()
    return any(p == r or r in p.parents for r in roots)


def load_all(
    paths: list[Path], settings: RetrievalSettings, progress: Progress | None
) -> tuple[list[Document], list[tuple[str, str]], list[str]]:
    """Every document under `paths`, with [(path, reason)] for each file not read and the
    warnings (each once) for those read with a fallback."""
    files, skipped = discover(paths)
    bad_manifests, warnings = manifest_problems(files)
    skipped.extend(bad_manifests)
    docs: list[Document] = []
    seen: dict[str, str] = {}
    max_bytes = int(settings.max_file_mb * 1_000_000)
    for i, f in enumerate(files, 1):
        try:
            loaded = load_documents(f, max_bytes)
        except DocumentSkipped as exc:
            skipped.append((str(f), str(exc)))
            loaded = []
        except Exception as exc:  # a reader bug must not stop the ingest or hide the file
            skipped.append((str(f), f"could not be read ({type(exc).__name__}: {exc})"))
            loaded = []
        for doc in loaded:
            if doc.key in seen:
                skipped.append(
                    (
                        str(f),
                        f"duplicate of {doc.meta.doc_id} version {doc.meta.version} "
                        f"already read from {seen[doc.key]}",
                    )
                )
                continue
            seen[doc.key] = str(f)
            docs.append(doc)
            warnings.extend(w for w in doc.warnings if w not in warnings)
        if progress:
            progress("load", i, len(files))
    return docs, skipped, warnings


def ingest(
    paths: list[Path],
    settings: RetrievalSettings,
    embedder: Embedder,
    progress: Progress | None = None,
    store: IndexStore | None = None,
) -> IngestReport:
    """Sync the index with the documents under `paths`.

    Documents previously read from inside `paths` that are gone now are removed; documents from
    elsewhere stay. Unchanged chunks keep their stored embeddings, so a re-ingest is cheap.
    """
    started = time.perf_counter()
    store = store if store is not None else IndexStore(settings)
    report = IngestReport()
    with store.writer_lock():
        docs, report.skipped, report.warnings = load_all(paths, settings, progress)
        roots = [p.resolve() for p in paths if p.exists()]
        new_records: list[ChunkRecord] = []
        seen_ids: set[str] = set()
        for doc in docs:
            for chunk in chunk_document(doc, settings.chunk_words):
                if chunk.chunk_id not in seen_ids:
                    seen_ids.add(chunk.chunk_id)
                    new_records.append(ChunkRecord.of(chunk))
        new_keys = {d.key for d in docs}
        try:
            old = store.open()
        except IndexNotFound:
            old = None
        kept: list[ChunkRecord] = []
        if old is not None:
            for r in old.records:
                if r.doc_key in new_keys or r.id in seen_ids:
                    continue
                if _within(r.source_path, roots):
                    if r.doc_key not in report.removed_documents:
                        report.removed_documents.append(r.doc_key)
                else:
                    kept.append(r)
        records = kept + new_records
        documents = {r.doc_key: r.source_path for r in records}
        report.documents = len(docs)
        report.chunks = len(new_records)
        if old is not None and {r.id for r in old.records} == {r.id for r in records}:
            report.unchanged = True
            report.generation = old.name
        else:
            vectors = _embeddings(records, old, embedder, progress, report)
            name = store.write(records, vectors, embedder.name, documents)
            store.swap(name)
            report.generation = name
    report.seconds = time.perf_counter() - started
    return report


def _embeddings(
    records: list[ChunkRecord],
    old: Generation | None,
    embedder: Embedder,
    progress: Progress | None,
    report: IngestReport,
) -> np.ndarray:
    vectors = np.zeros((len(records), embedder.dimension), dtype=np.float32)
    where = {r.id: i for i, r in enumerate(records)}
    reused: set[str] = set()
    if old is not None and old.manifest.get("model") == embedder.name and old.records:
        old_ids = old.position()
        wanted = [cid for cid in where if cid in old_ids]
        for start in range(0, len(wanted), 1000):
            got = old.collection.get(ids=wanted[start : start + 1000], include=["embeddings"])
            for cid, emb in zip(got["ids"], got["embeddings"], strict=True):
                vectors[where[cid]] = emb
                reused.add(cid)
    todo = [i for i, r in enumerate(records) if r.id not in reused]
    # Similar lengths in a batch waste less on padding (sentence-transformers sorts per call).
    todo.sort(key=lambda i: len(records[i].embed_text))
    batch = 64
    for start in range(0, len(todo), batch):
        idx = todo[start : start + batch]
        vectors[idx] = embedder.embed([records[i].embed_text for i in idx])
        if progress:
            progress("embed", min(start + batch, len(todo)), len(todo))
    report.embedded = len(todo)
    return vectors
