"""The grounded extractive composer: the answer is made of whole units of retrieved passages.

A unit is a paragraph or list item with its pinpoint citation (retrieval/chunk.py). Each unit is
scored by its similarity to the question (its own vector or its best sentence's), keyword overlap
and its passage's similarity. The answer quotes the best unit, with the items a lead-in
introduces, and up to two more units that score close to it and add something, within a length
budget; a near-duplicate from another document (a regulation and the policy restating it) is not
repeated, its citation is added. When a rule fitted on labelled data (bot/data/abstention.json,
written by benchmarks/tune_abstention.py) finds the support too weak, the composer abstains and
the closest passages are shown instead.
"""

import json
import math
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from threading import Lock

import numpy as np

from bot.answerkind import Asked, states, unstated
from bot.english import rarity
from bot.guardrails import is_instruction_like
from bot.router import Encoder
from retrieval.search import Hit, PassageUnit, Searcher
from retrieval.text import QUERY_EXPANSIONS, query_tokens, tokenize

ABSTAIN_TEXT = "The indexed documents do not answer this."
REDUNDANT = 0.88
# A second statement must score this share of the best: less from the first one's document.
SECOND_SHARE, SAME_DOC_SHARE = 0.7, 0.8
MAX_STATEMENTS = 3
# A unit from another document this close to a quoted one restates it: cite it, don't repeat it.
RESTATES = 0.8
# ... and a paragraph stating only time limits the statement shows restates part of it at this.
RESTATES_PART = 0.6
W_SENTENCE, W_OVERLAP, W_PASSAGE = 0.45, 0.4, 0.25
# The search's own fused (dense + keyword) score of the passage, 1.0 for its best hit.
W_FUSED = 0.3
# Long paragraphs are trimmed to their best sentences; lists are shown whole up to a size.
# 600 -> 750 on the fifth tuning round: a 700-character paragraph cut to two sentences lost
# the one that answered as often as not (fact recall 0.677 -> 0.690 over the tuning half, the
# median answer 771 -> 774 characters).
MAX_UNIT_CHARS = 750
MAX_ITEMS, SHOWN_ITEMS = 12, 8
# ... a list of more items is still shown whole when its items are this short in all.
LIST_CHARS = 900
# Of a list cut short, this many of the items shown are those that best match the question.
MATCHED_ITEMS = 3
# A table row as the readers write it: "Urgent (pre-service) — Decide within: 72 hours; ...".
TABLE_ROW_RE = re.compile(r"^[^—\n]{1,150} — [^:;\n]{1,60}: \S")
# A table asked about one row shows the rows within this much of the best one's score.
ROW_MARGIN = 0.03
# An answer whose best unit clearly leads is kept short; when another unit scores within
# CONTESTED_MARGIN of it, the engine is unsure which one answers and shows both (room to 1100).
# Chosen on the tuning half's two parts apart (questions on the first documents written, then on
# later ones): margin 0.03 -> 0.1 with the confident budget 770 -> 650 raised fact recall on both
# parts (0.832 -> 0.844, 0.763 -> 0.814) and kept the median answer under 700 characters.
ANSWER_BUDGET = 650
CONTESTED_MARGIN, CONTESTED_BUDGET = 0.1, 1100
# A later statement shorter than this says too little to be worth its citation.
MIN_STATEMENT_CHARS = 120
SENTENCE_RE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'])")
NUMERIC_QUESTION_RE = re.compile(
    r"\b(how (long|many|much|fast|soon)|when|deadline|within|days?|hours?|rate|limit|percent)\b",
    re.I,
)
# What kind of answer a question asks for. A question for a time limit is answered by a unit
# that states one; a question for what a notice must contain or what criteria apply, by a list.
DURATION_QUESTION_RE = re.compile(
    r"\b(how (long|fast|soon|quickly)|by when|deadline|time ?frames?|turnaround|"
    r"how many (calendar |business )?(days|hours|weeks|months))\b",
    re.I,
)
DURATION_RE = re.compile(
    r"\b(\d+|one|two|three|five|seven|ten|fourteen|thirty|sixty)[- ](calendar |business )?"
    r"(days?|hours?|weeks?|months?|years?)\b",
    re.I,
)
LIST_QUESTION_RE = re.compile(
    r"\b(what (info(rmation)?|items?|criteria|requirements|conditions|elements)|"
    r"(has|have|needs?|must) (to )?(be )?(in|included?|contain|listed|documented)|"
    r"what (must|should|does|do) .{0,40}\b(contain|include|list|say)|criteria|requirements)\b",
    re.I,
)
ANSWER_KIND_BONUS = 0.06
# "What counts as exigent circumstances?", "How does 438.114 define an emergency medical
# condition?": the term asked to be defined (group 1 or 2).
DEFINITION_QUESTION_RE = re.compile(
    r"\b(?:what (?:counts|qualifies) as|what is meant by|definition of|how (?:is|are|does "
    r"\S+(?: \S+)?) defin\w*|\bdefine)\s+(?:an? |the )?['\"‘“]?([a-z][\w '-]{2,50}?)['\"’”]?"
    r"(?=\s+(?:so|for|in|under|to|when|if|mean|means)\b|\s*[?,.;]|$)"
    r"|\bwhat (?:does|do) (?:an? |the )?['\"‘“]?([a-z][\w '-]{2,50}?)['\"’”]? mean\b",
    re.I,
)
# How a passage defines a term: "X means ...", "X exist when ...", "X is defined as ...".
DEFINING_RE = re.compile(
    r"\b(?:means|mean|is defined as|are defined as|refers? to|exists? (?:when|if)|is considered|"
    r"are considered|includes? (?:any|the following))\b",
    re.I,
)
# "Under our policy", "per the regulation": the kind of document the asker wants quoted.
DOC_TYPE_ASKS = (
    (
        "policy",
        re.compile(
            r"\b(our|plan'?s?|internal) (\w+ ){0,2}polic(y|ies)\b|\bper (our )?policy\b", re.I
        ),
    ),
    (
        "regulation",
        re.compile(
            r"\b(regulations?|CFR|the regs?|federal( [\w-]+){0,4} (rules?|requirements?|regs?)|"
            r"CMS (rules?|regs?|requires?))\b",
            re.I,
        ),
    ),
)
# A unit that only points elsewhere ("as specified in paragraph (b)(2)"): follow the pointer.
POINTER_RE = re.compile(
    r"\b(specified|described|set forth|provided|defined|listed) (in|under|at)\b"
    r"|\bin accordance with\b|\bsee (section|§)",
    re.I,
)
# Sections that record a document's history or sources rather than state its rules: they answer
# only when nothing else does.
APPARATUS_RE = re.compile(
    r"\b(revision|version|change|document) history\b|\bhistory of (changes|revisions)\b"
    r"|\breferences\b|\bbibliography\b|\brelated (documents|policies)\b|\bsources\b",
    re.I,
)
APPARATUS_PENALTY = 0.15
# A section that says what the document is for ("1. Purpose", "2 Scope") describes it; the rules
# are elsewhere.
FRAMING_RE = re.compile(
    r"^\s*(?:§?\s*\d+(?:\.\d+)*\.?\s+)?(?:purpose|scope|purpose and scope|background|"
    r"overview|introduction|applicability|policy statement)\s*$",
    re.I,
)
FRAMING_PENALTY = 0.1
# Words of how staff phrase a question, which say nothing about which passage answers it.
GENERIC = frozenset(
    "tell about please say says need needs know explain many much long soon quickly fast "
    "get got make there any way "
    # Conversational English and the halves of contractions ("isn't" -> "isn", "t"), which
    # no document uses and which say nothing about what is asked.
    "re ve ll isn doesn didn don won aren wasn weren hasn haven shouldn couldn wouldn "
    "she he her his him they us me my i'm just now then also still ever even really "
    "go goes going gone went come came back off see try tried mean happen happens "
    "something anything thing things someone anyone one".split()
)
# A year or a number of days is not a topic the index lacks ("mid-2025", "14-day").
NUMBERISH_RE = re.compile(r"^(?:mid-)?(?:19|20)\d\d$|^\d+-(?:day|hour|week|month|year)s?$")
LIST_MARKER_RE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Scored:
    passage: int
    position: int
    text: str
    score: float
    vector: np.ndarray
    unit: PassageUnit | None = None
    sentence_scores: tuple[float, ...] = ()


@dataclass(frozen=True)
class Cited:
    """A passage and the pinpoint of it that an answer quotes."""

    chunk_id: str
    citation: str
    hit: Hit = field(compare=False)


@dataclass(frozen=True)
class Composed:
    text: str
    used: list[int]
    abstained: bool
    support: float
    cited: list[Cited] = field(default_factory=list)
    # Abstained because the unit that would answer states no value of a kind asked for.
    unstated: tuple[Asked, ...] = ()


# "unknown_rare" rather than "unknown": a word the index lacks that is everyday English says how
# the asker talks, not that the subject is missing (fitted with both, the plain share's weight
# came out positive, which no reading supports).
FEATURES = (
    "best",
    "passage",
    "coverage",
    "rare",
    "unknown_rare",
    "missing",
    "missing_rare",
)


@dataclass(frozen=True)
class Abstention:
    """Answer when bias + weights . features >= threshold (a logistic rule fitted on labelled
    questions by benchmarks/tune_abstention.py); the features are those of `support_features`."""

    threshold: float
    unknown_weight: float = 0.0
    weights: tuple[float, ...] = ()
    bias: float = 0.0

    def support(self, features: dict[str, float]) -> float:
        if not self.weights:  # the single-feature rule: best unit score less unknown words
            return features["best"] - self.unknown_weight * features["unknown"]
        return self.bias + sum(
            w * features[name] for w, name in zip(self.weights, FEATURES, strict=True)
        )


def load_abstention() -> Abstention:
    data = json.loads(resources.files("bot").joinpath("data/abstention.json").read_text())
    weights = data.get("weights") or {}
    return Abstention(
        float(data["threshold"]),
        float(data.get("unknown_weight", 0.0)),
        # A feature the file does not weigh (it was fitted before the feature) counts 0.
        tuple(float(weights.get(name, 0.0)) for name in FEATURES) if weights else (),
        float(data.get("bias", 0.0)),
    )


def content_tokens(text: str) -> set[str]:
    return {t for t in tokenize(text) if t not in GENERIC and len(t) > 1}


def question_tokens(question: str) -> set[str]:
    """A question's content words, staff shorthand spelled out ("PA" -> prior authorization)."""
    # Shorthand counts through what it stands for, also where one expansion names another
    # piece of shorthand ("TAT" -> "turnaround ..." -> "decision timeframe").
    return {t for t in query_tokens(question) if t not in GENERIC and len(t) > 1} - set(
        QUERY_EXPANSIONS
    )


SUFFIX_RE = re.compile(r"(?:ations?|ions?|ings?|ed|es|s)$")
# "deny", "denial" -> "deni" as "denied" is; "apply" -> "appli" as "applies" is.
Y_RE = re.compile(r"(?<=[^aeiou])(?:y|ials?)$")


def stem(token: str) -> str:
    """A crude stem for matching question words to passage words ("extending" ~ "extension",
    "deny" ~ "denied" ~ "denial")."""
    if not token.isalpha() or len(token) < 4:
        return token
    token = Y_RE.sub("i", token)
    if len(token) <= 4:
        return token
    # A final "e" goes too, so that "agree" meets "agreed" and "state" meets "stated".
    return SUFFIX_RE.sub("", token).rstrip("e")[:5] or token[:5]


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = LIST_MARKER_RE.sub("", line).strip()
        if not line:
            continue
        out.extend(s.strip() for s in SENTENCE_RE.split(line) if len(s.split()) >= 4)
    return out


# A long unit's similarity is half its own vector's and half its best sentence's.
SENTENCE_SHARE = 0.5


def _similarity(sims: np.ndarray) -> float:
    """A unit's similarity: its own vector's, blended with its best sentence's when it has
    several (a long paragraph's vector matches every question on its topic)."""
    if len(sims) == 1:
        return float(sims[0])
    return (1 - SENTENCE_SHARE) * float(sims[0]) + SENTENCE_SHARE * float(sims[1:].max())


def scope_words(hit: Hit) -> str:
    """The product a passage governs, in words: a regulation of part 438 never says "Medicaid"."""
    return "" if hit.line_of_business == "all" else hit.line_of_business.replace("_", " ")


def units_of(hit: Hit) -> list[PassageUnit]:
    """The hit's units; a passage indexed before units existed is one unit per paragraph."""
    if hit.units:
        return list(hit.units)
    paras = [p.strip() for p in re.split(r"\n\s*\n", hit.text) if p.strip()]
    return [
        PassageUnit(index=i, kind="para", text=p, citation=hit.citation)
        for i, p in enumerate(paras)
    ]


def scoring_text(hit: Hit, unit: PassageUnit) -> str:
    """A unit's text with the lead-in it completes: "(2) 72 hours" means nothing alone."""
    parent = find_unit(hit, unit.parent)
    prefix = parent.text + " " if parent is not None and len(parent.text) < 300 else ""
    return prefix + unit.text


def shown_text(hit: Hit, scored: "Scored") -> str:
    """A scored unit as an answer would show it: with the lead-in it completes and the items
    it introduces."""
    if scored.unit is None:
        return scored.text
    children = _children(hit, scored.unit)
    return " ".join([scoring_text(hit, scored.unit), *(c.text for c in children)])


def answer_kind(hit: Hit, unit: PassageUnit, duration: bool, listing: bool) -> float:
    """A bonus for a unit of the kind of answer asked for, a malus for one of another kind:
    a time limit (in the unit or the items it introduces) or a list."""
    bonus = 0.0
    children = _children(hit, unit)
    if duration:
        text = " ".join([unit.text, *(c.text for c in children)])
        bonus += ANSWER_KIND_BONUS if DURATION_RE.search(text) else -ANSWER_KIND_BONUS
    if listing:
        parent = find_unit(hit, unit.parent)
        in_list = bool(children) or (parent is not None and parent.lead_in)
        bonus += ANSWER_KIND_BONUS if in_list else 0.0
    return bonus


def defined_term(question: str) -> str | None:
    """The term a question asks to be defined, if it asks for a definition."""
    m = DEFINITION_QUESTION_RE.search(question)
    return (m.group(1) or m.group(2)).strip().lower() if m else None


def definition_re(term: str) -> re.Pattern[str] | None:
    """How a passage defining `term` reads: the term's first word (as stemmed) shortly before a
    defining verb ("Exigent circumstances exist when ..."). Built once per question."""
    words = [w for w in re.findall(r"[a-z]+", term) if w not in GENERIC]
    if not words:
        return None
    head = re.escape(stem(words[0]))
    return re.compile(rf"\b{head}\w*[^.;:]{{0,60}}?{DEFINING_RE.pattern}", re.I)


def find_unit(hit: Hit, index: int) -> PassageUnit | None:
    if index < 0:
        return None
    for u in (*hit.units, *hit.context):
        if u.index == index:
            return u
    return None


def scored_sentences(text: str) -> list[str]:
    """The sentences of a unit that are scored on their own (Scored.sentence_scores)."""
    return [s for s in split_sentences(text) if not is_instruction_like(s)]


def candidates_of(hit: Hit) -> list[tuple[PassageUnit, list[str]]]:
    """(unit, texts to encode): the unit with its lead-in, then its sentences when several."""
    out: list[tuple[PassageUnit, list[str]]] = []
    for unit in units_of(hit):
        if is_instruction_like(unit.text):
            continue
        sentences = scored_sentences(unit.text)
        texts = [scoring_text(hit, unit)]
        if len(sentences) > 1:
            texts.extend(sentences)
        out.append((unit, texts))
    return out


UNIT_VECTORS = "unit-vectors"


class UnitVectorCache:
    """Vectors of each chunk's unit scoring texts. Warmed for a whole index generation at start-up
    (and saved in its artefacts, so the next worker loads instead of encoding); else filled on
    use."""

    def __init__(self, encoder: Encoder, capacity: int = 20_000) -> None:
        self.encoder = encoder
        self.capacity = capacity
        self._items: OrderedDict[str, tuple[list[str], np.ndarray]] = OrderedDict()
        self._lock = Lock()

    def _compute(self, chunks: list[tuple[str, list[str]]]) -> None:
        groups = [texts for _, texts in chunks]
        flat = [s for group in groups for s in group]
        vectors = self.encoder.embed(flat) if flat else np.zeros((0, 1), dtype=np.float32)
        self._store(chunks, groups, vectors)

    def _store(
        self, chunks: list[tuple[str, list[str]]], groups: list[list[str]], vectors: np.ndarray
    ) -> None:
        with self._lock:
            start = 0
            for (chunk_id, _), group in zip(chunks, groups, strict=True):
                self._items[chunk_id] = (group, vectors[start : start + len(group)])
                start += len(group)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def vectors(self, chunks: list[tuple[str, list[str]]]) -> list[np.ndarray]:
        """The vectors of each chunk's texts, encoding those not cached (or changed)."""
        with self._lock:
            missing = [
                (cid, texts)
                for cid, texts in chunks
                if cid not in self._items or self._items[cid][0] != texts
            ]
        if missing:
            self._compute(missing)
        with self._lock:
            for cid, _ in chunks:
                self._items.move_to_end(cid)
            return [self._items[cid][1] for cid, _ in chunks]

    def warm(self, chunks: list[tuple[str, list[str]]], folder: Path, model: str) -> None:
        """Fill the cache for every chunk, from `folder` when a worker saved them there."""
        if len(chunks) > self.capacity:
            return
        meta_path, vec_path = folder / "units.json", folder / "vectors.npy"
        try:
            meta = json.loads(meta_path.read_text())
            if meta["model"] == model and meta["chunks"] == [[c, t] for c, t in chunks]:
                self._store(chunks, [t for _, t in chunks], np.load(vec_path))
                return
        except (OSError, ValueError, KeyError):
            pass  # absent or stale: compute and save below
        self._compute(chunks)
        with self._lock:
            vectors = [self._items[c][1] for c, _ in chunks]
        stacked = np.concatenate(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
        tmp = folder / f".units-{os.getpid()}"
        try:
            np.save(f"{tmp}.npy", stacked)
            Path(f"{tmp}.json").write_text(
                json.dumps({"model": model, "chunks": [[c, t] for c, t in chunks]})
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
        resolve: Callable[[str], Hit | None] | None = None,
    ) -> None:
        self.encoder = encoder
        self.cache = UnitVectorCache(encoder)
        tuned = load_abstention()
        if threshold is not None or unknown_weight is not None:
            # An explicit threshold (a setting, a test) means the single-feature rule.
            tuned = Abstention(
                tuned.threshold if threshold is None else threshold,
                tuned.unknown_weight if unknown_weight is None else unknown_weight,
            )
        self.abstention = tuned
        self.threshold = tuned.threshold
        self.unknown_weight = tuned.unknown_weight
        self.term_stats = term_stats
        # Finds the passage holding a cited paragraph, to follow cross-references.
        self.resolve = resolve

    def idf(self) -> Callable[[str], float]:
        """Rare words weigh more; a word the index never uses weighs most of all."""
        if self.term_stats is None:
            return lambda _token: 1.0
        df, n = self.term_stats()
        return lambda token: math.log((n + 1) / (df.get(token, 0) + 0.5))

    def unknown_share(self, question: str) -> float:
        """Share of the question's content words that appear nowhere in the index."""
        return self._unknown_shares(question)[0]

    def unknown_rare_share(self, question: str) -> float:
        """That share with each word weighed by how uncommon it is in general English: a
        subject the documents lack ("cochlear") counts, how the asker talks ("the decision
        clock") hardly does."""
        return self._unknown_shares(question)[1]

    def _unknown_shares(self, question: str) -> tuple[float, float]:
        """(plain, rarity-weighed) share of the question's content words the index never uses."""
        words = question_tokens(question)
        if self.term_stats is None or not words:
            return 0.0, 0.0
        df, _ = self.term_stats()
        unknown = [w for w in words if w not in df and not NUMBERISH_RE.match(w)]
        return len(unknown) / len(words), sum(rarity(w) for w in unknown) / len(words)

    def score(self, question: str, hits: list[Hit]) -> list[Scored]:
        q_vec = self.encoder.embed_query(question)
        q_tokens = question_tokens(question)
        idf = self.idf()
        q_weight = sum(idf(t) for t in q_tokens)
        wants_number = bool(NUMERIC_QUESTION_RE.search(question))
        wants_duration = bool(DURATION_QUESTION_RE.search(question))
        wants_list = bool(LIST_QUESTION_RE.search(question))
        term = defined_term(question)
        defining = definition_re(term) if term is not None else None
        wants_type = {kind for kind, pattern in DOC_TYPE_ASKS if pattern.search(question)}
        per_hit = [candidates_of(h) for h in hits]
        vectors = self.cache.vectors(
            [
                (h.chunk_id, [t for _, texts in c for t in texts])
                for h, c in zip(hits, per_hit, strict=True)
            ]
        )
        scored: list[Scored] = []
        for p, (hit, cands, vecs) in enumerate(zip(hits, per_hit, vectors, strict=True)):
            heading = f"{hit.title} {' '.join(hit.heading_path)} {scope_words(hit)}"
            apparatus = APPARATUS_PENALTY if APPARATUS_RE.search(" ".join(hit.heading_path)) else 0
            if hit.heading_path and FRAMING_RE.match(hit.heading_path[-1]):
                apparatus += FRAMING_PENALTY
            # Text before a page's first heading introduces it ("HBO therapy means ... This page
            # lists ..."): it frames the document as a "Purpose" section does. A regulation's
            # paragraphs sit under its title and are designated, so they never count.
            preamble = tuple(hit.heading_path) in ((), (hit.title,))
            start = 0
            for position, (unit, texts) in enumerate(cands):
                sims = vecs[start : start + len(texts)] @ q_vec
                start += len(texts)
                best_sim = _similarity(sims)
                s_stems = {stem(t) for t in content_tokens(texts[0] + " " + heading)}
                shared = sum(idf(t) for t in q_tokens if stem(t) in s_stems)
                overlap = shared / q_weight if q_weight else 0.0
                # The passage's own similarity carries its title and heading path, which a
                # unit alone may not repeat.
                score = (
                    W_SENTENCE * best_sim
                    + W_OVERLAP * overlap
                    + W_PASSAGE * hit.similarity
                    + W_FUSED * hit.score
                    + 0.03 / (p + 1)
                    - apparatus
                    - (FRAMING_PENALTY if preamble and not unit.label else 0.0)
                )
                if wants_number and re.search(r"\d", unit.text):
                    score += 0.05
                score += answer_kind(hit, unit, wants_duration, wants_list)
                if defining is not None and defining.search(unit.text):
                    score += ANSWER_KIND_BONUS
                if hit.doc_type in wants_type:
                    score += ANSWER_KIND_BONUS
                sentence_scores = tuple(float(s) for s in sims[1:])
                scored.append(
                    Scored(
                        p,
                        position,
                        unit.text,
                        score,
                        vecs[start - len(texts)],
                        unit,
                        sentence_scores,
                    )
                )
        return scored

    def warm(self, searcher: "Searcher", limit: int) -> None:
        """Encode every unit of the served index once, when it has at most `limit` chunks."""
        gen = searcher.generation()
        if len(gen.records) <= limit:
            hits = [Searcher.record_hit(r) for r in gen.records]
            chunks = [(h.chunk_id, [t for _, ts in candidates_of(h) for t in ts]) for h in hits]
            self.cache.warm(chunks, gen.artefacts(UNIT_VECTORS), gen.model)

    def support_features(
        self, question: str, hits: list[Hit], scored: list[Scored] | None = None
    ) -> dict[str, float]:
        """What the abstention rule looks at: the best unit's score and the top passage's
        similarity; how much of the question (by idf) the best unit and its headings contain;
        whether the top passages contain its rarest word; the share of its words the index
        never uses, and of those uncommon in English; and how specific the words the top
        passages miss are."""
        scored = self.score(question, hits) if scored is None else scored
        idf = self.idf()
        _, n = self.term_stats() if self.term_stats else ({}, 1)
        unknown, unknown_rare = self._unknown_shares(question)
        words = question_tokens(question)
        top: set[str] = set()
        for h in hits[:3]:
            top |= {
                stem(t) for t in content_tokens(f"{h.title} {' '.join(h.heading_path)} {h.text}")
            }
        best = max(scored, key=lambda s: s.score, default=None)
        near: set[str] = set()
        if best is not None:
            h = hits[best.passage]
            # The unit as the answer shows it: with the lead-in it completes.
            shown = scoring_text(h, best.unit) if best.unit is not None else best.text
            near = {
                stem(t)
                for t in content_tokens(
                    f"{shown} {h.title} {' '.join(h.heading_path)} {scope_words(h)}"
                )
            }
        weight = sum(idf(w) for w in words)
        rarest = max(words, key=lambda w: (idf(w), w)) if words else ""
        missed = [idf(w) for w in words if stem(w) not in top]
        ceiling = math.log(n + 1) or 1.0
        return {
            "best": best.score if best is not None else 0.0,
            "passage": max((h.similarity for h in hits[:3]), default=0.0),
            "coverage": sum(idf(w) for w in words if stem(w) in near) / weight if weight else 0.0,
            "rare": 1.0 if stem(rarest) in top else 0.0,
            "unknown": unknown,
            "unknown_rare": unknown_rare,
            "missing": max(missed, default=0.0) / ceiling,
            "missing_rare": float(sum(1 for m in missed if m > 0.6 * ceiling)),
        }

    def features(self, question: str, hits: list[Hit]) -> tuple[float, float]:
        """(best unit score, unknown-term share): the single-feature rule's inputs."""
        f = self.support_features(question, hits)
        return f["best"], f["unknown"]

    def compose(self, question: str, hits: list[Hit]) -> Composed:
        scored = self.score(question, hits)
        best = max((s.score for s in scored), default=0.0)
        support = self.abstention.support(self.support_features(question, hits, scored))
        if support < self.threshold:
            return Composed(ABSTAIN_TEXT, [], True, support)
        ranked = sorted(scored, key=lambda s: (-s.score, s.passage, s.position))
        if missing := self._unstated(question, hits, ranked):
            return Composed(ABSTAIN_TEXT, [], True, support, unstated=tuple(missing))
        by_unit: dict[int, dict[int, Scored]] = {}
        for s in scored:
            if s.unit is not None:
                by_unit.setdefault(s.passage, {})[s.unit.index] = s
        groups: list[_Group] = []
        for s in ranked:
            group = (
                _group(s, hits[s.passage], by_unit.get(s.passage)) if s.unit is not None else None
            )
            if group is not None:
                groups.append(group)
                break
        budget = ANSWER_BUDGET
        if groups and any(
            s.score >= best - CONTESTED_MARGIN
            and s.unit is not None
            and (hits[s.passage].chunk_id, s.unit.index) not in groups[0].shown
            for s in ranked
        ):
            # Another unit scores about as well as the first: which one answers is uncertain,
            # so the answer has room for both rather than a confident guess.
            budget = CONTESTED_BUDGET
        while (
            groups
            and len(groups) < MAX_STATEMENTS
            and self._another(groups, ranked, hits, best, by_unit, budget)
        ):
            pass
        if not groups:
            return Composed(ABSTAIN_TEXT, [], True, support)
        self._follow(groups[0])
        return _render(groups, support, hits)

    def _unstated(self, question: str, hits: list[Hit], ranked: list[Scored]) -> list[Asked]:
        """The kinds of value asked for that no unit scoring near the best one states."""
        if not ranked:
            return []
        # A unit about as good as the best (CONTESTED_MARGIN, as for the answer's budget) may be
        # the one that answers: on the tuning half, looking at the best unit alone abstained on
        # three answerable questions more, for two unanswerable ones.
        near = [
            ranked[0],
            *(s for s in ranked[1:] if s.score >= ranked[0].score - CONTESTED_MARGIN),
        ]
        missing = unstated(question, shown_text(hits[near[0].passage], near[0]))
        for s in near[1:]:
            if not missing:
                break
            missing = [a for a in missing if not states(a, shown_text(hits[s.passage], s))]
        return missing

    def _another(
        self,
        groups: list["_Group"],
        ranked: list[Scored],
        hits: list[Hit],
        best: float,
        by_unit: Mapping[int, Mapping[int, Scored]],
        budget: int = ANSWER_BUDGET,
    ) -> bool:
        """One more statement, if one qualifies and fits in `budget` characters: another
        document's (a regulation beside the policy that applies it) within SECOND_SHARE of the
        best, or the same document's within SAME_DOC_SHARE; a restatement of one already made
        only adds its citation."""
        docs = {hits[g.members[0].passage].doc_id for g in groups}
        used = sum(len(g.text) for g in groups)
        for s in ranked:
            if s.score < SECOND_SHARE * best:
                break
            hit = hits[s.passage]
            if s.unit is None or any((hit.chunk_id, s.unit.index) in g.shown for g in groups):
                continue
            twin = next((g for g in groups if _restates(s, g, hits)), None)
            if twin is not None:
                twin.add_citation(hit, s.unit.citation)
                continue
            same_doc = hit.doc_id in docs
            if (same_doc and s.score < SAME_DOC_SHARE * best) or any(
                float(s.vector @ g.members[0].vector) > REDUNDANT for g in groups
            ):
                continue
            # A later statement gets what is left of the budget: a paragraph is cut to its
            # best sentences to fit (a list is shown whole or not at all).
            room = budget - used
            if room < MIN_STATEMENT_CHARS:
                continue  # no new statement fits; later restatements may still add citations
            group = _group(s, hit, by_unit.get(s.passage), min(MAX_UNIT_CHARS, room))
            if group is None or len(group.text) > room:
                continue
            groups.append(group)
            return True
        return False

    def _follow(self, group: "_Group") -> None:
        """A short unit that only points elsewhere gets the paragraph it points to."""
        unit = group.members[0].unit
        if self.resolve is None or unit is None or not unit.refs:
            return
        if len(unit.text.split()) > 40 or not POINTER_RE.search(unit.text):
            return
        target = self.resolve(unit.refs[0])
        if target is None:
            return
        found = next((u for u in units_of(target) if u.citation == unit.refs[0]), None)
        text = trim(found.text if found else units_of(target)[0].text, [])
        group.follow = (
            Cited(target.chunk_id, found.citation if found else target.citation, target),
            text,
        )


@dataclass
class _Group:
    """One statement of the answer: a unit (with its items) and every citation it carries."""

    text: str
    members: list[Scored]
    cites: list[Cited]
    follow: tuple[Cited, str] | None = None
    # (chunk id, unit index) of every unit the statement shows: its items, its lead-in.
    shown: set[tuple[str, int]] = field(default_factory=set)

    def add_citation(self, hit: Hit, citation: str) -> None:
        if all(c.citation != citation for c in self.cites):
            self.cites.append(Cited(hit.chunk_id, citation, hit))


NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def _restates(s: Scored, group: _Group, hits: list[Hit]) -> bool:
    """Another document's unit that says the same: close in meaning and stating the same
    numbers (a citation added on looser grounds would not support the statement)."""
    first = group.members[0]
    if hits[s.passage].doc_id == hits[first.passage].doc_id:
        return False
    closeness = float(s.vector @ first.vector)
    # A paragraph whose every time limit the statement already shows (the regulation behind
    # a policy's list line), on the same subject, restates part of it.
    limits = _limits(s.text)
    if limits and limits <= _limits(group.text) and closeness > RESTATES_PART:
        return True
    if closeness <= RESTATES:
        return False
    return set(NUMBER_RE.findall(s.text)) == set(NUMBER_RE.findall(first.text))


def _limits(text: str) -> set[tuple[str, str]]:
    """The time limits a text states, as (amount, unit): "7 calendar days" -> ("7", "day")."""
    return {
        (m.group(1).lower(), m.group(3).lower().rstrip("s")) for m in DURATION_RE.finditer(text)
    }


def trim(
    text: str, sentence_scores: list[float] | tuple[float, ...], limit: int = MAX_UNIT_CHARS
) -> str:
    """A long paragraph cut to its opening and its best sentences, in order, at sentence ends,
    within `limit` characters where its sentences allow."""
    if len(text) <= limit:
        return text
    sentences = [s for s in SENTENCE_RE.split(text) if s.strip()]
    if len(sentences) < 2:
        return text
    # The scores are of the scored sentences (short ones are not scored): match them by text.
    scored = scored_sentences(text)
    by_text = (
        dict(zip(scored, sentence_scores, strict=False))
        if len(scored) == len(sentence_scores)
        else {}
    )
    scores = [by_text.get(LIST_MARKER_RE.sub("", s).strip(), 0.0) for s in sentences]
    # The opening sentence names the paragraph ("(2) Expedited resolution."); the best ones
    # carry the answer.
    ranked = [0, *sorted(range(1, len(sentences)), key=lambda i: -scores[i])]
    if scores[0] < max(scores[: len(sentences)]) and len(sentences[0]) > limit // 2:
        ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
    keep: set[int] = set()
    size = 0
    for i in ranked:
        if keep and size + len(sentences[i]) > limit:
            continue
        keep.add(i)
        size += len(sentences[i])
    out: list[str] = []
    for i, sentence in enumerate(sentences):
        if i in keep:
            if i - 1 not in keep and i > 0:
                out.append("…")
            out.append(sentence)
    if max(keep) < len(sentences) - 1:
        out.append("…")
    return " ".join(out)


def _children(hit: Hit, unit: PassageUnit) -> list[PassageUnit]:
    return [u for u in hit.units if u.parent == unit.index]


def list_text(
    lead: PassageUnit,
    items: list[PassageUnit],
    citation: str,
    hit: Hit | None = None,
    scored: Mapping[int, Scored] | None = None,
) -> str:
    """A lead-in with its items (and theirs): all of them, or some and how many more. Of a long
    list, the items that best match the question (`scored`, by unit index) are the ones shown,
    in the list's order; a long item keeps its opening and its best sentences."""
    scored = scored or {}
    shown = items
    if len(items) > MAX_ITEMS and sum(len(u.text) for u in items) > LIST_CHARS:
        # The items that best match the question, then the list's first ones.
        keep = {u.index for u in _best_first(items, scored)[:MATCHED_ITEMS]}
        first = [u.index for u in items if u.index not in keep]
        keep.update(first[: SHOWN_ITEMS - len(keep)])
        shown = [u for u in items if u.index in keep]
    lines: list[str] = []
    for u in shown:
        lines.append(_item_line(u, _sentences(scored, u)))
        if hit is not None and u.lead_in:
            lines.extend("  " + _item_line(c, _sentences(scored, c)) for c in _children(hit, u))
    # The lead-in knows how many items it has in the whole document; a passage holding part of
    # a list split across chunks must not read as the whole list.
    more = max(lead.items, len(items)) - len(shown)
    tail = f"\n… and {more} more criteria ({citation})." if more > 0 else ""
    return f"{trim(lead.text, [])}\n" + "\n".join(lines) + tail


def _best_first(units: list[PassageUnit], scored: Mapping[int, Scored]) -> list[PassageUnit]:
    """The units by how well they match the question; one the composer did not score, last."""
    return sorted(units, key=lambda u: -scored[u.index].score if u.index in scored else 1.0)


def _sentences(scored: Mapping[int, Scored], unit: PassageUnit) -> tuple[float, ...]:
    found = scored.get(unit.index)
    return found.sentence_scores if found is not None else ()


def _item_line(unit: PassageUnit, sentence_scores: tuple[float, ...] = ()) -> str:
    text = trim(unit.text, sentence_scores)
    if unit.kind == "item" and not re.match(r"\d{1,2}[.)]\s", text):
        return "- " + text
    return text


def _group(
    s: Scored,
    hit: Hit,
    scored: Mapping[int, Scored] | None = None,
    limit: int = MAX_UNIT_CHARS,
) -> _Group | None:
    """The statement a unit makes: a lead-in brings its items; an item the paragraph that
    introduces it and its sibling items. Long items are trimmed by their sentences' scores
    (`scored`, by unit index)."""
    unit = s.unit
    assert unit is not None
    cite = [Cited(hit.chunk_id, unit.citation, hit)]

    def made(text: str, shown: list[PassageUnit]) -> _Group:
        return _Group(text, [s], cite, shown={(hit.chunk_id, u.index) for u in shown})

    children = _children(hit, unit)
    if unit.lead_in or children:
        if not children:
            return None  # a lead-in whose items are not here would be a fragment
        shown = [unit, *children, *(c for u in children for c in _children(hit, u))]
        group = made(list_text(unit, children, unit.citation, hit, scored), shown)
        # The item that best matches the question is the pinpoint to check, cited first, as
        # for an item shown with its siblings: "(b)(1)" for the timing under "(b) Notice".
        best = max(
            (scored[u.index] for u in children if scored and u.index in scored),
            key=lambda c: c.score,
            default=None,
        )
        if best is not None and best.unit is not None:
            group.cites.insert(0, Cited(hit.chunk_id, best.unit.citation, hit))
        return group
    parent = find_unit(hit, unit.parent)
    if parent is not None and TABLE_ROW_RE.match(unit.text) and scored:
        rows = [u for u in hit.units if u.parent == parent.index]
        if len(rows) > 2 and all(TABLE_ROW_RE.match(u.text) for u in rows):
            return _rows(s, hit, parent, rows, scored)
    # Items follow the paragraph that introduces them, whether or not it ends in ":" ("...
    # only for the conditions below. Where the list says ..."); a designated paragraph of a
    # regulation stands on its own.
    if parent is not None and (parent.lead_in or (parent.kind == "para" and not parent.label)):
        siblings = [u for u in hit.units if u.parent == parent.index]
        if siblings:
            # The whole list is shown, cited as a list; the item that answers is cited first,
            # as the pinpoint to check.
            shown = [parent, *siblings, *(c for u in siblings for c in _children(hit, u))]
            group = made(list_text(parent, siblings, parent.citation, hit, scored), shown)
            group.add_citation(hit, parent.citation)
            return group
    return made(trim(unit.text, s.sentence_scores, limit), [unit])


def _rows(
    s: Scored, hit: Hit, lead: PassageUnit, rows: list[PassageUnit], scored: Mapping[int, Scored]
) -> _Group:
    """A table asked about one row: the paragraph that introduces it, the rows that score
    close to the best one (up to MATCHED_ITEMS), and where the other rows are. Each row names
    its columns, so it reads alone."""
    ranked = _best_first(rows, scored)
    best = scored[ranked[0].index].score if ranked[0].index in scored else s.score
    keep = {
        u.index
        for u in ranked[:MATCHED_ITEMS]
        if u.index in scored and scored[u.index].score >= best - ROW_MARGIN
    }
    keep.add(s.unit.index if s.unit is not None else ranked[0].index)
    shown = [u for u in rows if u.index in keep]
    # Where the other rows are, not how many: the reviewer opens that citation either way.
    whole = max(lead.items, len(rows))
    tail = f"\n… the table's other rows are in {lead.citation}." if len(shown) < whole else ""
    text = f"{trim(lead.text, [])}\n" + "\n".join(_item_line(u) for u in shown) + tail
    cites = [Cited(hit.chunk_id, lead.citation, hit)]
    return _Group(text, [s], cites, shown={(hit.chunk_id, u.index) for u in [lead, *shown]})


def _render(groups: list[_Group], support: float, hits: list[Hit]) -> Composed:
    cited: list[Cited] = []
    parts: list[str] = []

    def mark(c: Cited) -> str:
        if c not in cited:
            cited.append(c)
        return f"[{cited.index(c) + 1}]"

    for g in groups:
        parts.append(f"{g.text} {''.join(mark(c) for c in g.cites)}")
        if g.follow is not None:
            c, text = g.follow
            parts.append(f"{text} {mark(c)}")
    ids = [h.chunk_id for h in hits]
    used = list(dict.fromkeys(ids.index(c.chunk_id) for c in cited if c.chunk_id in ids))
    return Composed("\n".join(parts), used, False, support, cited)
