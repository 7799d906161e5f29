"""Ingest and search against a real Chroma in a temporary directory (hash embedder: fast)."""

from datetime import date
from pathlib import Path

import pytest

from retrieval.chroma import (
    ChromaClients,
    EmbeddedChroma,
    ServerChroma,
    chroma_settings,
    collection_name,
)
from retrieval.documents import DocType, LineOfBusiness
from retrieval.errors import BadQuery, IndexNotFound
from retrieval.filters import Filters
from retrieval.index import IndexStore
from retrieval.ingest import ingest
from retrieval.search import CODE_DENSE_WEIGHT, Searcher, SearchTrace, fuse
from retrieval.settings import RetrievalSettings
from retrieval.text import has_code
from tests.support import HashEmbedder, write_doc

EMB = HashEmbedder()


def front(doc_id: str, **extra: str) -> dict[str, str]:
    return {"doc_id": doc_id, "title": f"Title {doc_id}", **extra}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write_doc(
        root / "policies",
        "pa.md",
        front("UM-1", doc_type="policy"),
        "## 3. Timeframes\n\n### 3.1 Standard\n\nStandard requests within 7 calendar days.\n\n"
        "### 3.2 Expedited\n\nExpedited requests within 72 hours.\n",
    )
    write_doc(
        root / "criteria",
        "mri.md",
        front("MP-1", doc_type="criteria", line_of_business="medicaid"),
        "## 2. Criteria\n\nLumbar MRI after six weeks of conservative therapy. Code 72148.\n",
    )
    write_doc(
        root / "contracts",
        "hosp.md",
        front("CON-1", doc_type="contract", line_of_business="commercial"),
        "## 4. Timely filing\n\nClaims within 180 days of discharge.\n",
    )
    return root


@pytest.fixture(params=["embedded", "http"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> RetrievalSettings:
    """Every test here runs on the embedded Chroma client and on a real Chroma server."""
    if request.param == "embedded":
        return RetrievalSettings(index_dir=tmp_path / "index")
    host, port = request.getfixturevalue("chroma_server")
    return RetrievalSettings(index_dir=tmp_path / "index", chroma_host=host, chroma_port=port)


def ids(settings: RetrievalSettings) -> set[str]:
    return {r.id for r in IndexStore(settings).open().records}


def test_reingest_of_unchanged_corpus_is_idempotent(
    corpus: Path, settings: RetrievalSettings
) -> None:
    first = ingest([corpus], settings, EMB)
    before = ids(settings)
    second = ingest([corpus], settings, EMB)
    assert second.unchanged and second.embedded == 0
    assert second.generation == first.generation
    assert ids(settings) == before


def test_changed_document_replaces_its_chunks_and_reuses_the_rest(
    corpus: Path, settings: RetrievalSettings
) -> None:
    ingest([corpus], settings, EMB)
    write_doc(
        corpus / "contracts",
        "hosp.md",
        front("CON-1", doc_type="contract", line_of_business="commercial"),
        "## 4. Timely filing\n\nClaims within 365 days of discharge.\n",
    )
    report = ingest([corpus], settings, EMB)
    assert report.embedded == 1  # only the changed chunk is encoded again
    texts = [r.text for r in IndexStore(settings).open().records]
    assert any("365 days" in t for t in texts)
    assert not any("180 days" in t for t in texts)


def test_deleted_document_is_removed_on_reingest(corpus: Path, settings: RetrievalSettings) -> None:
    ingest([corpus], settings, EMB)
    (corpus / "criteria" / "mri.md").unlink()
    report = ingest([corpus], settings, EMB)
    assert report.removed_documents == ["MP-1@1"]
    assert "MP-1" not in {r.doc_id for r in IndexStore(settings).open().records}


def test_ingesting_another_folder_keeps_documents_from_elsewhere(
    corpus: Path, tmp_path: Path, settings: RetrievalSettings
) -> None:
    ingest([corpus], settings, EMB)
    extra = tmp_path / "extra"
    write_doc(extra, "x.md", front("UM-7"), "## 1. Other\n\nAnother policy.\n")
    ingest([extra], settings, EMB)
    assert {"UM-1", "MP-1", "CON-1", "UM-7"} <= {
        r.doc_id for r in IndexStore(settings).open().records
    }


def test_crash_while_writing_a_new_generation_leaves_the_old_one_serving(
    corpus: Path, settings: RetrievalSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ingest([corpus], settings, EMB)
    write_doc(corpus, "new.md", front("UM-8"), "## 1. New\n\nNew text.\n")

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(IndexStore, "swap", crash)
    with pytest.raises(RuntimeError):
        ingest([corpus], settings, EMB)
    store = IndexStore(settings)
    assert store.current_name() == first.generation
    hits = Searcher(settings, EMB).search("expedited 72 hours", k=3)
    assert hits and all(h.doc_id != "UM-8" for h in hits)


def test_search_before_any_ingest_says_how_to_build_the_index(settings: RetrievalSettings) -> None:
    with pytest.raises(IndexNotFound, match="careassist ingest"):
        Searcher(settings, EMB).search("anything")


def test_lob_filter_keeps_documents_for_all_lines_of_business(
    corpus: Path, settings: RetrievalSettings
) -> None:
    ingest([corpus], settings, EMB)
    hits = Searcher(settings, EMB).search(
        "timely filing claims days", k=10, filters=Filters(lob=LineOfBusiness.medicaid)
    )
    assert {h.doc_id for h in hits} == {"UM-1", "MP-1"}


def test_doc_type_filter(corpus: Path, settings: RetrievalSettings) -> None:
    ingest([corpus], settings, EMB)
    hits = Searcher(settings, EMB).search(
        "lumbar MRI 72148", k=10, filters=Filters(doc_types=(DocType.criteria,))
    )
    assert [h.doc_id for h in hits] == ["MP-1"]
    assert hits[0].citation == "MP-1 §2"


def test_as_of_filter_returns_the_version_in_force(
    tmp_path: Path, settings: RetrievalSettings
) -> None:
    root = tmp_path / "versions"
    body = "## 3. Standard\n\nStandard requests within {n} calendar days.\n"
    write_doc(
        root,
        "v2.md",
        front("UM-4", version="2", effective_date="2024-01-01", end_date="2025-12-31"),
        body.format(n=14),
    )
    write_doc(
        root, "v3.md", front("UM-4", version="3", effective_date="2026-01-01"), body.format(n=7)
    )
    ingest([root], settings, EMB)
    searcher = Searcher(settings, EMB)

    def texts(day: date) -> list[str]:
        return [
            h.text for h in searcher.search("standard requests", k=5, filters=Filters(as_of=day))
        ]

    assert texts(date(2025, 6, 1)) == ["Standard requests within 14 calendar days."]
    assert texts(date(2026, 1, 1)) == ["Standard requests within 7 calendar days."]
    assert texts(date(2023, 6, 1)) == []
    assert len(searcher.search("standard requests", k=5)) == 2


def test_hits_carry_the_public_json_fields(corpus: Path, settings: RetrievalSettings) -> None:
    ingest([corpus], settings, EMB)
    hit = Searcher(settings, EMB).search("expedited requests 72 hours", k=1)[0]
    data = hit.model_dump()
    for key in (
        "doc_id",
        "title",
        "doc_type",
        "line_of_business",
        "section",
        "citation",
        "text",
        "score",
        "source_path",
    ):
        assert key in data
    assert (hit.doc_id, hit.citation) == ("UM-1", "UM-1 §3.2")


def test_keyword_match_on_a_code_ranks_its_passage_first(
    corpus: Path, settings: RetrievalSettings
) -> None:
    ingest([corpus], settings, EMB)
    assert Searcher(settings, EMB).search("72148", k=3)[0].doc_id == "MP-1"


def test_searcher_picks_up_a_new_generation_without_restart(
    corpus: Path, settings: RetrievalSettings
) -> None:
    ingest([corpus], settings, EMB)
    searcher = Searcher(settings, EMB)
    assert searcher.search("durable equipment wheelchair", k=10)
    write_doc(corpus, "dme.md", front("MP-5"), "## 1. Wheelchair\n\nPower wheelchair rules.\n")
    ingest([corpus], settings, EMB)
    assert "MP-5" in {h.doc_id for h in searcher.search("power wheelchair", k=10)}


@pytest.mark.parametrize(
    ("query", "reason"),
    [("x" * 20_000, "20,000 characters"), ("?!... ---", "no words"), ("   ", "empty")],
)
def test_unanswerable_queries_get_a_clear_error(
    corpus: Path, settings: RetrievalSettings, query: str, reason: str
) -> None:
    ingest([corpus], settings, EMB)
    with pytest.raises(BadQuery, match=reason):
        Searcher(settings, EMB).search(query)


def test_score_fusion_keeps_a_strong_hit_of_one_list_above_middling_hits_of_both() -> None:
    dense = {1: 0.90, 2: 0.60, 3: 0.55, 4: 0.50}
    keyword = {5: 12.0, 2: 6.0, 3: 5.5, 6: 1.0}
    fused = fuse(dense, keyword, dense_weight=0.5)
    assert fused[0][0] in {1, 5}
    assert dict(fused)[1] == pytest.approx(0.5)
    assert dict(fused)[2] == pytest.approx(0.5 * 0.25 + 0.5 * 5 / 11)


def test_queries_naming_a_code_lean_on_the_keyword_index() -> None:
    assert has_code(["criteria", "72148"])
    assert has_code(["422.592"])
    assert not has_code(["rule", "2026"])


def test_an_interrupted_ingest_never_costs_the_good_generation(
    corpus: Path, settings: RetrievalSettings
) -> None:
    good = ingest([corpus], settings, EMB).generation
    assert good is not None
    # What a kill -9 mid-write leaves: a folder named later than the good one, no manifest.
    partial = IndexStore(settings).root / "gen-29991231T235959-dead00"
    (partial / "chroma").mkdir(parents=True)
    (partial / "chunks.jsonl.tmp").write_text('{"id": "half"}\n')
    write_doc(corpus, "new.md", front("UM-8"), "## 1. New\n\nNew text.\n")
    report = ingest([corpus], settings, EMB)
    store = IndexStore(settings)
    assert store.current_name() == report.generation != good
    # The generation served before the swap stays (a server may still read it), complete.
    assert (store.root / good / "manifest.json").is_file()
    assert store.open(good).records
    assert not partial.exists()
    # One more ingest: the previous is what CURRENT named, never the oldest or a partial folder.
    write_doc(corpus, "newer.md", front("UM-9"), "## 1. Newer\n\nNewer text.\n")
    third = ingest([corpus], settings, EMB).generation
    names = {p.name for p in store.root.glob("gen-*")}
    assert names == {report.generation, third}


def test_an_index_serves_through_the_chroma_client_its_caller_hands_in(
    corpus: Path, settings: RetrievalSettings
) -> None:
    import chromadb

    if settings.chroma_host:
        client = chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings()
        )
        chroma: ChromaClients = ServerChroma(client)
    else:
        chroma = EmbeddedChroma()
    # Settings that name no server: only the injected client can reach the collections.
    store = IndexStore(RetrievalSettings(index_dir=settings.index_dir), chroma)
    first = ingest([corpus], settings, EMB, store=store).generation
    assert Searcher(settings, EMB, store=store).search("72148", k=3)[0].doc_id == "MP-1"
    for name in ("b.md", "c.md"):
        write_doc(corpus, name, front(f"UM-{name[0]}"), "## 1. New\n\nNew text.\n")
        ingest([corpus], settings, EMB, store=store)
    assert first is not None and not (store.root / first).exists()
    if settings.chroma_host:
        assert collection_name(first) not in {c.name for c in client.list_collections()}


def test_the_searcher_reports_each_search_to_its_observer(
    corpus: Path, settings: RetrievalSettings
) -> None:
    ingest([corpus], settings, EMB)
    traces: list[SearchTrace] = []
    searcher = Searcher(settings, EMB, observer=traces.append)
    hits = searcher.search("claims code 72148", k=2, filters=Filters(as_of=date(2026, 1, 1)))
    [trace] = traces
    assert [r.record.id for r in trace.fused[:2]] == [h.chunk_id for h in hits]
    assert trace.dense_weight == CODE_DENSE_WEIGHT  # the query names a code
    assert "MP-1" in {r.record.doc_id for r in trace.keyword}
    assert {r.record.id for r in trace.fused} == {r.record.id for r in trace.dense + trace.keyword}
    assert {"mask", "embed", "chroma", "bm25", "fuse"} <= set(trace.seconds)
    assert trace.calls["chroma"] == 1


def test_derived_caches_live_in_their_generation_and_go_with_it(
    corpus: Path, settings: RetrievalSettings
) -> None:
    ingest([corpus], settings, EMB)
    gen = IndexStore(settings).open()
    folder = gen.artefacts("unit-vectors")
    assert folder.is_dir() and folder.parent.parent == gen.path
    with pytest.raises(ValueError):
        gen.artefacts("../elsewhere")
    for name in ("b.md", "c.md"):
        write_doc(corpus, name, front(f"UM-{name[0]}"), "## 1. New\n\nNew text.\n")
        ingest([corpus], settings, EMB)
    assert not folder.exists()
