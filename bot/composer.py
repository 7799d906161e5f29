"""The grounded extractive composer: the answer is made of sentences from retrieved passages.

Each sentence is scored by similarity to the question plus keyword overlap; the best ones are
kept (redundant ones dropped), ordered by passage rank and position, and cited [n]. When the best
support is under a threshold tuned on labelled data (bot/data/abstention.json, written by
benchmarks/tune_abstention.py) the composer abstains and shows the closest passages instead.
"""

import json
import math
import os
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from threading import Lock

import numpy as np

from bot.guardrails import is_instruction_like
from bot.router import Encoder
from retrieval.index import tokenize
from retrieval.search import Hit, Searcher

ABSTAIN_TEXT = "The indexed documents do not answer this."
MAX_SENTENCES = 4
MAX_PASSAGES = 3
REDUNDANT = 0.88
W_SENTENCE, W_OVERLAP, W_PASSAGE = 0.45, 0.3, 0.25
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
NUMERIC_QUESTION_RE = re.compile(
    r"\b(how (long|many|much|fast|soon)|when|deadline|within|days?|hours?|rate|limit|percent)\b",
    re.I,
)
# Words that appear in almost every question and say nothing about which passage answers it.
GENERIC = frozenset(
    "plan policy request member our does need needs tell about under per sunrise synthetic "
    "health please say says".split()
)


@dataclass(frozen=True)
class Scored:
    passage: int
    position: int
    text: str
    score: float
    vector: np.ndarray


@dataclass(frozen=True)
class Composed:
    text: str
    used: list[int]
    abstained: bool
    support: float


@dataclass(frozen=True)
class Abstention:
    """Abstain when best sentence score - unknown_weight * unknown-term share < threshold."""

    threshold: float
    unknown_weight: float


def load_abstention() -> Abstention:
    data = json.loads(resources.files("bot").joinpath("data/abstention.json").read_text())
    return Abstention(float(data["threshold"]), float(data.get("unknown_weight", 0.0)))


def content_tokens(text: str) -> set[str]:
    return {t for t in tokenize(text) if t not in GENERIC and len(t) > 1}


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*]|\d+[.)])\s+", "", line).strip()
        if not line:
            continue
        out.extend(s.strip() for s in SENTENCE_RE.split(line) if len(s.split()) >= 4)
    return out


class SentenceCache:
    """Sentence vectors per chunk. Warmed for a whole index generation at start-up (and saved
    beside it, so the next worker loads instead of encoding); otherwise filled on first use."""

    def __init__(self, encoder: Encoder, capacity: int = 20_000) -> None:
        self.encoder = encoder
        self.capacity = capacity
        self._items: OrderedDict[str, tuple[list[str], np.ndarray]] = OrderedDict()
        self._lock = Lock()

    def _compute(self, chunks: list[tuple[str, str]]) -> None:
        sentences = [
            [s for s in split_sentences(text) if not is_instruction_like(s)] for _, text in chunks
        ]
        flat = [s for group in sentences for s in group]
        vectors = self.encoder.embed(flat) if flat else np.zeros((0, 1), dtype=np.float32)
        self._store(chunks, sentences, vectors)

    def _store(
        self, chunks: list[tuple[str, str]], sentences: list[list[str]], vectors: np.ndarray
    ) -> None:
        with self._lock:
            start = 0
            for (chunk_id, _), group in zip(chunks, sentences, strict=True):
                self._items[chunk_id] = (group, vectors[start : start + len(group)])
                start += len(group)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def get(self, hits: list[Hit]) -> list[tuple[list[str], np.ndarray]]:
        with self._lock:
            missing = [(h.chunk_id, h.text) for h in hits if h.chunk_id not in self._items]
        if missing:
            self._compute(missing)
        with self._lock:
            for h in hits:
                self._items.move_to_end(h.chunk_id)
            return [self._items[h.chunk_id] for h in hits]

    def warm(self, chunks: list[tuple[str, str]], folder: Path, model: str) -> None:
        """Fill the cache for every chunk, from `folder/sentences.*` when a worker saved them."""
        if len(chunks) > self.capacity:
            return
        meta_path, vec_path = folder / "sentences.json", folder / "sentences.npy"
        try:
            meta = json.loads(meta_path.read_text())
            if meta["model"] == model and [c for c, _ in meta["chunks"]] == [c for c, _ in chunks]:
                self._store(chunks, [g for _, g in meta["chunks"]], np.load(vec_path))
                return
        except (OSError, ValueError, KeyError):
            pass  # absent or stale: compute and save below
        self._compute(chunks)
        with self._lock:
            groups = [self._items[c][0] for c, _ in chunks]
            vectors = [self._items[c][1] for c, _ in chunks]
        stacked = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
        tmp = folder / f".sentences-{os.getpid()}"
        try:
            np.save(f"{tmp}.npy", stacked)
            Path(f"{tmp}.json").write_text(
                json.dumps(
                    {
                        "model": model,
                        "chunks": [[c, g] for (c, _), g in zip(chunks, groups, strict=True)],
                    }
                )
            )
            # Vectors first: a reader that finds the new JSON also finds matching vectors.
            os.replace(f"{tmp}.npy", vec_path)
            os.replace(f"{tmp}.json", meta_path)
        except OSError:
            pass  # a read-only index still serves; the next worker computes again


class Composer:
    def __init__(
        self,
        encoder: Encoder,
        threshold: float | None = None,
        term_stats: Callable[[], tuple[dict[str, int], int]] | None = None,
        unknown_weight: float | None = None,
    ) -> None:
        self.encoder = encoder
        self.cache = SentenceCache(encoder)
        tuned = load_abstention()
        self.threshold = tuned.threshold if threshold is None else threshold
        self.unknown_weight = tuned.unknown_weight if unknown_weight is None else unknown_weight
        self.term_stats = term_stats

    def idf(self) -> Callable[[str], float]:
        """Rare words weigh more; a word the index never uses weighs most of all."""
        if self.term_stats is None:
            return lambda _token: 1.0
        df, n = self.term_stats()
        return lambda token: math.log((n + 1) / (df.get(token, 0) + 0.5))

    def unknown_share(self, question: str) -> float:
        """Share of the question's content words that appear nowhere in the index."""
        if self.term_stats is None:
            return 0.0
        words = content_tokens(question)
        if not words:
            return 0.0
        df, _ = self.term_stats()
        return sum(1 for w in words if w not in df) / len(words)

    def score(self, question: str, hits: list[Hit]) -> list[Scored]:
        q_vec = self.encoder.embed_query(question)
        q_tokens = content_tokens(question)
        idf = self.idf()
        q_weight = sum(idf(t) for t in q_tokens)
        wants_number = bool(NUMERIC_QUESTION_RE.search(question))
        scored: list[Scored] = []
        passage_sim = [h.similarity for h in hits]
        for p, (sentences, vectors) in enumerate(self.cache.get(hits)):
            for i, (sentence, vec) in enumerate(zip(sentences, vectors, strict=True)):
                s_tokens = content_tokens(sentence)
                shared = sum(idf(t) for t in q_tokens & s_tokens)
                overlap = shared / q_weight if q_weight else 0.0
                # The passage's own similarity carries its heading path ("Medicare Advantage
                # expedited requests"), which a sentence alone may not repeat.
                score = (
                    W_SENTENCE * float(vec @ q_vec)
                    + W_OVERLAP * overlap
                    + W_PASSAGE * passage_sim[p]
                    + 0.03 / (p + 1)
                )
                if wants_number and re.search(r"\d", sentence):
                    score += 0.05
                scored.append(Scored(p, i, sentence, score, vec))
        return scored

    def warm(self, searcher: "Searcher", limit: int) -> None:
        """Encode every sentence of the served index once, when it has at most `limit` chunks."""
        gen = searcher.generation()
        if len(gen.records) <= limit:
            chunks = [(r["id"], r["text"]) for r in gen.records]
            self.cache.warm(chunks, gen.path, str(gen.manifest.get("model", "")))

    def features(self, question: str, hits: list[Hit]) -> tuple[float, float]:
        """(best sentence score, unknown-term share): what the abstention rule looks at."""
        best = max((s.score for s in self.score(question, hits)), default=0.0)
        return best, self.unknown_share(question)

    def compose(self, question: str, hits: list[Hit]) -> Composed:
        scored = self.score(question, hits)
        best = max((s.score for s in scored), default=0.0)
        support = best - self.unknown_weight * self.unknown_share(question)
        if support < self.threshold:
            return Composed(ABSTAIN_TEXT, [], True, support)
        chosen: list[Scored] = []
        passages: list[int] = []
        for s in sorted(scored, key=lambda s: -s.score):
            if len(chosen) >= MAX_SENTENCES or s.score < max(self.threshold, 0.75 * best):
                break
            if s.passage not in passages and len(passages) >= MAX_PASSAGES:
                continue
            if any(float(s.vector @ c.vector) > REDUNDANT for c in chosen):
                continue
            chosen.append(s)
            if s.passage not in passages:
                passages.append(s.passage)
        chosen.sort(key=lambda s: (passages.index(s.passage), s.position))
        numbers = {p: n for n, p in enumerate(passages, 1)}
        text = " ".join(f"{s.text} [{numbers[s.passage]}]" for s in chosen)
        return Composed(text, passages, False, support)
