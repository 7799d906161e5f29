"""Documents in, cited passages out. Imports no other careassist package.

The names below are the public surface: code outside retrieval imports them from `retrieval`.
They load on first use, so `from retrieval import tokenize` does not pay for the document
readers or the search stack.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retrieval.chroma import ChromaClients, EmbeddedChroma, ServerChroma, chroma_from_settings
    from retrieval.chunk import chunk_document
    from retrieval.documents import Chunk, DocMeta, DocType, Document, LineOfBusiness, Unit
    from retrieval.embed import Embedder, load_embedder
    from retrieval.errors import (
        BadQuery,
        DocumentSkipped,
        IndexNotFound,
        ModelIntegrityError,
        RetrievalError,
    )
    from retrieval.filters import Filters
    from retrieval.index import Generation, IndexStore, current_records
    from retrieval.ingest import IngestReport, load_all
    from retrieval.loaders import discover, load_documents
    from retrieval.records import ChunkRecord, PassageUnit
    from retrieval.search import Hit, Ranked, Searcher, SearchObserver, SearchTrace
    from retrieval.settings import MAX_QUERY_CHARS, RetrievalSettings
    from retrieval.text import (
        ICD10_RE,
        QUERY_EXPANSIONS,
        SERVICE_CODE_RE,
        STOPWORDS,
        codes_in,
        has_code,
        query_tokens,
        tokenize,
    )

_MODULES = {
    "chroma": ("ChromaClients", "EmbeddedChroma", "ServerChroma", "chroma_from_settings"),
    "chunk": ("chunk_document",),
    "documents": ("Chunk", "DocMeta", "DocType", "Document", "LineOfBusiness", "Unit"),
    "embed": ("Embedder", "load_embedder"),
    "errors": (
        "BadQuery",
        "DocumentSkipped",
        "IndexNotFound",
        "ModelIntegrityError",
        "RetrievalError",
    ),
    "filters": ("Filters",),
    "index": ("Generation", "IndexStore", "current_records"),
    # Not `ingest` itself: the name is its module's, which Python binds here once imported.
    "ingest": ("IngestReport", "load_all"),
    "loaders": ("discover", "load_documents"),
    "records": ("ChunkRecord", "PassageUnit"),
    "search": ("Hit", "Ranked", "Searcher", "SearchObserver", "SearchTrace"),
    "settings": ("MAX_QUERY_CHARS", "RetrievalSettings"),
    "text": (
        "ICD10_RE",
        "QUERY_EXPANSIONS",
        "SERVICE_CODE_RE",
        "STOPWORDS",
        "codes_in",
        "has_code",
        "query_tokens",
        "tokenize",
    ),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "ICD10_RE",
    "MAX_QUERY_CHARS",
    "QUERY_EXPANSIONS",
    "SERVICE_CODE_RE",
    "STOPWORDS",
    "BadQuery",
    "ChromaClients",
    "Chunk",
    "ChunkRecord",
    "DocMeta",
    "DocType",
    "Document",
    "DocumentSkipped",
    "EmbeddedChroma",
    "Embedder",
    "Filters",
    "Generation",
    "Hit",
    "IndexNotFound",
    "IndexStore",
    "IngestReport",
    "LineOfBusiness",
    "ModelIntegrityError",
    "PassageUnit",
    "Ranked",
    "RetrievalError",
    "RetrievalSettings",
    "SearchObserver",
    "SearchTrace",
    "Searcher",
    "ServerChroma",
    "Unit",
    "chroma_from_settings",
    "chunk_document",
    "codes_in",
    "current_records",
    "discover",
    "has_code",
    "load_all",
    "load_documents",
    "load_embedder",
    "query_tokens",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'retrieval' has no attribute {name!r}")
    value = getattr(import_module(f"retrieval.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
