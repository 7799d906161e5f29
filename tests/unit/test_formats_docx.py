"""DOCX policies: Word styles to headings and list items, tables to rows, bad files skipped."""

from pathlib import Path

import pytest
from docx import Document as DocxDocument

from retrieval.documents import DocType, LineOfBusiness
from retrieval.errors import DocumentSkipped
from retrieval.loaders import load_documents

MB = 1_000_000


def _policy_docx(path: Path) -> Path:
    d = DocxDocument()
    d.add_heading("Utilization Review Timeframes", level=0)
    for line in (
        "Policy Number: UM-420",
        "Effective Date: 03/01/2026",
        "Version: 2",
        "End Date: December 31, 2026",
        "Line of Business: Commercial",
    ):
        d.add_paragraph(line)
    d.add_heading("4 Timeframes", level=1)
    d.add_heading("4.1 Standard requests", level=2)
    d.add_paragraph("The plan decides within 15 days when:")
    d.add_paragraph("the request is complete", style="List Number")
    d.add_paragraph("the member is eligible", style="List Number")
    d.add_paragraph("on the date of service", style="List Bullet 2")
    d.add_paragraph("This synthetic example is not legal advice.")
    table = d.add_table(rows=2, cols=2)
    cells = {(0, 0): "Request", (0, 1): "Days", (1, 0): "Standard", (1, 1): "15"}
    for (r, c), text in cells.items():
        table.cell(r, c).text = text
    d.save(str(path))
    return path


def test_docx_policy_metadata_comes_from_its_top_lines(tmp_path: Path) -> None:
    (doc,) = load_documents(_policy_docx(tmp_path / "um420.docx"), MB)
    meta = doc.meta
    assert (meta.doc_id, meta.citation, meta.version) == ("UM-420", "UM-420", "2")
    assert meta.title == "Utilization Review Timeframes"
    assert meta.doc_type is DocType.policy
    assert meta.line_of_business is LineOfBusiness.commercial
    assert (meta.effective_date.isoformat(), meta.end_date.isoformat()) == (  # type: ignore[union-attr]
        "2026-03-01",
        "2026-12-31",
    )
    assert "Policy Number" not in doc.text and "End Date" not in doc.text


def test_docx_styles_become_headings_list_items_and_table_rows_name_their_columns(
    tmp_path: Path,
) -> None:
    (doc,) = load_documents(_policy_docx(tmp_path / "um420.docx"), MB)
    assert doc.text == (
        "# Utilization Review Timeframes\n\n"
        "## 4 Timeframes\n\n"
        "### 4.1 Standard requests\n\n"
        "The plan decides within 15 days when:\n\n"
        "1. the request is complete\n"
        "2. the member is eligible\n"
        "  - on the date of service\n\n"
        "This synthetic example is not legal advice.\n\n"
        "- Standard — Days: 15\n"
    )


def test_docx_that_is_not_a_zip_is_skipped_saying_so(tmp_path: Path) -> None:
    (tmp_path / "policy.docx").write_bytes(b"{\\rtf1 this is really an RTF file}")
    with pytest.raises(DocumentSkipped, match="is not a DOCX \\(not a zip package\\)"):
        load_documents(tmp_path / "policy.docx", MB)


def test_docx_with_a_broken_package_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "k.docx").write_bytes(b"PK\x03\x04 broken zip")
    with pytest.raises(DocumentSkipped, match="not a readable DOCX"):
        load_documents(tmp_path / "k.docx", MB)


def _numbered(d: object, text: str, num_id: int, level: int = 0) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = d.add_paragraph(text)  # type: ignore[attr-defined]
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", num_id)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(value))
        num_pr.append(el)
    para._p.get_or_add_pPr().append(num_pr)


def test_docx_paragraphs_numbered_through_numpr_and_bold_lines_are_structure(
    tmp_path: Path,
) -> None:
    d = DocxDocument()
    bold = d.add_paragraph()
    bold.add_run("2.3 Documentation").bold = True
    d.add_paragraph("Send all of the following:")
    _numbered(d, "the order", 1)
    _numbered(d, "the visit note", 1)
    _numbered(d, "signed by the practitioner", 1, level=1)
    d.save(str(tmp_path / "n.docx"))
    (doc,) = load_documents(tmp_path / "n.docx", MB)
    lines = doc.text.splitlines()
    assert lines[0] == "### 2.3 Documentation"
    items = lines[lines.index("Send all of the following:") + 2 :]
    assert [item.lstrip(" ").split(" ", 1)[1] for item in items] == [
        "the order",
        "the visit note",
        "signed by the practitioner",
    ]
    assert items[2].startswith("  ") and not items[0].startswith(" ")


def test_docx_whose_structure_cannot_be_read_is_kept_as_plain_paragraphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.formats import docx as docx_format

    def broken(*args: object) -> None:
        raise AttributeError("style")

    monkeypatch.setattr(docx_format, "_write", broken)
    (doc,) = load_documents(_policy_docx(tmp_path / "um420.docx"), MB)
    assert "The plan decides within 15 days when:" in doc.text.split("\n\n")
    assert any("read as plain paragraphs" in w for w in doc.warnings)


def test_docx_table_with_a_bold_header_row_names_each_rows_columns(tmp_path: Path) -> None:
    d = DocxDocument()
    d.add_heading("Network Gap Exceptions", level=0)
    d.add_paragraph("The plan decides within the time shown for each type:")
    table = d.add_table(rows=3, cols=3)
    rows = [
        ("Request type", "Decide within", "Extension"),
        ("Standard (pre-service)", "7 calendar days", "One, up to 14 days"),
        ("Urgent (pre-service)", "72 hours", "None"),
    ]
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            run = table.cell(r, c).paragraphs[0].add_run(text)
            run.bold = r == 0
    d.add_paragraph("Key facts")
    facts = d.add_table(rows=2, cols=2)  # labels and values, no header (it holds digits)
    for r, (label, value) in enumerate((("Review cycle", "12 months"), ("Reviewer", "MD"))):
        facts.cell(r, 0).text, facts.cell(r, 1).text = label, value
    d.save(str(tmp_path / "um720.docx"))
    (doc,) = load_documents(tmp_path / "um720.docx", MB)
    assert (
        "The plan decides within the time shown for each type:\n\n"
        "- Standard (pre-service) — Decide within: 7 calendar days; Extension: One, up to 14 days\n"
        "- Urgent (pre-service) — Decide within: 72 hours; Extension: None\n"
    ) in doc.text
    assert "Request type" not in doc.text  # the header row is in every row, not a row of its own
    assert "Key facts\n\n- Review cycle: 12 months\n- Reviewer: MD\n" in doc.text


def test_docx_sections_without_numbers_are_cited_by_their_headings(tmp_path: Path) -> None:
    from retrieval.chunk import chunk_document

    d = DocxDocument()
    d.add_heading("Out-of-Network Exceptions", level=0)
    d.add_paragraph("Policy Number: UM-720")
    d.add_heading("Decision Timeframes", level=1)
    d.add_paragraph("A standard request is decided within 7 calendar days after receipt.")
    d.add_heading("Who Decides", level=1)
    d.add_paragraph("Only the medical director may approve an exception.")
    d.save(str(tmp_path / "um720.docx"))
    (doc,) = load_documents(tmp_path / "um720.docx", MB)
    cited = {c.units[0].text[:12]: c.citation for c in chunk_document(doc)}
    # "UM-720" alone would leave a reviewer to search the whole policy for the rule.
    assert cited == {
        "A standard r": "UM-720, Decision Timeframes",
        "Only the med": "UM-720, Who Decides",
    }
