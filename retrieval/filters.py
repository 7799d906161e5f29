"""Search filters and their two forms: a Chroma `where` clause and a numpy mask."""

from dataclasses import dataclass
from datetime import date

import numpy as np

from retrieval.documents import DocType, LineOfBusiness

OPEN_END = 99991231


def date_int(value: date | None, default: int) -> int:
    return value.year * 10000 + value.month * 100 + value.day if value else default


@dataclass(frozen=True)
class Filters:
    """lob also matches documents that apply to all lines of business."""

    lob: LineOfBusiness | None = None
    doc_types: tuple[DocType, ...] = ()
    as_of: date | None = None
    doc_ids: tuple[str, ...] = ()

    def chroma_where(self) -> dict[str, object] | None:
        clauses: list[dict[str, object]] = []
        if self.lob and self.lob != LineOfBusiness.all:
            clauses.append({"lob": {"$in": [self.lob.value, LineOfBusiness.all.value]}})
        if self.doc_types:
            clauses.append({"doc_type": {"$in": [t.value for t in self.doc_types]}})
        if self.as_of:
            day = date_int(self.as_of, 0)
            clauses.append({"eff": {"$lte": day}})
            clauses.append({"end": {"$gte": day}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def mask(self, columns: "MetadataColumns") -> np.ndarray:
        keep = np.ones(len(columns.lob), dtype=bool)
        if self.lob and self.lob != LineOfBusiness.all:
            keep &= (columns.lob == self.lob.value) | (columns.lob == LineOfBusiness.all.value)
        if self.doc_types:
            keep &= np.isin(columns.doc_type, [t.value for t in self.doc_types])
        if self.as_of:
            day = date_int(self.as_of, 0)
            keep &= (columns.eff <= day) & (columns.end >= day)
        if self.doc_ids:
            keep &= np.isin(columns.doc_id, list(self.doc_ids))
        return keep


@dataclass(frozen=True)
class MetadataColumns:
    """Per-chunk metadata as arrays, so a filter over 100k chunks is a vector operation."""

    doc_id: np.ndarray
    lob: np.ndarray
    doc_type: np.ndarray
    eff: np.ndarray
    end: np.ndarray
