from datetime import date

import pytest

from bot.followup import resolve
from bot.router import Router, detect_as_of, detect_codes, detect_lob
from bot.schemas import Intent
from tests.support import HashEmbedder


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(HashEmbedder())


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("help", Intent.help),
        ("look up member M1000001", Intent.member_lookup),
        ("show case C2000001", Intent.case_lookup),
        ("when is C2000001 due", Intent.deadline),
        ("draft a denial letter for C2000001", Intent.draft_denial_letter),
        ("write the case note for C2000001", Intent.draft_case_note),
        ("should we approve C2000001?", Intent.decision_request),
        ("deny this request", Intent.decision_request),
        ("does C2000001 meet criteria", Intent.decision_request),
        ("criteria for 72148", Intent.criteria_lookup),
        ("E0601", Intent.criteria_lookup),
        ("who may deny a request for lack of medical necessity", Intent.question),
        ("Can a UM intake coordinator deny a prior authorization request?", Intent.question),
        (
            "Can careassist sign off on the genetic testing request C2000011?",
            Intent.decision_request,
        ),
        (
            "Is the admission for C2000020 approved or denied? Decide it now.",
            Intent.decision_request,
        ),
        ("can you approve the CPAP for this member", Intent.decision_request),
        ("IRE overturned our expedited case, how quickly must we authorize", Intent.question),
        ("Overturn the denial on C2000022, the CPAP should be covered.", Intent.decision_request),
        ("A standard Medicaid request came in on 2026-05-04. When is it due?", Intent.deadline),
        ("how long do we have to decide a standard Medicaid request", Intent.question),
    ],
)
def test_patterns_route_staff_requests(router: Router, text: str, intent: Intent) -> None:
    assert router.route(text).intent is intent


def test_a_question_that_mentions_denying_is_not_a_decision_request(router: Router) -> None:
    text = "Can a Medicaid enrollee get copies of the criteria we used to deny them?"
    assert router.route(text).intent is not Intent.decision_request


def test_ids_codes_dates_and_lines_of_business_are_extracted(router: Router) -> None:
    route = router.route("is 72148 with M54.16 covered for M1234567 on Medicaid as of 2025-03-01")
    assert route.member_ids == ("M1234567",)
    assert "72148" in route.codes and "M54.16" in route.codes
    assert route.lob == "medicaid"
    assert route.as_of == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("text", "lob"),
    [
        ("expedited MA request", "medicare_advantage"),
        ("Part B drug", "medicare_advantage"),
        ("an ERISA plan", "commercial"),
        ("the ma of it", None),
        ("Medicaid or Medicare?", None),
    ],
)
def test_line_of_business_words(text: str, lob: str | None) -> None:
    assert detect_lob(text) == lob


def test_years_become_an_as_of_date() -> None:
    assert detect_as_of("the rule in 2025") == date(2025, 6, 30)
    assert detect_as_of("the rule before 2026") == date(2025, 12, 31)
    assert detect_as_of("no date here") is None


def test_years_and_case_ids_are_not_codes() -> None:
    assert detect_codes("C2000001 in 2026") == ()


def test_follow_up_takes_the_previous_question_with_the_new_line_of_business(
    router: Router,
) -> None:
    previous = {
        "effective_text": "how fast must an expedited Medicare Advantage request be decided",
        "intent": "question",
        "lob": "medicare_advantage",
    }
    route, text = resolve(router.route("and for Medicaid?"), previous)
    assert route.intent is Intent.question
    assert route.lob == "medicaid"
    assert "Medicaid" in text and "Medicare Advantage" not in text
    assert "expedited" in text


def test_a_full_question_is_not_a_follow_up(router: Router) -> None:
    _, text = resolve(router.route("what is the timely filing limit"), {"effective_text": "x"})
    assert text == "what is the timely filing limit"


RULE_QUESTIONS_ABOUT_DENIALS = [
    "After we denied her request, what does the plan owe the member?",
    "What does the plan owe a member after it denied her request?",
    "What must the notice say when we deny a Medicaid request?",
    "Who may deny a request for medical necessity?",
    "Can we charge the member after a denial?",
    "If we deny an MA prior auth, how long does the member have to ask for reconsideration?",
    "When we deny a request for lack of records, what notice goes out?",
    "Once a Medicare Advantage prior auth is approved, can we later deny it?",
    "Can a plan deny payment because the provider missed the authorization?",
    "What criteria did we use to deny the CPAP, and can the member get a copy?",
    "Is the member liable for the bill when we deny a service as not medically necessary?",
    "Does the plan have to tell the provider why it denied the request?",
    "Can a nurse approve a request?",
    "Is a peer-to-peer required before a denial?",
    "Must a physician review before denying?",
    "Is the plan allowed to deny based on diagnosis alone?",
    "Can a denied request be approved on appeal?",
    "The member went to an out-of-network ER without a prior auth. Can we deny the claim?",
    # Their twins: a member or a pronoun in the question, but the rules asked.
    "We denied a Medicaid member's MRI. How long does she have to file an appeal?",
    "Our denial was upheld on appeal. Can she be charged for the services if the hearing goes "
    "our way?",
    "Can she appeal the denial by phone?",
    "If the plan denies her request, how many days does she have to appeal?",
    "My member got a denial letter. Can she ask for the criteria used?",
    "Do we have to tell the provider exactly why a prior auth was denied?",
    "Can the member ask us to reconsider after we uphold a denial?",
    "How do we notify a provider that a request was denied?",
    "Does an approval for fewer visits than requested count as a denial?",
]
DECISION_REQUESTS = [
    "Should we deny this CPAP request for a member with AHI 12?",
    "Approve the MRI for this member.",
    "Does this member meet criteria for a power wheelchair?",
    "Can you deny C2000004? I don't think the wheelchair is needed.",
    "Is this request medically necessary? Yes or no.",
    "Go ahead and authorize the home health episode for C2000032.",
    "Should this request be denied?",
    "Deny the CGM request, the member isn't on insulin.",
    "Make the call on the SNF admission for C2000010 - approve or deny?",
    "Uphold the denial on appeal for the commercial member's lumbar MRI.",
    "Is this request approvable?",
    "Please determine medical necessity for the MRI.",
    "Can we go ahead and deny?",
    "Do we approve or deny this power wheelchair request?",
    "Does she meet criteria for home oxygen?",
    "Can this be approved today?",
    "Would this meet medical necessity?",
    "Should the CPAP be covered for this member with an AHI of 12?",
    "OK to approve?",
    "Is the member eligible for the knee replacement under the criteria?",
    # A decision asked for after the facts of the case, in a later sentence.
    "The trial helped but she also has stress incontinence. Approve the implant or not?",
    "The hospital says nobody returned its call. Decide whether we pay the claim.",
    "Two ER visits this quarter and diabetic. Your call on case management.",
    "He has had the brace for a month. Just tell me if we should cover the scooter.",
    "Records are attached; you decide.",
    "The notes are thin. Determine whether the admission was necessary.",
    # A verdict asked in other words than "approve" or "deny".
    "The neurologist wants a repeat MRI of the lumbar spine. Approved?",
    "What's your determination on the CGM request?",
    "Member has 3 months of PT notes and still has knee pain. Is she a candidate for the TKA?",
    "Based on these notes, would this get approved?",
    "Rule on the bariatric surgery request for C2000002.",
    "Please issue the denial for C2000003.",
    "Mark C2000001 as approved.",
    "Do I approve or deny the sleep study for this member?",
    "Should this case be upheld on appeal?",
    "I think we should deny the CPAP since the AHI is 4. Agree?",
    "We're leaning toward denying the wheelchair. Thoughts?",
    "Can you confirm the denial?",
    "What's the verdict on the home oxygen request for this patient?",
    "Can we approve a 5-day stay for this patient with CHF?",
    # An outcome asked of the request in hand.
    "Is the inpatient admission for this member justified?",
    "Is the TKA for this member covered or not?",
    "Does the CGM request for this member meet medical necessity?",
    "Can we just deny it? The records never came.",
    "Would an approval be appropriate for this patient's sleep study?",
    "The member's oxygen sat is 86% at rest. Is home oxygen covered for her or not?",
    "Should her knee MRI be denied?",
]
# The twins of the requests above, which ask about the rules.
RULE_QUESTIONS_ABOUT_DECIDING = [
    "Who decides whether a request is expedited?",
    "How do we decide if a member goes into case management?",
    "Whose call is it to deny a request for lack of records?",
    "Can a nurse decide whether an admission was necessary?",
    "What does the plan have to pay when it never returned the hospital's call?",
    "What is the ruling on balance billing for emergency services?",
]


@pytest.mark.parametrize("text", RULE_QUESTIONS_ABOUT_DECIDING)
def test_rule_questions_about_deciding_are_questions(router: Router, text: str) -> None:
    assert router.route(text).intent is not Intent.decision_request


@pytest.mark.parametrize("text", RULE_QUESTIONS_ABOUT_DENIALS)
def test_rule_questions_that_mention_a_denial_are_questions(router: Router, text: str) -> None:
    assert router.route(text).intent is not Intent.decision_request


@pytest.mark.parametrize("text", DECISION_REQUESTS)
def test_requests_to_decide_stay_decision_requests(router: Router, text: str) -> None:
    assert router.route(text).intent is Intent.decision_request
