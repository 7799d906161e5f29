from pathlib import Path

import pytest

from retrieval.documents import DocType, Document, LineOfBusiness
from retrieval.errors import DocumentSkipped
from retrieval.loaders import discover, load_documents
from tests.support import minimal_pdf, write_doc

MB = 1_000_000


def load_document(path: Path, max_bytes: int) -> Document:
    """The first document of a file: these files each hold one."""
    return load_documents(path, max_bytes)[0]


FRONT = {
    "doc_id": "MP-9",
    "title": "Test Criteria",
    "doc_type": "criteria",
    "line_of_business": "medicaid",
    "effective_date": "2026-01-01",
    "version": '"2.0"',
}


def test_markdown_front_matter_becomes_metadata(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "a.md", FRONT, "# Test Criteria\n\n## 1. A\n\nText.\n")
    doc = load_document(path, MB)
    assert doc.meta.doc_id == "MP-9"
    assert doc.meta.doc_type is DocType.criteria
    assert doc.meta.line_of_business is LineOfBusiness.medicaid
    assert doc.meta.version == "2.0"
    assert doc.key == "MP-9@2.0"
    assert doc.warnings == ()


def test_file_without_front_matter_takes_name_and_folder_type_with_a_warning(
    tmp_path: Path,
) -> None:
    path = write_doc(tmp_path / "contracts", "acme-agreement.md", None, "# Acme\n\nTerms.\n")
    doc = load_document(path, MB)
    assert doc.meta.doc_id == "acme-agreement"
    assert doc.meta.doc_type is DocType.contract
    assert doc.meta.title == "Acme"
    assert "no front matter" in doc.warnings[0]


def test_file_without_front_matter_outside_known_folder_defaults_to_policy(tmp_path: Path) -> None:
    doc = load_document(write_doc(tmp_path / "misc", "x.txt", None, "Plain text.\n"), MB)
    assert doc.meta.doc_type is DocType.policy
    assert "(default)" in doc.warnings[0]


@pytest.mark.parametrize(
    ("front_text", "reason"),
    [
        ("---\ndoc_id: [unclosed\n---\n", "not valid YAML"),
        ("---\n- a list\n---\n", "must be a YAML mapping"),
        ("---\ndoc_id: X-1\ndoc_type: memo\n---\n", "doc_type"),
        ("---\ndoc_id: X-1\nline_of_business: dental\n---\n", "line_of_business"),
        ("---\ndoc_id: X-1\neffective_date: 2026-02-30\n---\n", "effective_date"),
        (
            "---\ndoc_id: X-1\neffective_date: 2026-02-01\nend_date: 2026-01-01\n---\n",
            "end_date is before effective_date",
        ),
        ("---\ndoc_id: 'bad id; drop'\n---\n", "doc_id"),
    ],
)
def test_bad_front_matter_is_skipped_with_a_reason(
    tmp_path: Path, front_text: str, reason: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_text(front_text + "# T\n\nBody.\n")
    with pytest.raises(DocumentSkipped, match=reason):
        load_document(path, MB)


def test_empty_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "e.md").write_bytes(b"")
    with pytest.raises(DocumentSkipped, match="empty file"):
        load_document(tmp_path / "e.md", MB)


def test_whitespace_only_body_is_skipped(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "w.md", FRONT, "\n   \n")
    with pytest.raises(DocumentSkipped, match="no text"):
        load_document(path, MB)


def test_binary_file_with_text_suffix_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(DocumentSkipped, match="binary"):
        load_document(tmp_path / "b.txt", MB)


def test_non_utf8_text_is_skipped_naming_the_offset(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_bytes("Caf\u00e9 policy".encode("latin-1"))
    with pytest.raises(DocumentSkipped, match=r"not UTF-8 text .*offset 3"):
        load_document(tmp_path / "l.txt", MB)


def test_oversized_file_is_skipped_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as fh:
        fh.truncate(50 * MB)  # sparse: the size check must come before any read
    with pytest.raises(DocumentSkipped, match=r"50\.0 MB; the limit is 20 MB"):
        load_document(path, 20 * MB)


def test_corrupt_pdf_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(DocumentSkipped, match="not a readable PDF"):
        load_document(tmp_path / "c.pdf", MB)


def test_pdf_numbered_lines_become_sections(tmp_path: Path) -> None:
    (tmp_path / "p.pdf").write_bytes(
        minimal_pdf(["Home Health Policy", "2.1 Homebound status", "The member is homebound."])
    )
    doc = load_document(tmp_path / "p.pdf", MB)
    assert "### 2.1 Homebound status" in doc.text
    assert "homebound" in doc.text


def test_docx_heading_styles_become_sections(tmp_path: Path) -> None:
    from docx import Document as DocxDocument

    d = DocxDocument()
    d.add_heading("Knee Policy", level=0)
    d.add_heading("2. Coverage criteria", level=1)
    d.add_paragraph("Pain for six months.")
    d.save(str(tmp_path / "k.docx"))
    doc = load_document(tmp_path / "k.docx", MB)
    assert "# Knee Policy" in doc.text
    assert "## 2. Coverage criteria" in doc.text


def test_corrupt_docx_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "k.docx").write_bytes(b"PK\x03\x04 broken zip")
    with pytest.raises(DocumentSkipped, match="not a readable DOCX"):
        load_document(tmp_path / "k.docx", MB)


def test_html_meta_tags_give_front_matter_and_headings_survive(tmp_path: Path) -> None:
    (tmp_path / "h.html").write_text(
        '<html><head><title>Site title</title><meta name="doc_id" content="REG-9">'
        '<meta name="doc_type" content="regulation"></head><body><h2>1. Scope</h2>'
        "<p>Applies to <b>all</b> plans.</p><script>alert(1)</script></body></html>"
    )
    doc = load_document(tmp_path / "h.html", MB)
    assert doc.meta.doc_id == "REG-9"
    assert doc.meta.doc_type is DocType.regulation
    assert "## 1. Scope" in doc.text
    assert "Applies to all plans." in doc.text
    assert "alert" not in doc.text


def test_sidecar_manifest_supplies_metadata_for_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "p.pdf").write_bytes(minimal_pdf(["1. Scope", "Text."]))
    (tmp_path / "p.pdf.meta.yaml").write_text("doc_id: CON-9\ndoc_type: contract\n")
    doc = load_document(tmp_path / "p.pdf", MB)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("CON-9", DocType.contract)


def test_discover_reports_missing_paths_and_unsupported_files(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", FRONT, "Body")
    (tmp_path / "image.png").write_bytes(b"x")
    files, skipped = discover([tmp_path, tmp_path / "nope"])
    assert files == [tmp_path / "a.md"]
    reasons = dict(skipped)
    assert reasons[str(tmp_path / "nope")] == "no such file or directory"
    assert "unsupported file type '.png'" in reasons[str(tmp_path / "image.png")]


def test_ingest_reads_the_rest_when_files_are_bad_and_names_each_skipped_one(
    tmp_path: Path,
) -> None:
    from fpdf import FPDF

    from retrieval.ingest import load_all
    from retrieval.settings import RetrievalSettings

    write_doc(tmp_path, "good.md", FRONT, "# Test Criteria\n\nText.\n")
    (tmp_path / "broken.xml").write_text("<ECFR><DIV8><P>(a) x</DIV8>")
    (tmp_path / "fake.docx").write_bytes(b"not a zip at all")
    pdf = FPDF()
    pdf.set_encryption(owner_password="o", user_password="u")
    pdf.add_page()
    pdf.output(str(tmp_path / "locked.pdf"))
    blank = FPDF()
    blank.add_page()
    blank.output(str(tmp_path / "scan.pdf"))
    (tmp_path / "careassist.yaml").write_text("good.md: [unclosed\n")
    docs, skipped, _ = load_all([tmp_path], RetrievalSettings(), None)
    assert [d.meta.doc_id for d in docs] == ["MP-9"]
    reasons = {Path(p).name: why for p, why in skipped}
    assert set(reasons) == {"broken.xml", "fake.docx", "locked.pdf", "scan.pdf", "careassist.yaml"}
    assert reasons["broken.xml"].startswith("malformed XML")
    assert "not a zip" in reasons["fake.docx"]
    assert "is encrypted" in reasons["locked.pdf"]
    assert "has no text layer" in reasons["scan.pdf"]
    assert "manifest is not valid YAML" in reasons["careassist.yaml"]


def test_a_reader_failure_skips_that_file_with_a_reason_instead_of_stopping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval import loaders
    from retrieval.ingest import load_all
    from retrieval.settings import RetrievalSettings

    def crash(raw: bytes, path: Path) -> list:
        raise RuntimeError("reader bug")

    monkeypatch.setitem(loaders.READERS, ".html", crash)
    (tmp_path / "page.html").write_text("<p>x</p>")
    (tmp_path / "note.txt").write_text("Plain note.\n")
    docs, skipped, _ = load_all([tmp_path], RetrievalSettings(), None)
    assert [d.meta.doc_id for d in docs] == ["note"]
    reason = "could not be read (RuntimeError: reader bug)"
    assert skipped == [(str(tmp_path / "page.html"), reason)]


def test_discover_leaves_manifests_and_sidecars_out_of_the_files(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", FRONT, "Body")
    (tmp_path / "a.md.meta.yaml").write_text("version: 2\n")
    (tmp_path / "careassist.yaml").write_text("a.md: {version: 3}\n")
    assert discover([tmp_path]) == ([tmp_path / "a.md"], [])
