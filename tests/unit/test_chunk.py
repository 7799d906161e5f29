from retrieval.chunk import chunk_document, citation_for, section_number
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


def test_unnumbered_heading_falls_back_to_parent_number_then_its_name() -> None:
    assert citation_for("UM-9", ["4. Criteria", "Notes"]) == ("4", "UM-9 §4")
    # With no number anywhere in its path, a section is cited by its heading; a regulation's
    # title heading, or the document's own title, names the document alone.
    assert citation_for("UM-9", ["Background"]) == ("", "UM-9, Background")
    assert citation_for("UM-9", ["Scope and Rules"], title="Scope and rules") == ("", "UM-9")
    # A saved page's "§ 422.112 Access to services." heading is the section itself.
    saved = ["Part 422 - Medicare Advantage Program", "§ 422.112 Access to services."]
    assert citation_for("42 CFR 422.112", saved, "42 CFR 422.112") == ("", "42 CFR 422.112")
    subpart = ["Subpart B—State Responsibilities"]
    assert citation_for("42 CFR 438.62", subpart, "42 CFR 438.62") == ("", "42 CFR 438.62")


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


REGULATION = """# § 438.408 Resolution and notification

(a) Basic rule. Each plan resolves each appeal as fast as the enrollee's health requires.

(b) Specific timeframes—

(1) Standard resolution of appeals. No longer than 30 calendar days from receipt.

(2) Expedited resolution of appeals. No longer than 72 hours after receipt.

(c) Extension of timeframes. (1) The plan may extend the timeframes by up to 14 days if—

(i) The enrollee requests the extension; or

(ii) The plan shows a need, as in paragraph (b)(1) of this section and § 438.210(d)(1).
"""


def regulation_doc() -> Document:
    meta = DocMeta(doc_id="REG-408", title="Resolution", citation="42 CFR 438.408")
    return Document(meta=meta, text=REGULATION, source_path="x.txt")


def test_regulation_paragraphs_get_pinpoints_and_parents() -> None:
    units = [u for c in chunk_document(regulation_doc()) for u in c.units]
    base = "42 CFR 438.408"
    by_label = {u.label: u for u in units}
    assert by_label["(b)(2)"].citation == f"{base}(b)(2)"
    assert by_label["(b)(2)"].parent == by_label["(b)"].index
    assert by_label["(b)"].lead_in and by_label["(c)(1)"].lead_in
    assert by_label["(c)(1)(ii)"].parent == by_label["(c)(1)"].index


def test_a_lead_in_and_its_items_share_a_chunk() -> None:
    for chunk in chunk_document(regulation_doc(), max_words=40):
        labels = [u.label for u in chunk.units]
        for u in chunk.units:
            if u.lead_in:
                assert any(v.parent == u.index for v in chunk.units), labels


def test_oversized_subtree_splits_with_its_lead_in_as_context() -> None:
    chunks = chunk_document(regulation_doc(), max_words=20)
    item = next(c for c in chunks if any(u.label == "(c)(1)(ii)" for u in c.units))
    assert any(u.label == "(c)(1)" for u in (*item.context, *item.units))
    assert "(c) Extension of timeframes" in item.embedding_text()


def test_policy_list_items_belong_to_their_lead_in() -> None:
    body = "## 2. Criteria\n\n### 2.1 Initial\nCovered when all of these are met:\n1. A.\n2. B.\n"
    [chunk] = chunk_document(make_doc(body))
    lead, *items = chunk.units
    assert lead.lead_in and [u.parent for u in items] == [lead.index, lead.index]
    assert {u.citation for u in chunk.units} == {"UM-9 §2.1"}
    assert items[0].text == "1. A."


def test_cross_references_are_recognised() -> None:
    units = [u for c in chunk_document(regulation_doc()) for u in c.units]
    ref_unit = next(u for u in units if u.label == "(c)(1)(ii)")
    assert "42 CFR 438.408(b)(1)" in ref_unit.refs and "42 CFR 438.210(d)(1)" in ref_unit.refs
    body = "## 3. Timeframes\n\n### 3.1 Standard\nExtensions follow section 4.1 of this policy.\n"
    [chunk] = chunk_document(make_doc(body))
    assert chunk.units[0].refs == ("UM-9 §4.1",)


OUTLINE = """# Retrospective Review

## I. PURPOSE

This policy says when late requests are reviewed.

## II. POLICY

## A. Who May Decide

1. A UM nurse may approve a request.
2. Only a physician reviewer may deny a request, after the nurse:
a. refers it in writing; and
b. attaches the record.

## B. Requests Not Accepted

A request after the window of Section IV.A is not accepted.

## IV. PROCEDURE

## A. Request Window

The request is due within 30 calendar days.
"""


def test_outline_policy_is_cited_by_numeral_letter_and_item() -> None:
    chunks = chunk_document(make_doc(OUTLINE, "UM-710"))
    cites = {u.citation: u for c in chunks for u in c.units}
    assert {c.citation for c in chunks} == {
        "UM-710 §I",
        "UM-710 §II.A",
        "UM-710 §II.B",
        "UM-710 §IV.A",
    }
    assert [c.heading_path for c in chunks if c.citation == "UM-710 §IV.A"] == [
        ("IV. PROCEDURE", "A. Request Window")
    ]
    assert cites["UM-710 §II.A.2"].text.startswith("2. Only a physician reviewer")
    # "a." after "2." is a sub-item of 2 even when the reader set both at one level.
    sub = cites["UM-710 §II.A.2.b"]
    assert sub.parent == cites["UM-710 §II.A.2"].index
    assert cites["UM-710 §II.B"].refs == ("UM-710 §IV.A",)


def test_lettered_sections_outside_an_outline_keep_their_letter() -> None:
    body = (
        "## A. General\n\nText.\n\n## H. Other\n\nMore.\n\n## I. Index\n\nI.\n\n## J. Last\n\nJ.\n"
    )
    chunks = chunk_document(make_doc(body, "NCD 20.29"))
    # The I after H is a letter: J is its sibling, not a section under a numeral I.
    assert [c.citation for c in chunks] == [f"NCD 20.29 §{x}" for x in "AHIJ"]
    numbered = "## 1 Scope\n\n1. first\na. sub\n"
    [chunk] = chunk_document(make_doc(numbered))
    assert [u.citation for u in chunk.units] == ["UM-9 §1", "UM-9 §1"]  # not an outline


def test_a_paragraph_ending_below_introduces_the_list_after_it() -> None:
    body = (
        "## A. Covered Conditions\n\nPayment is made only for the conditions below.\n\n"
        "1. Gas gangrene.\n2. Decompression illness.\n\n"
        "## B. Other\n\n1. The study meets the levels in Group I below.\n"
    )
    first, second = chunk_document(make_doc(body, "NCD 20.29"))
    lead, *items = first.units
    assert lead.lead_in and [u.parent for u in items] == [lead.index, lead.index]
    assert not second.units[0].lead_in  # a list item pointing below is no lead-in


def test_a_lead_in_split_across_chunks_knows_its_whole_list() -> None:
    items = "".join(
        f"{i}. Criterion {i}: the record documents the finding, its date and the clinician.\n"
        for i in range(1, 21)
    )
    body = f"## 2. Criteria\n\n### 2.1 Initial\nCovered when all of these are met:\n{items}"
    chunks = chunk_document(make_doc(body), max_words=60)
    assert len(chunks) > 1
    for chunk in chunks:
        # Each piece holds some of the twenty items; the lead-in (here or as context) counts all.
        [lead] = [u for u in (*chunk.context, *chunk.units) if u.lead_in]
        assert lead.items == 20
        assert 0 < sum(u.parent == lead.index for u in chunk.units) < 20


def test_a_cfr_or_usc_citation_heading_is_no_section_number() -> None:
    assert section_number("45 CFR Part 156") is None
    assert section_number("42 U.S.C. 1395w-22") is None
    assert section_number("4 Timeframes") == "4" and section_number("4.1 Standard") == "4.1"
