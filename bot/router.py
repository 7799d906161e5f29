"""The offline router: patterns for ids, codes, dates and lines of business, then intent
exemplars matched with the embedding model for everything the patterns leave open."""

import re
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from typing import Protocol

import numpy as np
import yaml

from bot.schemas import AgentRequest, Intent
from retrieval import codes_in

MEMBER_ID_RE = re.compile(r"\bM\d{7}\b")
CASE_ID_RE = re.compile(r"\bC\d{7}\b")
ISO_DATE_RE = re.compile(r"\b(20\d{2})-(\d{2})-(\d{2})\b")
YEAR_RE = re.compile(r"\b(?:in|during|for|as of|before|prior to|until)\s+(20\d{2})\b", re.I)

LOB_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("medicare_advantage", re.compile(r"\b(medicare advantage|medicare|MAPD|part b)\b", re.I)),
    # "MA" is a line of business only in capitals: "ma" is too common otherwise.
    ("medicare_advantage", re.compile(r"\bMA\b")),
    ("medicaid", re.compile(r"\b(medicaid|managed medicaid|MCO|chip)\b", re.I)),
    ("commercial", re.compile(r"\b(commercial|erisa|ppo|employer|group health)\b", re.I)),
]

HELP_RE = re.compile(r"^\s*(help|\?|what can you do\??|commands)\s*$", re.I)
DRAFT_RE = re.compile(r"\b(draft|write|prepare|generate|compose)\b", re.I)
LETTER_RE = re.compile(r"\b(denial|adverse|determination)\s+(letter|notice)\b|\bletter\b", re.I)
NOTE_RE = re.compile(r"\b(case|review|clinical)\s+(note|summary)\b", re.I)
VERB = r"(approve|deny|authori[sz]e|reject|decline|overturn|uphold|cover)"
# Asking for a decision on a request in hand: always a decision request.
DECISION_ASK_RE = re.compile(
    rf"\bshould (we|i|the plan|they|you) (just )?{VERB}\b"
    r"|\bshould (it|this|that|the request|this request) be "
    r"(approved|denied|covered|authori[sz]ed)\b"
    rf"|\b(can|could|would|will) you (please |just )?({VERB}|decide|sign[- ]?off|rule on|"
    r"confirm (the|this|that|my) (denial|approval))\b"
    # An imperative opening any sentence: "She also has stress incontinence. Approve it or not?"
    rf"|(?:^|[.!?;:]\s+)\W*(please |pls |plz |just |go ahead and |now |so )*({VERB}|decide)\b"
    r"|\bis (this|it|that|the (request|mri|surgery|service|procedure|admission)|C\d{7}) "
    r"(request )?medically necessary\b"
    # "Is the continued inpatient stay medically necessary or can we discharge?" asks it of the
    # case in hand; "is the stay medically necessary if ..." asks a rule.
    r"|\bis (the|her|his|their) (\w+ ){1,3}(still )?medically necessary\b(?![^.?!]*\b(if|when|"
    r"unless|under)\b)"
    r"|\b(can|should|do) (we|i) (just )?issue the (discharge|denial|approval|notice)( \w+)? "
    r"(today|now)\b"
    # A case's money settled: "Should I tell the imaging center to refund her?"
    r"|\bshould (i|we) (tell|ask|have|let) (the [\w-]+( [\w-]+)?|them|her|him) (to )?(refund|"
    r"pay|bill|waive|write off)\b"
    r"|\b(does|do|did) (this|it|that|C\d{7}|the (case|request|member|patient)|this "
    r"(member|patient|request|case)) (meet|qualify|satisfy|fail)\b"
    # "just tell me yes or no"; "how many days do we have to tell her yes or no" is a rule.
    r"|(?<!\bher )(?<!\bhim )(?<!\bthem )(?<!\bmember )(?<!\bprovider )\byes or no\b"
    # "How long do we have to make the call?" asks the plan's deadline, not for a verdict.
    r"|(?<!\bhave to )(?<!\bhas to )(?<!\bneed to )(?<!\bneeds to )(?<!\bgot to )"
    r"\b(make|give|render) (the|a|your) (decision|determination|call)\b"
    r"|(?:^|[.!?;:]\s*)\W*your (call|decision)\b|\byou (decide|make the call)\b"
    r"|\btell me (whether|if) (we|i) (should |can )?(approve|deny|cover|pay|authori[sz]e)\b"
    # "Sign off on C2000001" asks for a decision; "the committee has to sign off on the
    # criteria" says who approves a policy.
    r"|(?:^|[.!?;:]\s+)\W*(please |just )*sign[- ]?off on\b"
    r"|\b(we|i|you|careassist|the assistant) (can |could |should |please |just )?sign[- ]?off "
    r"on\b|\bsign[- ]?off on (this|that|it|the (request|case)|C\d{7})\b"
    r"|\bsign (this|it|that)( one)? off\b"
    r"|\b(approved|denied) or (approved|denied|not)\b"
    # "decide it" asks for a verdict; "how fast does the state have to decide it" a rule.
    r"|(?<!\bto )\bdecide (it|this|that|the case|the request|now)\b"
    r"|\b(ok|okay|good) to (approve|deny|go)\b|\bgreen light\b|\by/n\b"
    r"|\bmed(ical)? nec(essity)? for (this|it|her|him|them)\b"
    r"|\b(does|do|will|would) (this|it|she|he|they) pass\b"
    r"|(?:^|[.!?;:-]\s+)\W*(please |pls |plz |just )*auth (it|this|that|the)\b"
    r"|\b(pls|plz|please) decide\b"
    r"|\b(approve|deny) or (approve|deny|not|nah|no)(\s*\?|\s+(this|that|it|C\d{7})\b)"
    rf"|\bgo ahead and {VERB}\b"
    r"|(?:^|[.!?;:]\s+)\W*(please )?determine\b"
    r"|\b(can|could|should) (it|this|that|the \w+( \w+)?) be "
    r"(approved|denied|covered|authori[sz]ed)\b"
    r"|\b(does|do|did|would|will) (she|he|they|this|it|that) (meet|qualify|satisfy|fail)\b"
    r"|\b(is|are) (the|this|that|my|our) (member|patient|enrollee) (eligible|qualified)\b"
    # A verdict asked for in other words: "Approved?", "your recommendation", "is she a
    # candidate", "would this get approved", "rule on", "issue the denial", "approve or deny".
    r"|(?:^|[.!?;:]\s+)\W*(approved|denied|approve|deny|covered|authori[sz]ed)\s*\?"
    r"|\b(what'?s|what is|give me|i need|i want) your (determination|recommendation|decision|"
    r"verdict|ruling|call|answer)\b"
    r"|\b(is|are) (she|he|they|the member|the patient|this member|this patient) (a |an )?"
    r"(good |suitable )?(candidate|eligible|qualified)\b"
    r"|\b(would|will|does|could|did) (this|it|that|she|he) (get|be) "
    r"(approved|denied|covered|authori[sz]ed)\b"
    r"|(?:^|[.!?;:]\s+)\W*(please |just |now )*(rule on|issue (the|an?) (denial|approval)|"
    r"confirm (the|this) (denial|approval)|mark \S+ (as )?(approved|denied))\b"
    r"|\b(do|should|shall|can|must) (i|we) (approve|deny) or (approve|deny|not)\b"
    r"|\btell me (whether|if)\b[^.?!]*\b(passes|meets|qualifies|medically necessary|approved|"
    r"denied|covered)\b"
    r"|\b(can|may|should) (i|we) tell (the \w+|them|her|him) (that )?(the|this|it|her|his)\b"
    r"[^.?!]{0,40}\b(is|was|'s) (approved|denied)\b"
    r"|\byour (verdict|ruling) on\b|\bthe verdict on\b"
    r"|\b(we|i) (should|want to|plan to|are going to|will) (just )?(approve|deny)\b[^?]*"
    r"\b(agree|right|correct|ok|okay|thoughts|confirm)\s*\?"
    r"|\b(leaning|inclined) (toward|towards|to) (approv|deny|denial)\w*"
    r"|\b(do|shall|should) we (approve|deny|authori[sz]e|cover) (the|this|these|those|her|his)\b",
    re.I,
)
# An outcome asked of the request in hand: a sentence that asks an outcome (approve, deny,
# covered, meets criteria ...) of a request that is there ("this member", "her", a case id)
# and is not framed as a rule ("if", "when", "must", "do we have to", "how long" ...).
OUTCOME_WORD_RE = re.compile(
    r"\b(approve[ds]?|approval|approvable|deniable|deny|denied|authori[sz]ed?|uphold|upheld|"
    r"overturn(ed)?|covered|"
    r"medically necessary|medical necessity|meets? (the )?criteria|qualif(y|ies)|justified|"
    r"candidate)\b",
    re.I,
)
DEIXIS_RE = re.compile(
    r"\b(this|that|my) (member|patient|enrollee|case|request|one|stay|admission|procedure|"
    r"surgery|service|claim|appeal|mri|device|wheelchair)('s)?\b|\b(she|he|her|him)\b"
    r"|\b(it|this)\s*[?.!]|\b(deny|approve|authori[sz]e|sign) (it|this)\b"
    r"|\b(is|are) (she|he|they|it|this|that)( one| request)? (approvable|deniable)\b"
    r"|\b[CM]\d{7}\b",
    re.I,
)
RULE_FRAME_RE = re.compile(
    r"\b(if|when|whenever|after|before|once|unless|until|must|required|requires?|allowed|"
    r"permitted|have to|has to|need to|needs to|obligated|deadline|timeframe|rights?|rules?|"
    r"policy|notice|letter|who|why|how (long|fast|soon|quickly|many|much|do|does|is|are)|"
    r"what (happens|must|does|do|is|are|rights|notice)|(what|which) criteria|any|every|always|ever|"
    r"usually)\b"
    r"|^\s*(can|may|does|do|is|are) (a|an)\b"
    # The grounds asked about: "Can we deny it on the grade alone?", "... as too soon?".
    r"|\b(alone|solely|just because|because|based on|on the (basis|grounds) of|as too (soon|early|"
    r"frequent|often)|on (that|this|what|which) (basis|grounds?)|reviewable)\b"
    # The clock that runs on a kind of case: "does the 3-day hearing clock cover that case too".
    r"|\b(clock|(cases|ones) where)\b"
    # A kind of request, not the one in hand: "can we just deny a member's request to ...".
    r"|\b(deny|refuse|reject|decline) (a|an|any) (\w+'?s? )?request to\b",
    re.I,
)
# Who may decide: "can the UR nurse just deny it herself?", "can our intake nurse still decide it
# as standard?" ask what a role is allowed to do, not for a verdict; the phrase is taken out
# before the text is read for a decision asked of the assistant.
WHO_MAY_RE = re.compile(
    r"\b(can|may|could|does|is) (the|a|an|our|my|that) ([\w-]+ ){0,3}?(nurses?|rns?|reviewers?|"
    r"coordinators?|staff|doctors?|physicians?|mds?|vendors?|delegates?|committee|intake)"
    r"( (just|still|now|also|alone|herself|himself|themselves))* (allowed to |able to )?"
    r"(deny|approve|decide|sign|downgrade|uphold|overturn)\b",
    re.I,
)
# The same asked with a pronoun after the role is named: "Our appeals nurse doesn't think it
# qualifies - can she decide not to expedite?"
WHO_MAY_PRONOUN_RE = re.compile(
    r"\b(nurses?|rns?|reviewers?|coordinators?|doctors?|physicians?|mds?|vendors?|delegates?|"
    r"committee|intake)\b[^.?!]*\b(can|may|could) (she|he|they)( (just|still|now|also|alone))* "
    r"(allowed to |able to )?(deny|approve|decide|decline|refuse|reject|sign|downgrade|uphold|"
    r"overturn)\b",
    re.I,
)
ASKS_RE = re.compile(
    rf"\?\s*$|^\W*(please |just |now )*({VERB}|sign|mark|confirm)\b|\b(please|pls|plz)\b", re.I
)
# A decision verb aimed at something specific ("deny this request", "approve it for C2000001");
# a decision request unless the sentence asks about the rules.
DECISION_VERB_RE = re.compile(
    rf"\b{VERB}\b(?!\w)\s+(this|that|it|these|those|her|his|their|the (request|case|mri|"
    r"surgery|admission|service|procedure|claim))\b|\bC\d{7}\b.*\b(approve|deny|authori[sz]e)\b"
    r"|\b(approve|deny|authori[sz]e)\b.*\bC\d{7}\b",
    re.I,
)
# Questions about the rules of denials, notices and appeals ("who may deny", "what must the
# notice say when we deny", "after we denied her request, what do we owe her").
RULE_QUESTION_RE = re.compile(
    r"^\s*(who|how|when|what|which|where|why|under what|if|after|before|once|for how|in what|"
    r"is there|are there|do we have to|does the plan have to|must|may"
    r"|(can|may|must|does|do|is|are|should) (a|an|the|our|any|we|they|plans?|members?) "
    r"(?!(request|case)\b)\w+)\b"
    r"|\b(when|if|after|once|because) (we|the plan|a plan|an? \w+) (den|approv|authori)\w*\b"
    r"|\b(a|the|any|each|every) (denial|adverse)\b"
    # A question after a topic: "cologuard - what ages ...", "For the blood test, what ...".
    r"|[,;:—–-]\s+(who|how|when|what|which|where|why)\b"
    r"|\bdenials\b|\bdenied (her|his|their|a|the)\b",
    re.I,
)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
HOW_RE = re.compile(r"\b(how (quickly|long|fast|soon|many days)|by when|within how)\b", re.I)
DEADLINE_RE = re.compile(
    r"\b(due|deadline|overdue|time (left|remaining)|how (much|long) .*left|decided by)\b", re.I
)
CRITERIA_RE = re.compile(
    r"\b(criteria|criterion|requirements? for|"
    r"documentation (needed|required)|what do we need for|covered|coverage for)\b",
    re.I,
)
URGENT_RE = re.compile(r"\b(expedited|urgent|rush|72[- ]hour)\b", re.I)
RECEIVED_RE = re.compile(r"\b(received|came in|arrived|submitted|filed)\b", re.I)
FOLLOW_UP_RE = re.compile(
    r"^\s*(and|what about|how about|same (question )?for|and for|what if it'?s|for)\b", re.I
)
ENGLISH_HINTS = frozenset(
    "the a an of for to is are what how when who which can does do in on and or with my our "
    "this that be it we i you up show me".split()
)
# Function words of the other languages staff are likeliest to type; codes and ids are neutral.
FOREIGN_HINTS = frozenset(
    "el la los las del que para una por con tiene cuanto cuánto cómo qué es son se "
    "le les des est pour une dans avec sont quel quelle "
    "der die das und ist für nicht wie ein eine "
    "não uma para os as com".split()
)


class Encoder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Route:
    intent: Intent
    text: str
    member_ids: tuple[str, ...] = ()
    case_ids: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    lob: str | None = None
    as_of: date | None = None
    urgency: str | None = None
    mentions_received: bool = False
    follow_up: bool = False
    non_english: bool = False


def is_decision_request(text: str) -> bool:
    """A request to decide a request in hand, as opposed to a question about the rules."""
    text = WHO_MAY_PRONOUN_RE.sub(" ", WHO_MAY_RE.sub(" ", text))
    if DECISION_ASK_RE.search(text):
        return True
    # Each sentence, as if it stood alone: "An MA member went to an out-of-network ER. Can we
    # deny the claim for no auth?" asks a rule after stating the facts.
    sentences = SENTENCE_END_RE.split(text)
    # Only a sentence that asks counts: "We denied her MRI." states what happened.
    if DEIXIS_RE.search(text) and any(
        OUTCOME_WORD_RE.search(s) and not RULE_FRAME_RE.search(s) and ASKS_RE.search(s)
        for s in sentences
    ):
        return True
    asks_rule = any(RULE_QUESTION_RE.search(s) for s in sentences) or HOW_RE.search(text)
    return bool(DECISION_VERB_RE.search(text)) and (not asks_rule or bool(CASE_ID_RE.search(text)))


def detect_lob(text: str) -> str | None:
    """The first line of business named, or None when none (or several different) are."""
    found = {lob for lob, rx in LOB_PATTERNS if rx.search(text)}
    return found.pop() if len(found) == 1 else None


def detect_as_of(text: str) -> date | None:
    m = ISO_DATE_RE.search(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = YEAR_RE.search(text)
    if m:
        year = int(m.group(1))
        before = re.search(r"before|prior to|until", m.group(0), re.I)
        return date(year - 1, 12, 31) if before else date(year, 6, 30)
    return None


def detect_codes(text: str) -> tuple[str, ...]:
    """CPT/HCPCS and ICD-10 codes, recognised exactly as the criteria tool recognises them."""
    return tuple(codes_in(text))


def looks_non_english(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 3:
        return False
    english = sum(1 for w in words if w in ENGLISH_HINTS)
    foreign = sum(1 for w in words if w in FOREIGN_HINTS)
    return foreign >= 2 and foreign > english


def load_exemplars() -> dict[Intent, list[str]]:
    raw = yaml.safe_load(resources.files("bot").joinpath("data/intents.yaml").read_text())
    if not isinstance(raw, dict):
        raise ValueError("bot/data/intents.yaml must map intents to example lists")
    exemplars: dict[Intent, list[str]] = {}
    for key, examples in raw.items():
        intent = Intent(key)  # an unknown intent name fails loudly here
        if not isinstance(examples, list) or len(examples) < 3:
            raise ValueError(f"intent '{key}' needs a list of at least three examples")
        exemplars[intent] = [str(e) for e in examples]
    return exemplars


class Router:
    """Deterministic: the same text always gets the same route."""

    def __init__(self, encoder: Encoder, min_similarity: float = 0.35) -> None:
        self.encoder = encoder
        self.min_similarity = min_similarity
        exemplars = load_exemplars()
        self._labels = [intent for intent, texts in exemplars.items() for _ in texts]
        self._vectors = encoder.embed([t for texts in exemplars.values() for t in texts])

    def nearest(self, text: str) -> tuple[Intent, float]:
        sims = self._vectors @ self.encoder.embed_query(text)
        best = int(np.argmax(sims))
        return self._labels[best], float(sims[best])

    def route(self, text: str, stated: AgentRequest | None = None) -> Route:
        """The route of `text`; what the request states (intent, ids) is taken as stated."""
        member_id = stated.member_id if stated else None
        case_id = stated.case_id if stated else None
        members = (member_id,) if member_id else tuple(dict.fromkeys(MEMBER_ID_RE.findall(text)))
        cases = (case_id,) if case_id else tuple(dict.fromkeys(CASE_ID_RE.findall(text)))
        base = Route(
            intent=Intent.question,
            text=text,
            member_ids=members,
            case_ids=cases,
            codes=detect_codes(text),
            lob=detect_lob(text),
            as_of=detect_as_of(text),
            urgency="expedited" if URGENT_RE.search(text) else None,
            mentions_received=bool(RECEIVED_RE.search(text)),
            # A caller that states what it wants is not continuing an earlier turn.
            follow_up=not (stated and stated.intent)
            and bool(FOLLOW_UP_RE.match(text))
            and len(text.split()) <= 8,
            non_english=looks_non_english(text),
        )
        intent = stated.intent if stated and stated.intent else self._intent(text, base)
        return replace(base, intent=intent)

    def _intent(self, text: str, r: Route) -> Intent:
        if HELP_RE.match(text):
            return Intent.help
        # "Who may deny ...?" asks about the rules; "deny C2000001" asks for a decision, and so
        # does "go ahead and deny it and draft the letter": the letter waits for a clinician.
        if is_decision_request(text):
            return Intent.decision_request
        if DRAFT_RE.search(text) and LETTER_RE.search(text):
            return Intent.draft_denial_letter
        if DRAFT_RE.search(text) and NOTE_RE.search(text):
            return Intent.draft_case_note
        if r.member_ids:
            return Intent.member_lookup
        if r.case_ids:
            return Intent.deadline if DEADLINE_RE.search(text) else Intent.case_lookup
        if r.mentions_received and DEADLINE_RE.search(text) and ISO_DATE_RE.search(text):
            return Intent.deadline
        if CRITERIA_RE.search(text) or (r.codes and len(text.split()) <= 12):
            return Intent.criteria_lookup
        intent, sim = self.nearest(text)
        if intent is Intent.out_of_scope and sim >= self.min_similarity:
            return Intent.out_of_scope
        if intent in (Intent.help, Intent.criteria_lookup) and sim >= 0.6:
            return intent
        return Intent.question
