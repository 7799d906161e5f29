"""Index generations on disk: Chroma collection + BM25 + chunk table, swapped in atomically.

Layout under the index directory:
    CURRENT            name of the generation being served (replaced atomically)
    gen-<id>/          chunks.jsonl, bm25/, manifest.json, artefacts/ and, when embedded, chroma/
A rebuild writes a new generation beside the served one and only then rewrites CURRENT, so a
crash mid-way leaves the old generation serving. The manifest is written last and atomically: a
folder without one is the leftover of an interrupted ingest, never a generation. Pruning keeps
the new generation and the one CURRENT named before the swap, whatever the folder names say.
Caches derived from a generation (the composer's unit vectors) live in its `artefacts/` folder,
handed out by `Generation.artefacts`, so they are pruned with it and never outlive their index.
"""

import fcntl
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.chroma import ChromaClients, chroma_from_settings, collection_name
from retrieval.errors import IndexNotFound, RetrievalError
from retrieval.filters import MetadataColumns
from retrieval.records import ChunkRecord
from retrieval.settings import RetrievalSettings
from retrieval.text import tokenize

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CURRENT = "CURRENT"
ARTEFACTS = "artefacts"
ARTEFACT_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
CHROMA_BATCH = 1000


def _bm25s() -> Any:
    """Import bm25s quietly: it sets its logger to DEBUG when imported."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@dataclass
class Generation:
    """One complete, immutable index generation, opened for reading."""

    name: str
    path: Path
    records: list[ChunkRecord]
    columns: MetadataColumns
    bm25: Any
    collection: Any
    manifest: dict[str, Any]

    def position(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.records)}

    @property
    def model(self) -> str:
        """The embedding model the generation was written with."""
        return str(self.manifest.get("model", ""))

    def artefacts(self, name: str) -> Path:
        """The folder for the derived cache `name` of this generation (created when writable).

        A caller writes its files there atomically and checks they match what it needs (model,
        contents) before trusting them: the folder goes when the generation is pruned.
        """
        if not ARTEFACT_NAME_RE.match(name):
            raise ValueError(f"artefact name {name!r}: lowercase letters, digits and '-' only")
        folder = self.path / ARTEFACTS / name
        with suppress(OSError):  # a read-only index still serves; the cache is recomputed
            folder.mkdir(parents=True, exist_ok=True)
        return folder


def _read_records(path: Path) -> list[ChunkRecord]:
    with (path / "chunks.jsonl").open() as fh:
        return [ChunkRecord.model_validate_json(line) for line in fh]


def current_records(index_dir: Path) -> list[ChunkRecord]:
    """The chunk records of the index's current generation, without opening its keyword or
    vector structures: for a report of what is indexed. IndexNotFound when there is none."""
    root = Path(index_dir)
    try:
        name = (root / CURRENT).read_text().strip()
        return _read_records(root / name)
    except OSError as exc:
        raise IndexNotFound(
            f"no index at {root}; build one with `careassist ingest corpus`"
        ) from exc


class IndexStore:
    """The generations under one index directory, their collections held by `chroma`."""

    def __init__(self, settings: RetrievalSettings, chroma: ChromaClients | None = None) -> None:
        self.settings = settings
        self.root = Path(settings.index_dir)
        self.chroma = chroma if chroma is not None else chroma_from_settings(settings)

    def current_name(self) -> str | None:
        try:
            name = (self.root / CURRENT).read_text().strip()
        except FileNotFoundError:
            return None
        return name if (self.root / name / "manifest.json").is_file() else None

    def current_marker_mtime(self) -> int:
        try:
            return (self.root / CURRENT).stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """One writer at a time per index directory; readers never wait."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise RetrievalError(f"another ingest is writing {self.root}; try again") from exc
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def open(self, name: str | None = None) -> Generation:
        name = name or self.current_name()
        if name is None:
            raise IndexNotFound(
                f"no index at {self.root}; build one with `careassist ingest corpus`"
            )
        bm25s = _bm25s()
        path = self.root / name
        manifest = json.loads((path / "manifest.json").read_text())
        records = _read_records(path)
        columns = MetadataColumns(
            doc_id=np.array([r.doc_id for r in records], dtype=object),
            lob=np.array([r.lob for r in records], dtype=object),
            doc_type=np.array([r.doc_type for r in records], dtype=object),
            eff=np.array([r.eff for r in records], dtype=np.int64),
            end=np.array([r.end for r in records], dtype=np.int64),
        )
        bm25 = bm25s.BM25.load(str(path / "bm25")) if records else None
        collection = self.chroma.client(path).get_collection(manifest["collection"])
        return Generation(name, path, records, columns, bm25, collection, manifest)

    def write(
        self,
        records: list[ChunkRecord],
        embeddings: np.ndarray,
        model_name: str,
        documents: dict[str, str],
    ) -> str:
        """Write a complete new generation beside the served one; return its name."""
        bm25s = _bm25s()
        name = "gen-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        path = self.root / name
        path.mkdir(parents=True)
        collection = self.chroma.client(path).create_collection(
            collection_name(name),
            metadata={"hnsw:space": "cosine", "model": model_name},
            embedding_function=None,
        )
        for start in range(0, len(records), CHROMA_BATCH):
            batch = records[start : start + CHROMA_BATCH]
            collection.add(
                ids=[r.id for r in batch],
                embeddings=embeddings[start : start + CHROMA_BATCH],
                metadatas=[r.chroma_metadata() for r in batch],
            )
        if records:
            bm25 = bm25s.BM25()
            bm25.index([tokenize(r.embed_text) for r in records], show_progress=False)
            bm25.save(str(path / "bm25"))
        tmp = path / "chunks.jsonl.tmp"
        with tmp.open("w") as fh:
            for r in records:
                fh.write(r.model_dump_json() + "\n")
        tmp.replace(path / "chunks.jsonl")
        manifest = {
            "generation": name,
            "collection": collection_name(name),
            "model": model_name,
            "chunks": len(records),
            "documents": documents,
            "created": datetime.now(UTC).isoformat(),
        }
        # Last, and atomic: the manifest is the marker that this generation is complete.
        tmp_manifest = path / "manifest.json.tmp"
        tmp_manifest.write_text(json.dumps(manifest, indent=1))
        os.replace(tmp_manifest, path / "manifest.json")
        return name

    def swap(self, name: str) -> None:
        """Point CURRENT at a complete generation atomically, then prune old ones."""
        if not (self.root / name / "manifest.json").is_file():
            raise RetrievalError(f"generation {name} is incomplete; not swapping it in")
        previous = self.current_name()
        tmp = self.root / (CURRENT + ".tmp")
        tmp.write_text(name + "\n")
        os.replace(tmp, self.root / CURRENT)
        self._prune(keep={name} | ({previous} if previous else set()))

    def _prune(self, keep: set[str]) -> None:
        """Delete every generation folder but `keep`: older ones and interrupted leftovers.

        Called under the writer lock, so no other ingest is writing a folder removed here. The
        previous generation stays one more round: a server may still be reading it.
        """
        for p in self.root.glob("gen-*"):
            if p.is_dir() and p.name not in keep:
                self.chroma.drop(p.name)
                shutil.rmtree(p, ignore_errors=True)
