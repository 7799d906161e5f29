from bot.draftrequest import REASON_PLACEHOLDER, parse_letter_request, plan_letter
from retrieval.search import Hit


def hit(section: str, heading: str, text: str) -> Hit:
    return Hit(
        doc_id="MP-201",
        title="Lumbar Spine MRI",
        doc_type="criteria",
        line_of_business="all",
        section=section,
        citation=f"MP-201 §{section}",
        text=text,
        score=0.5,
        source_path="corpus/criteria/MP-201.md",
        version="1",
        effective_date="2026-01-01",
        end_date=None,
        heading_path=["Coverage criteria", heading],
        chunk_id=f"c{section}",
        similarity=0.0,
    )


HITS = [
    hit(
        "2.4", "2.4 Repeat lumbar spine MRI", "A repeat MRI within 12 months needs a new red flag."
    ),
    hit("4.1", "4.1 Not medically necessary", "MRI for acute low back pain without red flags."),
    hit(
        "2.2",
        "2.2 Lumbar spine MRI after failed conservative therapy",
        "The member has completed at least 6 weeks of physician-directed conservative therapy.",
    ),
]


def test_the_reason_reviewer_and_information_are_read_from_the_request() -> None:
    asked = parse_letter_request(
        "draft a denial letter for C2000033: 6 weeks of conservative therapy not documented; "
        "reviewer dr.casey; information needed: PT notes, home exercise log",
        "C2000033",
    )
    assert asked.reason == "6 weeks of conservative therapy not documented"
    assert asked.reviewer_user_id == "dr.casey"
    assert asked.information_needed == ["PT notes", "home exercise log"]


def test_a_letter_cites_the_section_supporting_the_reason_by_title_and_code() -> None:
    plan = plan_letter(
        "draft a denial letter for C2000033: 6 weeks of conservative therapy not documented",
        "C2000033",
        HITS,
    )
    assert [h.citation for h in plan.criteria] == ["MP-201 §2.2"]
    assert plan.args["criteria_citations"] == [
        "Lumbar Spine MRI (MP-201 §2.2): Lumbar spine MRI after failed conservative therapy"
    ]
    assert plan.note == ""


def test_a_reason_no_section_supports_cites_none_and_says_so() -> None:
    plan = plan_letter(
        "draft a denial letter for C2000033: member moved away last spring", "C2000033", HITS
    )
    assert plan.criteria == [] and plan.args["criteria_citations"] == []
    assert "None of the criteria sections" in plan.note


def test_without_a_reason_the_placeholder_stays_and_nothing_is_cited() -> None:
    plan = plan_letter("draft a denial letter for C2000033", "C2000033", HITS)
    assert plan.args["reason"] == REASON_PLACEHOLDER and plan.criteria == []
