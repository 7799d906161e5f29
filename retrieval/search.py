"""Hybrid search: dense (Chroma) and keyword (BM25) hits, weighted score fusion, top-k passages.

A `SearchObserver` handed to the Searcher is told what each search did (stage times, the dense
and keyword rankings before fusion and the fused one), so a benchmark measures the shipped code
path instead of re-implementing or overriding it.
"""

import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel

from retrieval.embed import Embedder
from retrieval.errors import BadQuery
from retrieval.filters import Filters
from retrieval.index import Generation, IndexStore
from retrieval.records import ChunkRecord, PassageUnit
from retrieval.settings import RetrievalSettings
from retrieval.text import has_code, query_tokens, tokenize

CANDIDATES = 40
# Dense share of the fused score; a query naming a code leans on the keyword index.
DENSE_WEIGHT, CODE_DENSE_WEIGHT = 0.5, 0.2


class Hit(BaseModel):
    """One retrieved passage. The JSON form is a public interface: add fields, never rename."""

    doc_id: str
    title: str
    doc_type: str
    line_of_business: str
    section: str
    citation: str
    text: str
    score: float
    source_path: str
    version: str
    effective_date: str | None
    end_date: str | None
    heading_path: list[str]
    chunk_id: str
    similarity: float
    # The passage's citable units, and the lead-ins above them kept in another passage.
    units: list[PassageUnit] = []
    context: list[PassageUnit] = []
    version_warning: str | None = None
    source_url: str | None = None


def normalise(scores: dict[int, float]) -> dict[int, float]:
    """Min-max to [0, 1], so dense similarities and BM25 scores can be weighed together."""
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    return {p: (v - lo) / (hi - lo) if hi > lo else 1.0 for p, v in scores.items()}


def fuse(
    dense: dict[int, float], keyword: dict[int, float], dense_weight: float
) -> list[tuple[int, float]]:
    """Weighted score fusion (not reciprocal rank fusion: measured on the labelled queries in
    benchmarks/bench_retrieval.py, RRF lets a chunk in the middle of both lists outrank the top
    hit of one)."""
    d, kw = normalise(dense), normalise(keyword)
    fused = {p: dense_weight * d.get(p, 0.0) + (1 - dense_weight) * kw.get(p, 0.0) for p in d | kw}
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Ranked:
    """A chunk's place in one ranking: the stored record and that ranking's score."""

    record: ChunkRecord
    score: float


@dataclass
class SearchTrace:
    """What one search did. Rankings are best first; `dense` and `keyword` are the candidate
    lists that were fused (filtered, at most CANDIDATES each), `fused` is every fused candidate
    before the cut to `k`."""

    query: str
    k: int
    filters: Filters
    dense_weight: float = DENSE_WEIGHT
    # Seconds per stage (embed, mask, chroma, chroma_filtered, bm25, fuse, similarity_get) and
    # how often each ran: a chroma_filtered call is the slow filtered fallback.
    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    dense: list[Ranked] = field(default_factory=list)
    keyword: list[Ranked] = field(default_factory=list)
    fused: list[Ranked] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.calls[name] = self.calls.get(name, 0) + 1


SearchObserver = Callable[[SearchTrace], None]


def clean_query(query: str, max_chars: int) -> str:
    text = " ".join(query.split())
    if not text:
        raise BadQuery("the query is empty")
    if len(text) > max_chars:
        raise BadQuery(
            f"the query is {len(text):,} characters; the limit is {max_chars:,}. "
            "Ask about one topic at a time."
        )
    if not re.search(r"\w", text):
        raise BadQuery("the query has no words or numbers to search for")
    return text


class Searcher:
    """Serves the current index generation, reopening it when an ingest swaps in a new one."""

    def __init__(
        self,
        settings: RetrievalSettings,
        embedder: Embedder,
        store: IndexStore | None = None,
        observer: SearchObserver | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store if store is not None else IndexStore(settings)
        # Told about every search that ran (not about refused queries).
        self.observer = observer
        self._generation: Generation | None = None
        self._positions: dict[str, int] = {}
        self._marker = -1
        self._lock = threading.Lock()
        self._stats: tuple[dict[str, int], int] = ({}, 0)
        self._stats_of = ""
        self._citations: dict[str, int] = {}
        self._citations_of = ""

    def generation(self) -> Generation:
        marker = self.store.current_marker_mtime()
        with self._lock:
            if self._generation is None or marker != self._marker:
                self._generation = self.store.open()
                self._positions = self._generation.position()
                self._marker = marker
            return self._generation

    def term_stats(self) -> tuple[dict[str, int], int]:
        """(document frequency per keyword token, number of chunks) of the served index."""
        gen = self.generation()
        with self._lock:
            if self._stats_of != gen.name:
                df: dict[str, int] = {}
                for r in gen.records:
                    for token in set(tokenize(r.embed_text)):
                        df[token] = df.get(token, 0) + 1
                self._stats = (df, len(gen.records))
                self._stats_of = gen.name
            return self._stats

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        if k < 1 or k > 100:
            raise BadQuery("k must be between 1 and 100")
        text = clean_query(query, self.settings.max_query_chars)
        filters = filters or Filters()
        trace = SearchTrace(text, k, filters)
        try:
            return self._search(text, k, filters, trace)
        finally:
            if self.observer is not None:
                self.observer(trace)

    def _search(self, text: str, k: int, filters: Filters, trace: SearchTrace) -> list[Hit]:
        gen = self.generation()
        if not gen.records:
            return []
        with trace.stage("mask"):
            mask = filters.mask(gen.columns)
        allowed = int(mask.sum())
        if allowed == 0:
            return []
        with trace.stage("embed"):
            vector = self.embedder.embed_query(text)
        dense, similarity = self._dense(gen, vector, filters, mask, allowed, trace)
        tokens = query_tokens(text)
        with trace.stage("bm25"):
            keyword = self._keyword(gen, tokens, mask)
        weight = CODE_DENSE_WEIGHT if has_code(tokens) else DENSE_WEIGHT
        with trace.stage("fuse"):
            ranked = fuse({p: similarity[p] for p in dense}, dict(keyword), weight)
        fused = ranked[:k]
        missing = [pos for pos, _ in fused if pos not in similarity]
        if missing:
            with trace.stage("similarity_get"):
                similarity.update(self._similarity_of(gen, vector, missing))
        if self.observer is not None:
            records = gen.records
            trace.dense_weight = weight
            trace.dense = [Ranked(records[p], similarity[p]) for p in dense]
            trace.keyword = [Ranked(records[p], score) for p, score in keyword]
            trace.fused = [Ranked(records[p], score) for p, score in ranked]
        return [self._hit(gen.records[pos], score, similarity.get(pos)) for pos, score in fused]

    def _dense(
        self,
        gen: Generation,
        vector: np.ndarray,
        filters: Filters,
        mask: np.ndarray,
        allowed: int,
        trace: SearchTrace,
    ) -> tuple[list[int], dict[int, float]]:
        # Metadata filters are Chroma's slow path: ask unfiltered and filter here first, and
        # fall back to a filtered query only when too few of the nearest chunks pass.
        total = len(gen.records)
        wanted = min(CANDIDATES, allowed)
        # Over-fetch in proportion to how selective the filter is, so the filtered fallback
        # (Chroma's slow `where` path) is rarely needed.
        n = min(total, 1000, max(CANDIDATES * 2, math.ceil(1.5 * wanted * total / allowed)))
        with trace.stage("chroma"):
            ranking, sims = self._query(gen, vector, n, None)
        ranking_ok = [p for p in ranking if mask[p]]
        if len(ranking_ok) < wanted and allowed < total:
            with trace.stage("chroma_filtered"):
                ranking_ok, sims = self._query(gen, vector, wanted, filters.chroma_where())
        return ranking_ok[:CANDIDATES], sims

    def _query(
        self, gen: Generation, vector: np.ndarray, n: int, where: dict[str, Any] | None
    ) -> tuple[list[int], dict[int, float]]:
        result = gen.collection.query(
            query_embeddings=[vector], n_results=n, where=where, include=["distances"]
        )
        ranking, sims = [], {}
        for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True):
            pos = self._positions.get(cid)
            if pos is not None:
                ranking.append(pos)
                sims[pos] = 1.0 - float(dist)
        return ranking, sims

    @staticmethod
    def _similarity_of(
        gen: Generation, vector: np.ndarray, positions: list[int]
    ) -> dict[int, float]:
        ids = [gen.records[p].id for p in positions]
        got = gen.collection.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return {p: float(np.dot(by_id[gen.records[p].id], vector)) for p in positions}

    def _keyword(
        self, gen: Generation, tokens: list[str], mask: np.ndarray
    ) -> list[tuple[int, float]]:
        if not tokens or gen.bm25 is None:
            return []
        scores = np.asarray(gen.bm25.get_scores(tokens), dtype=np.float32)
        scores = np.where(mask, scores, 0.0)
        n = min(CANDIDATES, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(p), float(scores[p])) for p in top if scores[p] > 0]

    @staticmethod
    def record_hit(record: ChunkRecord) -> Hit:
        """A stored chunk as a passage, unscored (for warming caches and following citations)."""
        return Searcher._hit(record, 0.0, None)

    def passage(self, citation: str) -> Hit | None:
        """The passage that holds the paragraph `citation` names, or the chunk cited so."""
        gen = self.generation()
        with self._lock:
            if self._citations_of != gen.name:
                # Built once per generation: following a cross-reference is a dict lookup.
                where: dict[str, int] = {}
                for pos, record in enumerate(gen.records):
                    for unit in record.units:
                        where.setdefault(unit.citation, pos)
                for pos, record in enumerate(gen.records):
                    where.setdefault(record.citation, pos)
                self._citations, self._citations_of = where, gen.name
            found = self._citations.get(citation)
        return None if found is None else self.record_hit(gen.records[found])

    @staticmethod
    def _hit(record: ChunkRecord, score: float, similarity: float | None) -> Hit:
        return Hit(
            doc_id=record.doc_id,
            title=record.title,
            doc_type=record.doc_type,
            line_of_business=record.lob,
            section=record.section,
            citation=record.citation,
            text=record.text,
            score=round(score, 6),
            source_path=record.source_path,
            version=record.version,
            effective_date=record.effective_date,
            end_date=record.end_date,
            heading_path=list(record.heading_path),
            chunk_id=record.id,
            similarity=round(similarity, 4) if similarity is not None else 0.0,
            # Copies: a hit is the caller's to change; the stored record is shared.
            units=[u.model_copy() for u in record.units],
            context=[u.model_copy() for u in record.context],
            version_warning=record.version_warning,
            source_url=record.source_url,
        )
