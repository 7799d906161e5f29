from retrieval.chunk import chunk_document, citation_for
from retrieval.documents import DocMeta, Document


def make_doc(body: str, doc_id: str = "UM-9") -> Document:
    return Document(meta=DocMeta(doc_id=doc_id, title="Test Policy"), text=body, source_path="x.md")


def test_numbered_subsection_gets_policy_section_anchor() -> None:
    body = "# Test Policy\n\n## 3. Timeframes\n\n### 3.2 Expedited\n\nDecide within 72 hours.\n"
    [chunk] = chunk_document(make_doc(body))
    assert chunk.citation == "UM-9 §3.2"
    assert chunk.section == "3.2"
    assert chunk.heading_path == ("3. Timeframes", "3.2 Expedited")


def test_regulation_heading_gets_cfr_paragraph_anchor() -> None:
    body = "## 2. Notices\n\n### 2.3 42 CFR 438.404(b)(2) Content of the notice\n\nReasons.\n"
    [chunk] = chunk_document(make_doc(body, "REG-1"))
    assert chunk.citation == "42 CFR 438.404(b)(2)"
    assert chunk.section == "2.3"


def test_erisa_paragraph_with_hyphenated_section_is_cited_whole() -> None:
    assert citation_for("REG-2", ["29 CFR 2560.503-1(g)(1) Notice"])[1] == "29 CFR 2560.503-1(g)(1)"


def test_unnumbered_heading_falls_back_to_parent_number_then_doc_id() -> None:
    assert citation_for("UM-9", ["4. Criteria", "Notes"]) == ("4", "UM-9 §4")
    assert citation_for("UM-9", ["Background"]) == ("", "UM-9")


def test_text_before_first_section_is_kept_under_the_title() -> None:
    [chunk] = chunk_document(make_doc("# Test Policy\n\nPreamble text here.\n"))
    assert chunk.heading_path == ("Test Policy",)
    assert chunk.citation == "UM-9"


def test_long_section_splits_into_pieces_that_keep_the_anchor() -> None:
    para = " ".join(f"word{i}." for i in range(150))
    body = "## 5. Codes\n\n" + "\n\n".join([para] * 4)
    chunks = chunk_document(make_doc(body), max_words=200)
    assert len(chunks) >= 3
    assert {c.citation for c in chunks} == {"UM-9 §5"}
    assert all(len(c.text.split()) <= 200 for c in chunks)


def test_headings_inside_code_fences_do_not_split_sections() -> None:
    body = "## 1. Example\n\n```\n## not a heading\n```\nAfter.\n"
    [chunk] = chunk_document(make_doc(body))
    assert "not a heading" in chunk.text


def test_chunk_ids_change_when_metadata_changes() -> None:
    body = "## 1. A\n\nSame text.\n"
    a = chunk_document(make_doc(body))[0]
    doc = make_doc(body)
    changed = Document(
        meta=doc.meta.model_copy(update={"version": "2"}), text=body, source_path="x.md"
    )
    assert chunk_document(changed)[0].chunk_id != a.chunk_id
    assert chunk_document(make_doc(body))[0].chunk_id == a.chunk_id


def test_capital_letter_paragraphs_and_federal_register_pages_are_cited() -> None:
    path = ["2.1 29 CFR 2560.503-1(f)(2)(iii)(A) Pre-service claims"]
    assert citation_for("REG-6", path)[1] == "29 CFR 2560.503-1(f)(2)(iii)(A)"
    assert citation_for("REG-8", ["1.1 89 FR 8758 Publication"])[1] == "89 FR 8758"
