"""The stored form of a chunk: one line of a generation's chunks.jsonl, and what search reads.

Field names are the keys on disk (`id`, `lob`, `eff`, `end`): a generation written before a
field existed must still load, so fields are added with defaults and never renamed. Chroma sees
only `chroma_metadata()`, the flat dict its filters need.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict

from retrieval.documents import Chunk, Unit
from retrieval.filters import OPEN_END, date_int


class PassageUnit(BaseModel):
    """A paragraph or list item of a passage, with its pinpoint citation (see retrieval/chunk)."""

    index: int
    kind: str
    text: str
    label: str = ""
    citation: str
    parent: int = -1
    lead_in: bool = False
    refs: list[str] = []
    items: int = 0  # units it introduces in the whole document (0: indexed before the count)

    @classmethod
    def of(cls, unit: Unit) -> "PassageUnit":
        return cls(
            index=unit.index,
            kind=unit.kind,
            text=unit.text,
            label=unit.label,
            citation=unit.citation,
            parent=unit.parent,
            lead_in=unit.lead_in,
            refs=list(unit.refs),
            items=unit.items,
        )


class ChunkRecord(BaseModel):
    """One indexed chunk with its document's metadata, as stored and as searched."""

    model_config = ConfigDict(frozen=True)

    id: str
    doc_key: str
    doc_id: str
    title: str
    doc_type: str
    lob: str  # the document's line of business
    version: str
    effective_date: str | None
    end_date: str | None
    # The effective and end dates as YYYYMMDD integers (OPEN_END when open): the filter columns.
    eff: int
    end: int
    section: str
    heading_path: tuple[str, ...]
    citation: str
    text: str
    units: tuple[PassageUnit, ...] = ()
    # Lead-ins above this chunk's units that live in another chunk.
    context: tuple[PassageUnit, ...] = ()
    version_warning: str | None = None
    source_url: str | None = None
    embed_text: str
    source_path: str

    @classmethod
    def of(cls, chunk: Chunk) -> "ChunkRecord":
        meta = chunk.meta
        return cls(
            id=chunk.chunk_id,
            doc_key=chunk.doc_key,
            doc_id=meta.doc_id,
            title=meta.title,
            doc_type=meta.doc_type.value,
            lob=meta.line_of_business.value,
            version=meta.version,
            effective_date=meta.effective_date.isoformat() if meta.effective_date else None,
            end_date=meta.end_date.isoformat() if meta.end_date else None,
            eff=date_int(meta.effective_date, 0),
            end=date_int(meta.end_date, OPEN_END),
            section=chunk.section,
            heading_path=chunk.heading_path,
            citation=chunk.citation,
            text=chunk.text,
            units=tuple(PassageUnit.of(u) for u in chunk.units),
            context=tuple(PassageUnit.of(u) for u in chunk.context),
            version_warning=meta.version_warning,
            source_url=meta.source_url,
            embed_text=chunk.embedding_text(),
            source_path=chunk.source_path,
        )

    def chroma_metadata(self) -> dict[str, Any]:
        """The flat metadata Chroma stores beside the vector: what its `where` filters read."""
        return {
            "doc_id": self.doc_id,
            "doc_key": self.doc_key,
            "doc_type": self.doc_type,
            "lob": self.lob,
            "eff": self.eff,
            "end": self.end,
            "citation": self.citation,
            "version": self.version,
        }
