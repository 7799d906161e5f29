"""Denial-letter templates, the completeness checker and the case-note matcher, without a store."""

import re
from datetime import UTC, date, datetime

import pytest

from tools.casenotes import (
    MATCHER_LABEL,
    CriterionPassage,
    assess,
    build_case_note,
    check_case_note,
    render_case_note,
)
from tools.completeness import (
    DRAFT_BANNER,
    LetterDraft,
    LetterProgram,
    Verification,
    check_letter,
    element_specs,
    program_for,
    readability,
    required_elements,
)
from tools.enums import LineOfBusiness, RequestType
from tools.errors import InvalidInput
from tools.letters import LetterFields, plan_contacts, render_letter, signed_text

PLAN_OF = {
    LetterProgram.medicare_advantage: "PLN-MA-01",
    LetterProgram.medicare_part_b_drug: "PLN-MA-01",
    LetterProgram.medicaid: "PLN-MCD-01",
    LetterProgram.commercial: "PLN-COM-01",
}
REASON = (
    "The records show 3 weeks of physical therapy; MP-201 §2.2 criterion 2 asks for at least "
    "6 weeks of conservative therapy."
)
CASES = [(p, False) for p in LetterProgram] + [
    (LetterProgram.medicare_advantage, True),
    (LetterProgram.medicare_part_b_drug, True),
]


def fields(program: LetterProgram, payment: bool = False, **changes: object) -> LetterFields:
    plan_id = PLAN_OF[program]
    base = LetterFields(
        notice_date=date(2026, 11, 24),
        plan_id=plan_id,
        plan_name="Sunrise Synthetic Health Plan",
        member_id="M1000001",
        member_name="Test Member",
        case_id="C2000001",
        service="Lumbar spine MRI without contrast (72148)",
        provider_name="Example Imaging Center",
        payment=payment,
        reason=REASON,
        criteria=["MP-201 §2.2 Lumbar spine MRI after failed conservative therapy"],
        reviewer="Casey Clinicianne, MD",
        reviewer_user_id="dr.casey",
    ).with_contact(plan_contacts()[plan_id])
    return base.model_copy(update=changes)


def rendered(program: LetterProgram, payment: bool = False, **changes: object) -> LetterDraft:
    return render_letter(program, fields(program, payment, **changes))


def without_lines(text: str, pattern: str) -> str:
    return "\n".join(
        line for line in text.splitlines() if not re.search(pattern, line, re.IGNORECASE)
    )


def test_every_program_lists_elements_with_citation_and_verification_status() -> None:
    specs = element_specs()
    assert set(specs) == {p.value for p in LetterProgram} | {"case_note"}
    for spec in specs.values():
        assert spec.elements
        for element in spec.elements:
            assert element.citation and element.description
            assert element.verification in set(Verification)
            if element.verification in {Verification.secondary, Verification.unverified}:
                # Where a letter relies on an unverified rule, the checker's data says so.
                assert "verify" in element.note, element.id


@pytest.mark.parametrize(("program", "payment"), CASES)
def test_rendered_letter_contains_every_required_element(
    program: LetterProgram, payment: bool
) -> None:
    draft = rendered(program, payment)
    report = check_letter(program, draft)
    assert report.complete, report.missing
    assert report.present == [e.id for e in required_elements(program) if e.applies(payment)]
    assert check_letter(program, draft.body, payment=payment).complete


def test_each_line_of_business_requires_its_own_regulatory_elements() -> None:
    ids = {p: {e.id for e in required_elements(p)} for p in LetterProgram}
    assert {
        "filing_window",
        "standard_process",
        "expedited_process",
        "how_to_request_expedited",
        "representation",
        "reviewer",
        "free_copy_of_criteria",
    } <= ids[LetterProgram.medicare_advantage]
    assert {
        "free_copies",
        "appeal_right",
        "expedited_appeal",
        "state_fair_hearing",
        "continuation_of_benefits",
        "interpreter_and_formats",
    } <= ids[LetterProgram.medicaid]
    assert {
        "plan_provisions",
        "internal_criteria",
        "information_needed",
        "review_procedures",
        "urgent_review",
        "civil_action",
    } <= ids[LetterProgram.commercial]
    assert ids[LetterProgram.medicare_part_b_drug] == ids[LetterProgram.medicare_advantage]


@pytest.mark.parametrize(
    ("program", "element_id"),
    [(p, e.id) for p in LetterProgram for e in required_elements(p) if e.applies(payment=False)],
)
def test_checker_reports_an_element_removed_from_the_rendered_letter(
    program: LetterProgram, element_id: str
) -> None:
    element = next(e for e in required_elements(program) if e.id == element_id)
    body = rendered(program).body
    marker = (
        rf"^\s*(?:- )?{re.escape(element.slots[0])}\b" if element.slots else element.patterns[0]
    )
    planted = without_lines(body, marker)
    assert planted != body
    report = check_letter(program, planted)
    assert element_id in [m.id for m in report.missing]
    assert not report.complete


@pytest.mark.parametrize("program", list(LetterProgram))
@pytest.mark.parametrize(
    ("field", "element_id"),
    [("reason", "specific_reason"), ("reviewer", "reviewer"), ("criteria", None)],
)
def test_required_field_left_empty_is_reported_missing(
    program: LetterProgram, field: str, element_id: str | None
) -> None:
    empty = [] if field == "criteria" else ""
    draft = rendered(program, **{field: empty})
    expected = element_id or (
        "internal_criteria" if program is LetterProgram.commercial else "criteria_relied_on"
    )
    assert expected in [m.id for m in check_letter(program, draft.body).missing]
    assert expected in [m.id for m in check_letter(program, draft).missing]


@pytest.mark.parametrize(
    "reason", ["TBD", "[reason]", "Not medically necessary.", "Does not meet criteria", "n/a"]
)
def test_placeholder_or_bare_not_medically_necessary_is_not_a_specific_reason(
    reason: str,
) -> None:
    report = check_letter(LetterProgram.medicaid, rendered(LetterProgram.medicaid, reason=reason))
    assert [m.id for m in report.missing] == ["specific_reason"]


def test_structured_draft_is_checked_on_its_fields_as_well_as_its_text() -> None:
    draft = rendered(LetterProgram.commercial)
    hollow = draft.model_copy(update={"fields": {**draft.fields, "plan_provisions": []}})
    assert check_letter(LetterProgram.commercial, draft.body).complete
    missing = check_letter(LetterProgram.commercial, hollow).missing
    assert [(m.id, m.why) for m in missing] == [
        ("plan_provisions", "the field 'plan_provisions' is empty or a placeholder")
    ]


def test_plan_without_contact_details_yields_a_letter_that_is_not_complete() -> None:
    bare = fields(LetterProgram.medicare_advantage).model_copy(
        update={"plan_phone": "", "appeals_address": "", "peer_to_peer_phone": ""}
    )
    report = check_letter(
        LetterProgram.medicare_advantage, render_letter(LetterProgram.medicare_advantage, bare)
    )
    assert {"plan_contact", "peer_to_peer"} <= {m.id for m in report.missing}


def test_a_value_spanning_lines_cannot_forge_a_slot_the_checker_reads() -> None:
    forged = rendered(
        LetterProgram.medicare_advantage,
        reason=REASON + "\n- Criteria used: MP-999 §1",
        criteria=[],
    )
    assert "\n- Criteria used: MP-999" not in forged.body
    missing = check_letter(LetterProgram.medicare_advantage, forged).missing
    assert "criteria_relied_on" in [m.id for m in missing]


def test_medicare_advantage_payment_denial_offers_no_fast_appeal() -> None:
    payment = rendered(LetterProgram.medicare_advantage, payment=True).body
    service = rendered(LetterProgram.medicare_advantage).body
    assert "You cannot ask for a fast appeal about paying" in payment
    assert "72 hours" not in payment
    assert "We will give you our answer within 72 hours." in service
    as_service = check_letter(LetterProgram.medicare_advantage, payment, payment=False)
    assert {m.id for m in as_service.missing} == {"expedited_process", "how_to_request_expedited"}


def test_part_b_drug_letter_uses_the_part_b_reconsideration_time() -> None:
    part_b = rendered(LetterProgram.medicare_part_b_drug).body
    ma = rendered(LetterProgram.medicare_advantage).body
    assert "Drug requested:" in part_b and "Part B drug" in part_b
    assert "within 7 calendar days" in part_b and "30 calendar days" not in part_b
    assert "within 30 calendar days" in ma
    # The MA text does not satisfy the Part B rules, and the other way round.
    assert not check_letter(LetterProgram.medicare_part_b_drug, ma).complete
    assert not check_letter(LetterProgram.medicare_advantage, part_b).complete


def test_medicaid_letter_states_continuation_rights_with_the_effective_date() -> None:
    body = rendered(LetterProgram.medicaid, effective_date=date(2026, 12, 5)).body
    assert "Ask within 10 days of the date of this notice or by 2026-12-05" in body
    assert "whichever is later" in body
    assert "you may have to pay" in body


@pytest.mark.parametrize("program", list(LetterProgram))
def test_letters_are_plain_language_with_short_sentences(program: LetterProgram) -> None:
    report = check_letter(program, rendered(program))
    assert report.readability.avg_sentence_words <= 15
    assert report.readability.long_sentences == 0
    assert report.readability.grade <= 8
    assert report.warnings == []


def test_readability_check_flags_long_sentences() -> None:
    long_reason = " ".join(["the documentation provided"] * 12) + "."
    report = check_letter(
        LetterProgram.commercial, rendered(LetterProgram.commercial, reason=long_reason)
    )
    assert report.readability.long_sentences == 0  # the Reason line is a label line, skipped
    prose = "This sentence " + "keeps going " * 20 + "until the end."
    score = readability(prose + "\nShort one here.")
    assert score.long_sentences == 1
    assert score.longest_sentence_words == 45
    assert score.avg_sentence_words == 24.0


@pytest.mark.parametrize("program", list(LetterProgram))
def test_letter_is_a_draft_and_never_states_a_decision_made_by_the_assistant(
    program: LetterProgram,
) -> None:
    body = rendered(program).body
    assert body.splitlines()[0] == DRAFT_BANNER
    decision = body.split("\nWhat we decided\n")[1].split("\nWhy\n")[0]
    assert "A doctor or other health professional at our plan reviewed your request." in decision
    assert not re.search(r"careassist|assistant|automated|\bAI\b", body, re.IGNORECASE)


def test_signed_text_replaces_the_banner_and_nothing_else() -> None:
    body = rendered(LetterProgram.medicaid).body
    signed = signed_text(body, "SIGNED by Casey Clinicianne, MD")
    assert DRAFT_BANNER not in signed
    assert signed.splitlines()[1:] == body.splitlines()[1:]
    with pytest.raises(InvalidInput):
        signed_text(signed, "again")


def test_report_lists_the_unverified_rules_a_letter_relies_on() -> None:
    report = check_letter(LetterProgram.commercial, rendered(LetterProgram.commercial))
    unverified = {e.id: e.verification for e in report.unverified}
    assert unverified["civil_action"] == Verification.secondary
    medicaid = check_letter(LetterProgram.medicaid, rendered(LetterProgram.medicaid))
    continuation = next(e for e in medicaid.unverified if e.id == "continuation_of_benefits")
    assert continuation.verification == Verification.unverified
    assert "438.420" in continuation.citation and continuation.note


def test_program_follows_line_of_business_and_part_b_drug_requests() -> None:
    assert program_for("medicaid", "pre_service") is LetterProgram.medicaid
    assert (
        program_for(LineOfBusiness.medicare_advantage, RequestType.part_b_drug)
        is LetterProgram.medicare_part_b_drug
    )
    with pytest.raises(InvalidInput, match="Part B"):
        program_for("commercial", "part_b_drug")
    with pytest.raises(InvalidInput, match="unknown letter program"):
        check_letter("dental", "text")


MRI = CriterionPassage(
    citation="MP-201 §2.2",
    title="Lumbar spine MRI after failed conservative therapy",
    text=(
        "Lumbar spine MRI is considered medically necessary when all of the following are met:\n"
        "1. Symptoms have lasted at least 6 weeks.\n"
        "2. The member has completed at least 6 weeks of physician-directed conservative "
        "therapy including physical therapy.\n"
        "3. Symptoms persist or worsen despite that therapy, documented at a follow-up visit.\n"
        "4. The result will be used to plan treatment, such as an epidural steroid injection."
    ),
)
RED_FLAGS = CriterionPassage(
    citation="MP-201 §2.1",
    title="Red flags",
    text=(
        "Without conservative therapy when the record documents at least one of the following:\n"
        "1. Suspected cauda equina syndrome with new urinary retention.\n"
        "2. Progressive neurologic deficit such as foot drop."
    ),
)


def test_matcher_marks_each_criterion_met_not_met_or_not_documented() -> None:
    docs = (
        "Back pain with radiculopathy for 10 weeks. Completed 3 weeks of physical therapy. "
        "No signs of cauda equina syndrome and no urinary retention."
    )
    mri, flags = assess([MRI, RED_FLAGS], docs)
    statuses = [f.status for f in mri.findings]
    assert statuses == ["met", "not met", "not documented", "not documented"]
    assert mri.rule == "all" and flags.rule == "any"
    short = mri.findings[1]
    assert short.evidence == "Completed 3 weeks of physical therapy."
    assert "asks for at least 6 weeks" in short.explanation
    assert flags.findings[0].status == "not met"  # the matching sentence is negated
    assert flags.findings[1].status == "not documented"


def test_case_note_lists_missing_documentation_and_leaves_the_decision_open() -> None:
    base = {
        "case_id": "C2000001",
        "member_id": "M1000001",
        "plan_id": "PLN-MA-01",
        "line_of_business": "medicare_advantage",
        "service": "Lumbar spine MRI (72148)",
        "request_type": "pre_service",
        "urgency": "standard",
        "received_at": datetime(2026, 11, 20, 14, tzinfo=UTC),
        "clinical_notes": "Back pain for 10 weeks.",
    }
    note = build_case_note(base, "Reviewer: no therapy records received.", [MRI])
    body = render_case_note(note)
    assert MATCHER_LABEL in body
    assert "- MP-201 §2.2 criterion 3: Symptoms persist or worsen" in body
    assert body.rstrip().endswith("Determination: pending clinician review")
    assert check_case_note(body, note.model_dump(mode="json")).complete
    cut = without_lines(body, r"^Determination:")
    assert [m.id for m in check_case_note(cut).missing] == ["determination_pending"]


@pytest.mark.parametrize("program", list(LetterProgram))
def test_a_letter_reads_as_a_letter_without_markdown_headings(program: LetterProgram) -> None:
    body = rendered(program).body
    assert not re.search(r"^\s*#", body, re.MULTILINE)
    assert "What we decided" in body


def test_the_medicaid_letter_renders_the_information_that_could_change_the_decision() -> None:
    letter = rendered(LetterProgram.medicaid, information_needed=["physical therapy notes"])
    assert "Information that could change this decision" in letter.body
    assert "physical therapy notes" in letter.body
    assert check_letter(LetterProgram.medicaid, letter).complete
    assert "Information that could change" not in rendered(LetterProgram.medicaid).body


MRI_SECTIONS = [
    "Repeat lumbar MRI\nA repeat lumbar spine MRI within 12 months is considered medically "
    "necessary only when there is a new red-flag condition.",
    "Lumbar spine MRI after failed conservative therapy\nThe member has completed at least 6 "
    "weeks of physician-directed conservative therapy, including physical therapy.",
    "Surgical planning\nLumbar spine MRI is considered medically necessary for surgical planning.",
]


def test_the_criteria_cited_are_the_sections_that_support_the_reason() -> None:
    from tools.letters import supporting_sections

    reason = "6 weeks of conservative therapy not documented"
    assert supporting_sections(reason, MRI_SECTIONS) == [1]
    assert supporting_sections("six weeks of conservative therapy missing", MRI_SECTIONS) == [1]
    assert supporting_sections("the member prefers another imaging center", MRI_SECTIONS) == []


def test_a_criterion_is_named_by_title_and_code() -> None:
    from tools.letters import criterion_name

    name = criterion_name(
        "MP-201 §2.2", "Lumbar Spine MRI", "2.2 Lumbar spine MRI after failed therapy"
    )
    assert name == "Lumbar Spine MRI (MP-201 §2.2): Lumbar spine MRI after failed therapy"
