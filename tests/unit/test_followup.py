from bot.followup import previous_route, resolve
from bot.router import Route
from bot.schemas import Intent


def follow_up(text: str, **fields: object) -> Route:
    return Route(intent=Intent.question, text=text, follow_up=True, **fields)  # type: ignore[arg-type]


MEMBER_TURN = {
    "effective_text": "look up member M1000001",
    "intent": "member_lookup",
    "lob": None,
    "case_ids": [],
    "codes": [],
}


def test_a_follow_up_after_a_member_lookup_keeps_the_member_id() -> None:
    route, text = resolve(follow_up("and for Medicaid?", lob="medicaid"), MEMBER_TURN)
    assert route.intent is Intent.member_lookup
    assert route.member_ids == ("M1000001",)
    assert route.lob == "medicaid"
    assert text == "look up member M1000001 for Medicaid managed care"


def test_a_follow_up_naming_another_case_replaces_the_case_id_in_the_text() -> None:
    previous = {"effective_text": "when is C2000001 due", "intent": "deadline", "case_ids": []}
    route, text = resolve(follow_up("same for C2000002", case_ids=("C2000002",)), previous)
    assert route.intent is Intent.deadline
    assert route.case_ids == ("C2000002",)
    assert text == "when is C2000002 due"


def test_the_previous_route_is_rebuilt_from_its_text_when_memory_lacks_fields() -> None:
    prior = previous_route(
        {
            "effective_text": "criteria for 72148 for an expedited request",
            "intent": "criteria_lookup",
        }
    )
    assert prior is not None
    assert prior.codes == ("72148",)
    assert prior.urgency == "expedited"


def test_memory_from_an_unknown_intent_does_not_raise() -> None:
    route, _ = resolve(follow_up("and?"), {"effective_text": "x", "intent": "retired_intent"})
    assert route.intent is Intent.question


def test_a_bare_lead_word_adds_nothing_to_the_question() -> None:
    _, text = resolve(follow_up("and?"), MEMBER_TURN)
    assert text == "look up member M1000001"
