"""PDF policies: headings from font style and numbering, page furniture dropped, bad PDFs
skipped with a reason."""

import io
from pathlib import Path

import pytest
from fpdf import FPDF

from retrieval.documents import DocType, LineOfBusiness
from retrieval.errors import DocumentSkipped
from retrieval.loaders import load_documents

MB = 1_000_000


class _Policy(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, "Example Plan - Confidential", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}")


def _heading(pdf: FPDF, text: str, size: int = 13) -> None:
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")


def _para(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _policy_pdf(path: Path) -> Path:
    pdf = _Policy()
    pdf.add_page()
    _heading(pdf, "Prior Authorization Timeframes", 18)
    for line in (
        "Policy Number: UM-410",
        "Effective Date: January 1, 2026",
        "Version: 3",
        "Line of Business: Medicaid",
    ):
        _para(pdf, line)
    _heading(pdf, "1 Purpose")
    _para(pdf, "This synthetic policy says how fast the plan decides requests. " * 4)
    _heading(pdf, "3 Timeframes")
    _heading(pdf, "3.2 Expedited requests", 12)
    _para(pdf, "The plan decides expedited requests within 72 hours when all of these apply:")
    _para(pdf, "- waiting could seriously jeopardize the member's health;")
    _para(pdf, "- the service has not been received yet.")
    _heading(pdf, "Documentation needed", 12)
    _para(pdf, "Clinical notes from the treating provider.")
    pdf.add_page()
    _heading(pdf, "4 Appeals")
    _para(pdf, "Appeals are decided within 30 calendar days.")
    pdf.output(str(path))
    return path


def test_pdf_policy_metadata_comes_from_its_top_lines(tmp_path: Path) -> None:
    (doc,) = load_documents(_policy_pdf(tmp_path / "um410.pdf"), MB)
    meta = doc.meta
    assert (meta.doc_id, meta.citation, meta.version) == ("UM-410", "UM-410", "3")
    assert meta.title == "Prior Authorization Timeframes"
    assert meta.doc_type is DocType.policy
    assert meta.line_of_business is LineOfBusiness.medicaid
    assert meta.effective_date.isoformat() == "2026-01-01"  # type: ignore[union-attr]


def test_pdf_headings_come_from_bold_and_larger_type(tmp_path: Path) -> None:
    (doc,) = load_documents(_policy_pdf(tmp_path / "um410.pdf"), MB)
    headings = [line for line in doc.text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Prior Authorization Timeframes",
        "## 1 Purpose",
        "## 3 Timeframes",
        "### 3.2 Expedited requests",
        "#### Documentation needed",
        "## 4 Appeals",
    ]


def test_pdf_wrapped_lines_join_and_list_items_follow_their_lead_in(tmp_path: Path) -> None:
    (doc,) = load_documents(_policy_pdf(tmp_path / "um410.pdf"), MB)
    assert ("This synthetic policy says how fast the plan decides requests. " * 4).strip() in (
        doc.text.split("\n\n")
    )
    assert (
        "The plan decides expedited requests within 72 hours when all of these apply:\n\n"
        "- waiting could seriously jeopardize the member's health;\n"
        "- the service has not been received yet."
    ) in doc.text


def test_pdf_page_headers_footers_and_top_lines_are_not_text(tmp_path: Path) -> None:
    (doc,) = load_documents(_policy_pdf(tmp_path / "um410.pdf"), MB)
    for furniture in ("Confidential", "Page 1", "Page 2", "Policy Number", "Version: 3"):
        assert furniture not in doc.text


def test_encrypted_pdf_is_skipped_saying_so(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 6, "Locked text.")
    pdf.output(str(tmp_path / "locked.pdf"))
    with pytest.raises(DocumentSkipped, match="is encrypted"):
        load_documents(tmp_path / "locked.pdf", MB)


def test_image_only_pdf_is_skipped_for_having_no_text_layer(tmp_path: Path) -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 20), "gray").save(png, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(png, x=10, y=10, w=100)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(DocumentSkipped, match="has no text layer"):
        load_documents(tmp_path / "scan.pdf", MB)


def test_pdf_whose_layout_cannot_be_read_is_kept_as_plain_paragraphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.formats import pdf as pdf_format

    def broken(*args: object) -> str:
        raise KeyError("/Font")

    monkeypatch.setattr(pdf_format, "_to_markdown", broken)
    (doc,) = load_documents(_policy_pdf(tmp_path / "um410.pdf"), MB)
    assert "Appeals are decided within 30 calendar days." in doc.text
    assert any("read as plain paragraphs" in w for w in doc.warnings)


def test_pdf_heading_wrapped_onto_several_lines_is_one_heading(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    _heading(pdf, "Inpatient Rehabilitation Review", 18)
    _heading(pdf, "2 Criteria")
    pdf.set_font("Helvetica", "B", 12)
    # A narrow column: the heading wraps onto three lines, as long headings do in real PDFs.
    pdf.multi_cell(60, 8, "2.2 When a therapy schedule of fewer than three hours a day is accepted")
    pdf.ln(2)
    _para(pdf, "The plan accepts 15 hours of therapy within 7 days when the record justifies it.")
    _heading(pdf, "3 Documentation")
    _para(pdf, "The screening is done within the 48 hours before admission.")
    pdf.output(str(tmp_path / "um730.pdf"))
    (doc,) = load_documents(tmp_path / "um730.pdf", MB)
    headings = [line for line in doc.text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Inpatient Rehabilitation Review",
        "## 2 Criteria",
        "### 2.2 When a therapy schedule of fewer than three hours a day is accepted",
        "## 3 Documentation",
    ]


def test_pdf_numbered_line_out_of_sequence_is_no_heading(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    _heading(pdf, "Inpatient Rehabilitation Review", 18)
    _heading(pdf, "3 Documentation")
    _para(pdf, "The screening is done within the 48 hours before admission.")
    _heading(pdf, "4 Review")
    _para(pdf, "Only a physician reviewer may deny a request.")
    _heading(pdf, "Revision history")
    _para(pdf, "1 January 1, 2024 First version of the policy.")
    # A row of the revision table that starts with a number and has no full stop.
    _para(pdf, "2 January 1, 2026 Added the peer-to-peer offer")
    pdf.output(str(tmp_path / "um730.pdf"))
    (doc,) = load_documents(tmp_path / "um730.pdf", MB)
    headings = [line for line in doc.text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Inpatient Rehabilitation Review",
        "## 3 Documentation",
        "## 4 Review",
        "### Revision history",
    ]
    assert "2 January 1, 2026 Added the peer-to-peer offer" in doc.text.strip().split("\n\n")
