"""Checks of a dataset against the documents it is about, before anything runs: an expected
source that does not exist, or a fact that none of a case's expected sources states, is almost
always a typo in the dataset (or a document that changed)."""

from pathlib import Path

from evals import normalize
from evals.dataset import Dataset

CHECKED_TYPES = ("answerable", "follow_up")


def _sections(corpus: Path) -> list[tuple[str, str, str]]:
    """(doc_id, section, text) for every chunk of every readable document under `corpus`."""
    from retrieval import DocumentSkipped, chunk_document, discover, load_documents

    files, _ = discover([corpus])
    out: list[tuple[str, str, str]] = []
    for path in files:
        try:
            docs = load_documents(path, 50_000_000)  # an eCFR file holds one per section
        except DocumentSkipped:
            continue
        for doc in docs:
            for chunk in chunk_document(doc):
                text = f"{' '.join(chunk.heading_path)}\n{chunk.text}"
                out.append((doc.meta.doc_id, chunk.section, text))
    return out


def lint(dataset: Dataset, corpus: Path) -> list[str]:
    """Findings, one line each, naming the case, its line and what is wrong."""
    sections = _sections(corpus)
    known: dict[str, set[str]] = {}
    for doc_id, section, _ in sections:
        known.setdefault(doc_id, set()).add(section)
    findings: list[str] = []
    for case in dataset:
        where = f"{dataset.path}:{case.line} case {case.id}" if case.line else f"case {case.id}"
        for source in case.expected_sources:
            if source.doc_id not in known:
                findings.append(f"{where}: expected source {source.doc_id} is not in {corpus}")
            elif source.section and not any(
                source.matches(source.doc_id, s) for s in known[source.doc_id]
            ):
                findings.append(f"{where}: {source.doc_id} has no section {source.section}")
        if case.type not in CHECKED_TYPES or not case.expected_sources:
            continue
        texts = [
            text
            for doc_id, section, text in sections
            if any(s.matches(doc_id, section) for s in case.expected_sources)
        ]
        for fact in case.must_include:
            if texts and not any(normalize.contains(t, s) for t in texts for s in fact.spellings):
                findings.append(
                    f"{where}: no expected source states '{fact.label}' "
                    f"(sources: {', '.join(s.label for s in case.expected_sources)})"
                )
    return findings
