import pytest

from bot.answerkind import Asked, ValueKind, asked_values, states, unstated


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("how many business days do we have to answer?", [ValueKind.DURATION, ValueKind.NUMBER]),
        ("within how long must the notice go out?", [ValueKind.DURATION]),
        ("how long does she have to ask us to vacate it?", [ValueKind.DURATION]),
        ("how often is the plan reviewed?", [ValueKind.FREQUENCY]),
        ("what's her copay per session?", [ValueKind.MONEY]),
        ("how much will the member pay out of pocket?", [ValueKind.MONEY, ValueKind.NUMBER]),
        ("what's the minimum score to qualify?", [ValueKind.NUMBER]),
        ("who may deny a request?", []),
        # A payment model and "how much notice" ask for no amount of money.
        ("can a member coming from fee-for-service keep her doctor?", []),
        ("how much notice does the van need?", [ValueKind.NUMBER]),
    ],
)
def test_the_kinds_of_value_a_question_asks_for(question: str, kinds: list[ValueKind]) -> None:
    assert [a.kind for a in asked_values(question)] == kinds


def test_a_count_of_days_keeps_its_unit_and_qualifier() -> None:
    (asked, _) = asked_values("how many business days do we have?")
    assert asked == Asked(ValueKind.DURATION, "day", "business")
    assert states(asked, "Act within 10 business days of receipt.")
    assert states(asked, "Act within ten days of receipt.")  # the qualifier may go unsaid
    assert not states(asked, "Act within 10 calendar days of receipt.")
    assert not states(asked, "Act within 72 hours of receipt.")


def test_a_passage_without_a_value_of_the_kind_asked_leaves_it_unstated() -> None:
    question = "how many years do we have to keep grievance files?"
    kept = "The organization keeps records of each grievance and its resolution."
    assert [a.kind for a in unstated(question, kept)] == [ValueKind.DURATION, ValueKind.NUMBER]
    assert unstated(question, "Grievance records are kept for 10 years.") == []
    assert unstated("how often must it be sent?", "It is sent once every three years.") == []
    assert unstated("what is the copay?", "The member owes no cost sharing.") == []
    assert unstated("what is the copay?", "The member may ask for a review.") != []


def test_a_billing_code_asked_for_by_its_code_system_needs_a_code_in_the_answer() -> None:
    question = "Which CPT codes go on the claim for a bilateral RFA?"
    assert [a.kind for a in asked_values(question)] == [ValueKind.CODE]
    assert unstated(question, "RFA is covered after two diagnostic blocks.") == [
        Asked(ValueKind.CODE)
    ]
    assert unstated(question, "Bill 64635 for the first lumbar level.") == []
    assert unstated("which G codes does the program bill?", "HCPCS G0248 covers training.") == []
    # A code named in the question is no code asked for; "the code" of regulations neither.
    assert asked_values("Which policy covers K0823 and what does it require?") == []
    assert asked_values("What does the code say about appeals?") == []


def test_a_contact_a_form_number_or_a_vendor_asked_for_must_be_stated() -> None:
    # Round r10 and r11's near misses: the desk's procedure says how to fax, never the number.
    fax = "what's the fax number for the part d coverage determination desk?"
    assert [a.kind for a in asked_values(fax)] == [ValueKind.CONTACT]
    assert unstated(fax, "Prescribers may fax the supporting statement to the desk.") != []
    assert unstated(fax, "Fax the statement to 555-010-4477, day or night.") == []
    form = "what form number does the state want the hearing request on?"
    assert [a.kind for a in asked_values(form)] == [ValueKind.FORM]
    assert unstated(form, "The member may ask for a hearing in writing.") != []
    assert unstated(form, "The member uses Form HCA-5120 for the request.") == []
    vendor = "which PBM do we hand after-hours expedited requests to?"
    assert [a.kind for a in asked_values(vendor)] == [ValueKind.NAME]
    assert unstated(vendor, "After hours the on-call pharmacist takes the request.") != []
    assert unstated(vendor, "After hours our PBM, Northwind Rx Services, takes it.") == []
    # Asking how to reach someone by phone is no request for a number.
    assert asked_values("Can we give an urgent care denial by phone under ERISA?") == []


def test_a_sum_in_dollars_asked_for_needs_one_and_a_vendor_may_be_named_by_its_trade() -> None:
    copay = "we approved a tiering exception. what's her actual dollar copay per fill now?"
    assert unstated(copay, "The member pays the cost sharing of the preferred tier.") != []
    assert unstated(copay, "The member pays a $15 copay per fill.") == []
    assert unstated("what is the copay?", "The member pays the preferred tier's copay.") == []
    vendor = "Which specialty pharmacy vendor does the plan route approved drugs to?"
    assert [a.kind for a in asked_values(vendor)] == [ValueKind.NAME]
    damages = "if the report is late, how much are the liquidated damages?"
    assert ValueKind.MONEY in [a.kind for a in asked_values(damages)]
