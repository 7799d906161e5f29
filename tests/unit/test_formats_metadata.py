"""Metadata without front matter: doc ids of public documents, dates, folder manifests."""

from datetime import date
from pathlib import Path

import pytest

from retrieval.documents import DocMeta, DocType
from retrieval.errors import DocumentSkipped
from retrieval.loaders import load_documents
from retrieval.metadata import parse_date

MB = 1_000_000
CFR_TEXT = "§ 438.404 Timely and adequate notice.\n\n(a) Language. The notice is in writing.\n"


@pytest.mark.parametrize(
    "doc_id", ["42 CFR 438.408", "29 CFR 2560.503-1", "NCD 240.4", "LCD L33797", "UM-410"]
)
def test_doc_ids_of_public_documents_are_accepted(doc_id: str) -> None:
    assert DocMeta(doc_id=doc_id, title="t").doc_id == doc_id


@pytest.mark.parametrize(
    "doc_id", ["42  CFR 438.408", " NCD 240.4", "NCD 240.4 ", "§ 438.408", "bad id; drop", "x" * 65]
)
def test_junk_doc_ids_are_rejected(doc_id: str) -> None:
    with pytest.raises(ValueError, match="doc_id"):
        DocMeta(doc_id=doc_id, title="t")


@pytest.mark.parametrize(
    "text",
    ["January 1, 2026", "Jan. 1, 2026", "1 January 2026", "2026-01-01", "1/1/2026", "Jan 1st 2026"],
)
def test_common_date_spellings_are_read(text: str) -> None:
    assert parse_date(text) == date(2026, 1, 1)


def test_cfr_title_number_comes_from_the_text_when_nothing_else_states_it(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(CFR_TEXT + "\n(b) Content. See 42 CFR 438.10.\n")
    (doc,) = load_documents(tmp_path / "notice.txt", MB)
    assert doc.meta.doc_id == "42 CFR 438.404"


def test_folder_manifest_overrides_what_the_document_says(tmp_path: Path) -> None:
    (tmp_path / "notice.txt").write_text(CFR_TEXT)
    (tmp_path / "rule.txt").write_text("Prior authorization rule summary.\n")
    (tmp_path / "careassist.yaml").write_text(
        "rule.txt:\n  doc_id: CMS-0057-F\n  doc_type: regulation\n  title: Interoperability rule\n"
        "notice.txt:\n  line_of_business: medicaid\n"
    )
    (rule,) = load_documents(tmp_path / "rule.txt", MB)
    assert (rule.meta.doc_id, rule.meta.doc_type, rule.meta.title) == (
        "CMS-0057-F",
        DocType.regulation,
        "Interoperability rule",
    )
    assert rule.warnings == ()
    (notice,) = load_documents(tmp_path / "notice.txt", MB)
    assert notice.meta.doc_id == "42 CFR 438.404"
    assert notice.meta.line_of_business.value == "medicaid"


def test_sidecar_wins_over_the_folder_manifest_and_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ndoc_id: FM-1\ntitle: T\nversion: 1\n---\nBody.\n")
    (tmp_path / "manifest.yaml").write_text("a.md: {doc_id: MAN-1, version: 2}\n")
    (tmp_path / "a.md.meta.yaml").write_text("version: 3\n")
    (doc,) = load_documents(tmp_path / "a.md", MB)
    assert doc.key == "MAN-1@3"


def test_bad_manifest_value_skips_the_document_naming_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Body.\n")
    (tmp_path / "careassist.yaml").write_text("a.txt: {doc_type: memo}\n")
    with pytest.raises(DocumentSkipped, match="bad manifest: doc_type"):
        load_documents(tmp_path / "a.txt", MB)


def test_wrong_dates_read_from_a_document_are_dropped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text(
        "Policy Number: UM-5\nEffective Date: 2026-05-01\nEnd Date: 2026-01-01\n\nBody text.\n"
    )
    (doc,) = load_documents(tmp_path / "p.txt", MB)
    assert doc.meta.end_date is None
    assert any("ignored end_date" in w for w in doc.warnings)


def test_eval_datasets_accept_cfr_and_ncd_doc_ids_as_expected_sources(tmp_path: Path) -> None:
    from evals.dataset import load_dataset

    path = tmp_path / "d.yaml"
    path.write_text(
        "name: t\ncases:\n  - id: a\n    question: How long to resolve a standard appeal?\n"
        "    type: answerable\n    must_include: ['30 calendar days']\n"
        "    expected_sources: ['42 CFR 438.408', 'NCD 240.4', 'UM-104 §3.2',"
        " {doc_id: 29 CFR 2560.503-1}]\n"
    )
    (case,) = list(load_dataset(path))
    assert [(s.doc_id, s.section) for s in case.expected_sources] == [
        ("42 CFR 438.408", None),
        ("NCD 240.4", None),
        ("UM-104", "3.2"),
        ("29 CFR 2560.503-1", None),
    ]


def test_a_policy_titled_by_its_number_is_named_by_it(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Appeals desk</title></head><body>"
        "<h1>UM-1210 Integrated Appeals Desk Procedures</h1><h2>1 Purpose</h2>"
        "<p>This procedure tells the desk how to take in appeals.</p></body></html>"
    )
    (tmp_path / "appeals-desk.html").write_text(page)
    (doc,) = load_documents(tmp_path / "appeals-desk.html", MB)
    assert (doc.meta.doc_id, doc.meta.doc_type) == ("UM-1210", DocType.policy)


def test_a_title_opening_with_a_subject_code_is_no_policy_number(tmp_path: Path) -> None:
    page = (
        "<html><body><h1>COVID-19 Testing at Home</h1><h2>Who can get a test</h2>"
        "<p>Members can order tests online.</p></body></html>"
    )
    (tmp_path / "home-testing.html").write_text(page)
    (doc,) = load_documents(tmp_path / "home-testing.html", MB)
    assert doc.meta.doc_id == "home-testing"


def test_a_policy_number_line_wins_over_the_number_a_title_opens_with(tmp_path: Path) -> None:
    text = (
        "UM-1210 Integrated Appeals Desk Procedures\nPolicy Number: UM-1299\n\n1 Purpose\n\nText.\n"
    )
    (tmp_path / "desk.txt").write_text(text)
    (doc,) = load_documents(tmp_path / "desk.txt", MB)
    assert doc.meta.doc_id == "UM-1299"
