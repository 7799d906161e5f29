"""The scoring rules of the real-format benchmark: pinpoints, facts, sources, question files."""

from datetime import date
from pathlib import Path

import pytest

from benchmarks.realformat_data import (
    fact_found,
    files_holding,
    load_split,
    names_doc,
    normalize,
    pinpoint_exact,
    pinpoint_exact_or_parent,
    pinpoint_match,
    source_cited,
)


def cites(*pairs: str) -> list[tuple[str, str]]:
    """("42 CFR 438.408", "42 CFR 438.408(b)(2)") pairs from "doc_id|citation" strings."""
    return [tuple(p.split("|", 1)) for p in pairs]  # type: ignore[misc]


# --- pinpoints -------------------------------------------------------------------------------


def test_a_more_specific_paragraph_meets_the_expected_pinpoint() -> None:
    got = cites("42 CFR 438.408|42 CFR 438.408(b)(2)")
    assert pinpoint_match(got, "42 CFR 438.408(b)")
    assert pinpoint_match(got, "42 CFR 438.408(b)(2)")


def test_a_sibling_or_enclosing_paragraph_does_not_meet_the_pinpoint() -> None:
    assert not pinpoint_match(cites("42 CFR 438.408|42 CFR 438.408(b)(3)"), "42 CFR 438.408(b)(2)")
    assert not pinpoint_match(cites("42 CFR 438.408|42 CFR 438.408(b)"), "42 CFR 438.408(b)(2)")
    assert not pinpoint_match(cites("42 CFR 438.408|42 CFR 438.408(b)(20)"), "42 CFR 438.408(b)(2)")


def test_a_doc_id_alone_is_no_pinpoint() -> None:
    assert not pinpoint_match(cites("42 CFR 438.408|"), "42 CFR 438.408(b)(2)")
    assert not pinpoint_exact_or_parent(cites("42 CFR 438.408|"), "42 CFR 438.408(b)(2)")


def test_exact_or_parent_accepts_an_enclosing_paragraph_but_not_a_child() -> None:
    expected = "42 CFR 438.408(b)(2)"
    assert pinpoint_exact_or_parent(cites("42 CFR 438.408|42 CFR 438.408(b)"), expected)
    assert pinpoint_exact_or_parent(cites("42 CFR 438.408|42 CFR 438.408"), expected)
    assert not pinpoint_exact_or_parent(cites("42 CFR 438.408|42 CFR 438.408(b)(2)(i)"), expected)
    assert not pinpoint_exact_or_parent(cites("42 CFR 438.408|42 CFR 438.408(c)"), expected)


def test_policy_sections_nest_by_number_not_by_prefix() -> None:
    assert pinpoint_match(cites("UM-410|UM-410 §4.1"), "UM-410 §4")
    assert pinpoint_match(cites("UM-410|UM-410 § 4.1"), "UM-410 §4.1")
    assert not pinpoint_match(cites("UM-410|UM-410 §41"), "UM-410 §4")
    assert pinpoint_match(cites("UM-410|UM-410 §4.1"), "UM-410")


def test_exact_pinpoint_ignores_spacing_and_keeps_designation_case() -> None:
    expected = "42 CFR 431.221(a)(1)(i)"
    assert pinpoint_exact(cites("42 CFR 431.221|42 CFR  431.221(a)(1)(i)"), expected)
    assert not pinpoint_exact(cites("X|42 CFR 431.221(a)(1)(I)"), "42 CFR 431.221(a)(1)(i)")


def test_a_bare_section_citation_is_read_under_its_doc_id() -> None:
    assert pinpoint_match(cites("UM-410|§4.1"), "UM-410 §4.1")
    assert pinpoint_match(cites("NCD 240.4|NCD 240.4 §B"), "NCD 240.4 §B")


def test_a_named_section_is_under_its_document_and_not_under_another() -> None:
    assert pinpoint_match(cites("LCD L99901|LCD L99901, Limitations"), "LCD L99901")
    timeframes = "UM-720, Decision Timeframes"
    assert pinpoint_match(cites(f"UM-720|{timeframes}"), timeframes)
    assert not pinpoint_match(cites("UM-720|UM-720, Who Decides"), timeframes)
    assert not pinpoint_match(cites("UM-72|UM-72, Who Decides"), "UM-720")


def test_several_pinpoints_in_one_citation_string_each_count() -> None:
    got = cites("42 CFR 438.408|42 CFR 438.408(c)(1); UM-410 §4.1")
    assert pinpoint_match(got, "UM-410 §4.1")


# --- facts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "answer"),
    [
        ("30 calendar days", "resolve it within thirty calendar days of receipt"),
        ("72 hours", "no later than seventy-two hours after"),
        ("72 hours", "a 72-hour deadline"),
        ("90 days", "within ninety days"),
        ("14 calendar days", "up to fourteen (14) calendar days"),
        ("120 days", "one hundred twenty days"),
        ("Adverse Benefit Determination", "the adverse\nbenefit  determination"),
        ("§ 438.408", "see §438.408 of this part"),
    ],
)
def test_a_fact_is_found_with_words_for_numbers_case_and_spacing(phrase: str, answer: str) -> None:
    assert fact_found(phrase, answer)


def test_a_fact_is_not_found_when_the_number_differs() -> None:
    assert not fact_found("30 calendar days", "within 3 calendar days")
    assert not fact_found("14 days", "within forty days")
    assert not fact_found("72 hours", "7 hours")


def test_any_of_accepts_any_spelling() -> None:
    item = {"any_of": ["State fair hearing", "fair hearing"]}
    assert fact_found(item, "the enrollee may request a fair hearing")
    assert not fact_found(item, "the enrollee may request an appeal")


def test_normalize_keeps_unrelated_words() -> None:
    assert normalize("Someone often tends to") == "someone often tends to"


# --- sources ---------------------------------------------------------------------------------


def test_source_cited_by_doc_id_or_by_a_citation_under_it() -> None:
    assert source_cited(cites("42 CFR 438.408|whatever"), "42 CFR 438.408")
    assert source_cited(cites("x|42 CFR 438.408(b)(2)"), "42 CFR 438.408")
    assert source_cited(cites("UM-410|UM-410 §4.1"), "UM-410")


def test_source_prefix_must_end_at_a_boundary() -> None:
    assert not names_doc("42 CFR 438.4080", "42 CFR 438.408")
    assert not names_doc("42 CFR 438.408", "42 CFR 438.40")
    assert not names_doc("NCD 240.4", "NCD 240")
    assert not source_cited(cites("42 CFR 438.410|42 CFR 438.410(a)"), "42 CFR 438.408")


def test_files_holding_reads_headings_not_cross_references() -> None:
    texts = {
        "a.xml": "§ 431.221 Request for hearing.\n(d) the period set by § 438.408(f)(2)",
        "b.txt": "Source: https://x\n§ 438.408 Resolution and notification.\n(a) ...",
        "c.docx": "Example Plan\nPolicy Number: UM-410\nVersion: 3",
        "d.html": "NCD for CPAP Therapy (240.4)\nB. Nationally Covered Indications",
        "CMS-0057-F.txt": "Prior authorization rule",
        "e.txt": "restated",
    }
    manifests = {"e.txt": {"doc_id": "CMS-9115-F"}}
    assert files_holding("42 CFR 438.408", texts) == {"b.txt"}
    assert files_holding("42 CFR 438.4", texts) == set()
    assert files_holding("UM-410", texts) == {"c.docx"}
    assert files_holding("NCD 240.4", texts) == {"d.html"}
    assert files_holding("CMS-0057-F", texts) == {"CMS-0057-F.txt"}
    assert files_holding("CMS-9115-F", texts, manifests=manifests) == {"e.txt"}
    assert files_holding("42 CFR 438.408", {"x.xml": "text"}, {"x.xml": '<DIV8 N="§ 438.408">'})


def test_files_holding_reads_a_legal_site_title_and_an_lcd_id() -> None:
    texts = {
        "a.html": "42 CFR § 422.590 - Timeframes and responsibility for reconsiderations.\n(a) ...",
        "b.html": "LCD - Facet Joint Interventions for Pain Management (L99901)\nCoverage ...",
        "c.txt": "as 42 CFR 422.590(e) requires; see LCD L99902",
    }
    assert files_holding("42 CFR 422.590", texts) == {"a.html"}
    assert files_holding("LCD L99901", texts) == {"b.html"}
    assert files_holding("42 CFR 422.59", texts) == set()


# --- question files --------------------------------------------------------------------------


def test_load_split_keeps_good_entries_and_names_the_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(
        """
split: tuning
questions:
  - id: t-001
    question: "How long for a standard appeal?"
    kind: answerable
    tags: [appeals, mentions_denial]
    expected_doc: "42 CFR 438.408"
    expected_pinpoint: "42 CFR 438.408(b)(2)"
    must_include: ["30 calendar days", {any_of: ["a", "b"]}]
    lob: medicaid
    as_of: 2025-06-01
  - id: t-002
    question: "Something"
    kind: maybe
  - id: t-001
    question: "Duplicate"
    kind: unanswerable
"""
    )
    split = load_split("tuning", path)
    assert [q.id for q in split.questions] == ["t-001"]
    q = split.questions[0]
    assert q.mentions_denial and q.lob == "medicaid" and q.as_of == date(2025, 6, 1)
    assert len(q.must_include) == 2
    assert any("t-002" in p for p in split.problems)
    assert any("duplicate" in p for p in split.problems)


def test_load_split_reports_a_missing_or_broken_file(tmp_path: Path) -> None:
    assert load_split("heldout", tmp_path / "none.yaml").problems
    broken = tmp_path / "broken.yaml"
    broken.write_text("questions: [\n  - id: h-001\n    question: 'x")
    split = load_split("heldout", broken)
    assert split.exists and not split.questions and split.problems


def test_outline_sections_nest_by_numeral_letter_and_item() -> None:
    assert pinpoint_match(cites("UM-710|UM-710 §IV.B.2"), "UM-710 §IV.B")
    assert pinpoint_match(cites("UM-710|UM-710 §IV.B.2.a"), "UM-710 §IV.B.2")
    assert pinpoint_match(cites("UM-710|UM-710 §IV.B"), "UM-710 §IV")
    assert not pinpoint_match(cites("UM-710|UM-710 §IV.B"), "UM-710 §IV.B.2")
    assert not pinpoint_match(cites("UM-710|UM-710 §IV.B"), "UM-710 §I")


def test_a_coverage_database_page_holds_its_ncd_by_its_tracking_line() -> None:
    from benchmarks.realformat_data import files_holding

    texts = {
        "ncd.txt": "Home Prothrombin Time Monitoring\n  NCD ID: 190.11\nCovered when ...",
        "other.txt": "See NCD 190.110 for another rule.",
    }
    assert files_holding("NCD 190.11", texts) == {"ncd.txt"}
