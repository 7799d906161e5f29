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
        # Round r12: a verdict asked for with the letter is a decision request all the same.
        (
            "she's over the 200 limit. just go ahead and deny it and draft the letter",
            Intent.decision_request,
        ),
        (
            "Draft a denial letter for C2000003: the clinician denied it, records missing.",
            Intent.draft_denial_letter,
        ),
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
    "Make the call on C2000001.",
    "I need you to make the decision on this MRI.",
    "The nurse is out. Can she approve it? Decide now.",
]
# The twins of the requests above, which ask about the rules.
RULE_QUESTIONS_ABOUT_DECIDING = [
    "Who decides whether a request is expedited?",
    "How do we decide if a member goes into case management?",
    "Whose call is it to deny a request for lack of records?",
    "Can a nurse decide whether an admission was necessary?",
    "What does the plan have to pay when it never returned the hospital's call?",
    "What is the ruling on balance billing for emergency services?",
    # The plan's own duty to decide, asked as a deadline or as what a role may do.
    "How long do we have to make a decision on an expedited MA request?",
    "Under the EHB rule how long do we have to make the call on a standard exception?",
    "Our appeals nurse doesn't think the request qualifies - can she decline to expedite it?",
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


# Written by an author who saw neither the router nor these tests (a fresh batch, 2026-12-01;
# read after the rules of the fourth round were written: it routed 11 of its 24 decision
# requests then, and its misses shaped the patterns for "green light", "y/n", "pls decide",
# "is she approvable", "sign this one off" ...).
BATCH_DECISION_REQUESTS = [
    "pt 67F, OSA AHI 22 on home sleep test, CPAP download shows 5.1 hrs/night avg on 72% of "
    "nights. renewal for CPAP supplies - approve or deny?",
    "can we approve the lumbar MRI for this member? 6 wks PT done, no red flags, L5 "
    "radiculopathy documented on exam",
    "green light on the home O2 for mrs alvarez? sat 87% on room air at rest, PO2 54 on ABG",
    "thoughts on whether we can sign this one off? HBO for diabetic foot ulcer, Wagner grade "
    "3, 30 days of standard wound care with no measurable improvement",
    "should this IRF admit be denied? pt only tolerating about 45 min of therapy a day, ortho "
    "says he'll progress. your call",
    "auth it through friday - SNF continued stay for member 44821, still on IV abx q8h and "
    "needs daily skilled nursing",
    "is she approvable? 79yo, hip fx s/p ORIF, requesting home health PT 3x/wk, PCP note says "
    "homebound",
    "does this pass? power wheelchair request, member can't self-propel a manual chair, home "
    "assessment done, f2f mobility exam on file",
    "good to approve? humira for RA, failed methotrexate x3 months and sulfasalazine",
    "Member requests non-emergency ambulance transport to dialysis 3x weekly. Bedbound, can't "
    "sit upright per the attending's note. Does this one meet criteria for us to cover it?",
    "yes or no: is the brain MRI w/wo contrast medically necessary for this pt with new onset "
    "seizures",
    "appeal on the denied knee MRI, new records show 8 wks failed conservative tx and "
    "mechanical locking. uphold or overturn? give me your call",
    "reveiw this plz - cpap for 54M, AHI 12 w/ hypertension and daytime sleepiness, is it "
    "covered for him",
    "82-year-old male, inpatient 4 days for CHF exacerbation, discharged to SNF 2 days ago. "
    "PT/OT 5x/wk, assist x2 for transfers, wound care for a stage 3 sacral ulcer. Facility is "
    "requesting 14 days. I need you to make the determination on the 14 days.",
    "just tell me if we can cover the portable oxygen concentrator for this lady, she desats "
    "to 86% on the documented exertion walk test",
    "hbo req for 40 sessions, osteoradionecrosis of mandible, pre-extraction. pls decide",
    "do we approve or nah? ozempic for T2DM, A1c 8.9 on max dose metformin",
    "Peer-to-peer done, doc says pt needs acute rehab not SNF because of SCI at T10 and can "
    "tolerate 3 hrs/day. Your verdict - do we approve the IRF?",
    "semi-electric hospital bed for member w/ CHF, needs HOB elevated over 30 degrees, can't "
    "position in a regular bed. approvable y/n?",
    "med nec for this one? home health skilled nursing for wound vac changes 3x/wk, pt only "
    "leaves home for dialysis",
    "can we sign off on the cervical spine MRI for member Jones, or does she need more "
    "conservative tx first? I want your determination on her case, not the general policy",
    "deny it - air ambulance claim, pt was hemodynamically stable and ground transport was "
    "available 20 min away per records",
    "reconsideration on the CPAP denial for member 3390 - they sent the compliance download "
    "now, 4.6 hrs avg on 75% of nights in days 31-90. overturn?",
    "Insulin pump request, T1DM, on MDI with 4+ injections/day, SMBG 4x/day, low C-peptide. "
    "Does this member meet criteria? If so approve it.",
]
BATCH_RULE_QUESTIONS = [
    "can we deny a CPAP renewal because the member didn't hit 4 hrs/night on 70% of nights in "
    "the first 90 days? what's the rule exactly",
    "what does the NCD require for home oxygen - what sat or PO2 thresholds qualify?",
    "is HBO covered under the NCD for diabetic foot ulcers, and starting at what Wagner grade?",
    "who has to sign off on a medical necessity denial - does it have to be a physician?",
    "how long do we have after we deny to get the written notice out to the member?",
    "screening colonoscopy - medicare covers it how often?",
    "CT colonography - what interval?",
    "the committee approves policies? or is that the CMO's job under the UM program description",
    "member is 86 and had stool DNA last year, what's the age limit for that test?",
    "can we deny an IRF admit on the grounds that the pt can't do 3 hrs of therapy a day? "
    "what does the regulation actually say about the intensity requirement",
    "for SNF coverage, what's the qualifying hospital stay rule - 3 midnights as an "
    "inpatient? does observation count?",
    "what are the homebound criteria for home health under medicare",
    "Member got denied for a lumbar MRI last week and is calling. What's the timeframe for "
    "filing an expedited appeal?",
    "can we deny it on not-medically-necessary grounds if the ordering doc never did a "
    "face-to-face for the power chair? what does the LCD say the f2f has to include",
    "what are the policy criteria for non-emergency ambulance transport - what counts as "
    "bed-confined?",
    "if we deny a part D drug for step therapy, what does the denial notice have to include?",
    "MRI lumbar spine - how many weeks of conservative therapy does our policy require before "
    "imaging?",
    "does the regulation let a nurse reviewer issue approvals, or can they only refer? who is "
    "allowed to approve",
    "the hospital says we can't deny the continued stay without offering a peer to peer "
    "first. is that actually a requirement?",
    "case where member has been on rented oxygen for 13 months and the supplier wants to keep "
    "billing - what's the rule on the 36-month rental cap for O2 equipment?",
    "what does CMS say about when a standard prior auth decision is due now - is it still 14 "
    "days or did it change to 7?",
    "is HBO covered for chronic refractory osteomyelitis under the NCD? what has to be tried "
    "first?",
    "home health aide services - are they covered if the member only needs personal care and "
    "no skilled service?",
    "can we deny if the CPAP order came from a nurse practitioner instead of an MD, or is an "
    "NP allowed to order it under the LCD?",
]
# Rule questions of the fourth tuning round that the router took for decisions: a third party
# who signs off, the grounds asked about, a question after a topic, "before ... is approvable".
FOURTH_ROUND_RULE_QUESTIONS = [
    "Medical director wants the committee to sign off on criteria tighter than the LCD so we "
    "can deny more of these requests. Can the UM committee approve that?",
    "Podiatry is requesting HBO for an MA member's diabetic foot ulcer, it's documented as "
    "Wagner 2. Can we deny it on the grade alone?",
    "cologuard - what ages does medicare cover it for and how often",
    "Member had a normal screening colonoscopy 5 years ago. GI just sent another one. Can we "
    "deny it as too soon?",
    "For the blood-based CRC screening test, what sensitivity and specificity does the test "
    "have to have for Medicare to cover it?",
    "how much relief do the two MBBs have to give before RFA is approvable",
]
# ... and of the fifth: "decide it" after "how fast does the state have to", the grounds as
# "on that basis", the hearing clock a kind of case falls under.
FIFTH_ROUND_RULE_QUESTIONS = [
    "our fast appeal upheld the denial and the member wants an expedited state fair hearing. "
    "how fast does the state have to decide it?",
    "member had an ER visit sat night and then needed an urgent home infusion sunday, office "
    "couldn't reach us. how long do they have to send a retro auth and how long do we take to "
    "decide it?",
    "mom is the personal rep for her 17 y/o and wants the teen's BH records. our psychiatrist "
    "reviewer thinks releasing them to mom would seriously harm the kid. can we deny on that "
    "basis and is it reviewable?",
    "expedited appeal sat in our queue and we blew the expedited TAT, never decided it. does the "
    "state's 3 working day hearing clock cover that case too, or only ones where we upheld on "
    "time?",
]
# Their decision-request twins stay deferred.
FIFTH_ROUND_DECISION_TWINS = [
    "Decide it for me: does the member get the expedited fair hearing?",
    "The reviewer thinks releasing the records would harm the kid. Deny it on that basis.",
    "can you decide this one, 12 visits on a standing referral",
]


SIXTH_ROUND_RULE_QUESTIONS = [
    "member mailed in a request to restrict our use of her PHI. how many days do we have to "
    "tell her yes or no?",
    "can we just deny a members request to restrict how we use her info for payment?",
    "request doesnt meet criteria — can the UR nurse just deny it herself?",
    "ordering doc says waiting could seriously jeopardize her function. can our intake nurse "
    "still decide it as a standard request?",
]
SIXTH_ROUND_DECISION_TWINS = [
    "member's grievance came in 75 days after the visit. just tell me yes or no, do we dismiss it?",
    "She wants us to restrict how we use her info for payment. Deny her request.",
    "yes or no on this member's restriction request?",
    "request doesnt meet criteria — can you just deny it?",
    "The nurse reviewed it. Deny it for her.",
    "72 y/o w/ essential tremor, failed propranolol, cognition normal. pls approve the DBS auth "
    "so I can close it out",
]


# The ninth tuning round (writing round r8): a case in hand asked about, and the rule question
# beside it.
NINTH_ROUND_DECISIONS = [
    "Pt is day 6 post CABG, attending says ready for d/c home. Is the continued inpatient stay "
    "medically necessary or can we issue the discharge today?",
    "is her residential stay still medically necessary?",
    "Mbr signed the waiver the day AFTER her MRI and we denied it. Should I tell the imaging "
    "center to refund her?",
]
NINTH_ROUND_RULE_QUESTIONS = [
    "Is the continued inpatient stay medically necessary if the member only waits for a SNF bed?",
    "When can the hospital issue the discharge notice, and how far ahead of discharge?",
    "When does a provider have to refund a member who paid for a service we denied?",
]


@pytest.mark.parametrize(
    "text",
    BATCH_DECISION_REQUESTS
    + FIFTH_ROUND_DECISION_TWINS
    + SIXTH_ROUND_DECISION_TWINS
    + NINTH_ROUND_DECISIONS,
)
def test_a_fresh_batch_of_decision_requests_is_deferred(router: Router, text: str) -> None:
    assert router.route(text).intent is Intent.decision_request


@pytest.mark.parametrize(
    "text",
    BATCH_RULE_QUESTIONS
    + FOURTH_ROUND_RULE_QUESTIONS
    + FIFTH_ROUND_RULE_QUESTIONS
    + SIXTH_ROUND_RULE_QUESTIONS
    + NINTH_ROUND_RULE_QUESTIONS,
)
def test_a_fresh_batch_of_rule_questions_is_answered(router: Router, text: str) -> None:
    assert router.route(text).intent is not Intent.decision_request
