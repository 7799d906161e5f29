"""The offline engine: deterministic routing, typed tool calls and the extractive composer."""

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from bot import toolset
from bot.answerkind import describe
from bot.composer import ABSTAIN_TEXT, Composed, Composer, list_text, trim, units_of
from bot.draftrequest import plan_letter
from bot.guardrails import DEFERRAL_NOTICE
from bot.router import ISO_DATE_RE
from bot.schemas import AgentReply, Citation, Intent
from bot.turn import Turn, citation_of, closest_passages
from retrieval import Filters, Hit, Searcher
from tools.errors import NotFound, PermissionDenied, ToolError

HELP_TEXT = (
    "I answer questions about the plan's UM policies, medical policy criteria, provider "
    "contracts and regulations, with citations you can check; look up members and cases "
    "(if your role allows); compute decision deadlines; and draft case notes and denial "
    'letters for clinician review. Examples: "how fast must an expedited Medicare Advantage '
    'prior authorization be decided", "criteria for 72148", "member M1000001", '
    '"when is C2000001 due", "draft a denial letter for C2000001". I never approve or deny '
    "requests: determinations belong to clinicians."
)
OUT_OF_SCOPE_TEXT = (
    "That is outside what I can help with. I answer questions about UM policies, criteria, "
    "contracts, regulations, members, cases, deadlines and drafts."
)
NON_ENGLISH_TEXT = (
    "I can only answer questions asked in English for now. Please ask again in English."
)
PART_B_RE = re.compile(r"\bpart b\b", re.I)
POST_RE = re.compile(r"\b(post[- ]service|retro(spective)?|already (provided|rendered))\b", re.I)
CONCURRENT_RE = re.compile(r"\b(concurrent|continued stay)\b", re.I)
# Sections of a medical policy that list what the chart must show, and its criteria.
DOCUMENTATION_RE = re.compile(r"documentation", re.I)
CRITERIA_HEADING_RE = re.compile(r"criteria|indications|medically necessary", re.I)
EXCLUSION_RE = re.compile(
    r"not medically necessary|exclusion|investigational|non-?covered|not covered", re.I
)
# A subsection that describes rather than lists ("A. General" under "Indications and
# Limitations of Coverage"): its parent's heading does not make it criteria.
GENERAL_HEADING_RE = re.compile(
    r"\b(general|overview|background|description|purpose|scope|definitions?|other)\s*$", re.I
)


class OfflineEngine:
    name = "offline"

    def __init__(self, searcher: Searcher, composer: Composer) -> None:
        self.searcher = searcher
        self.composer = composer
        self.handlers: dict[Intent, Callable[[Turn], AgentReply]] = {
            Intent.help: self.help,
            Intent.out_of_scope: self.out_of_scope,
            Intent.question: self.question,
            Intent.criteria_lookup: self.criteria,
            Intent.member_lookup: self.member,
            Intent.case_lookup: self.case,
            Intent.deadline: self.deadline,
            Intent.decision_request: self.decision,
            Intent.draft_case_note: self.draft_case_note,
            Intent.draft_denial_letter: self.draft_denial_letter,
        }

    def respond(self, turn: Turn) -> AgentReply:
        if turn.route.non_english:
            return self._reply(turn, NON_ENGLISH_TEXT, abstained=True)
        try:
            return self.handlers[turn.route.intent](turn)
        except PermissionDenied as exc:
            return self._reply(turn, f"I can't show that to your role: {exc}")
        except NotFound as exc:
            return self._reply(turn, f"I could not find that: {exc}.")
        except ToolError as exc:
            return self._reply(turn, f"I could not complete that: {exc}")

    def _reply(self, turn: Turn, answer: str, **kwargs: Any) -> AgentReply:
        return AgentReply(
            answer=answer,
            intent=turn.route.intent,
            tool_calls=turn.runner.calls,
            thread_id=turn.request.thread_id,
            **kwargs,
        )

    def help(self, turn: Turn) -> AgentReply:
        return self._reply(turn, HELP_TEXT)

    def out_of_scope(self, turn: Turn) -> AgentReply:
        return self._reply(turn, OUT_OF_SCOPE_TEXT, abstained=True)

    def grounded(
        self, turn: Turn, question: str, hits: list[Hit], prefix: str = "", **kwargs: Any
    ) -> AgentReply:
        return self.answer(turn, hits, self.composer.compose(question, hits), prefix, **kwargs)

    def answer(
        self, turn: Turn, hits: list[Hit], composed: Composed, prefix: str = "", **kwargs: Any
    ) -> AgentReply:
        """The reply for a composed answer: its pinpoint citations and notices, or the closest
        passages when it abstained."""
        if composed.abstained:
            footer, citations = closest_passages(hits)
            # Why, when the closest passages name the subject but not the figure asked for.
            why = (
                f" The closest passages give {describe(composed.unstated[0])}."
                if composed.unstated and citations
                else ""
            )
            return self._reply(
                turn, ABSTAIN_TEXT + why + footer, abstained=True, citations=citations, **kwargs
            )
        citations = [citation_of(n, c.hit, c.citation) for n, c in enumerate(composed.cited, 1)]
        notices = list(kwargs.pop("notices", []))
        if any("Verification note" in c.text for c in citations):
            notices.append(
                "A cited passage rests on a fact not yet verified against the primary "
                "regulatory text; see its verification note."
            )
        notices.extend(version_notices([c.hit for c in composed.cited]))
        return self._reply(
            turn, prefix + composed.text, citations=citations, notices=notices, **kwargs
        )

    def question(self, turn: Turn) -> AgentReply:
        hits = self.searcher.search(turn.text, k=6, filters=turn.filters())
        turn.runner.record_search(turn.text, hits)
        return self.grounded(turn, turn.text, hits)

    def _criteria_hits(self, turn: Turn, service: str) -> list[Hit]:
        result = turn.runner.call(
            "find_criteria",
            toolset.find_criteria,
            {
                "service_or_code": service,
                "line_of_business": turn.route.lob or turn.request.filters.lob,
                "as_of": (turn.route.as_of or turn.request.filters.as_of or turn.today).isoformat(),
            },
        )
        # The sections are the retrieved passages themselves: nothing re-made, nothing invented.
        return list(result.sections)

    def criteria(self, turn: Turn) -> AgentReply:
        # "What AHI does Medicare require for CPAP?", "do emergency services need prior auth?"
        # ask one thing, which any document may answer (a contract, a UM policy): answered like
        # any question, not from the medical policies alone (and without searching them first).
        if not turn.route.codes and not names_only_a_service(turn.text):
            return self.question(turn)
        service = " ".join(turn.route.codes) if turn.route.codes else turn.text
        hits = self._criteria_hits(turn, service)
        notice = "Criteria support clinician review; the determination belongs to a clinician."
        # A code a policy lists is proof enough that it applies; words need the composer's
        # support test, so that "cochlear implant" does not get the defibrillator policy.
        # "criteria" also appears in questions about notices and appeals: when no medical
        # policy supports the answer, answer from every document instead.
        if not turn.route.codes:
            composed = self.composer.compose(turn.text, hits) if hits else None
            if composed is None or composed.abstained:
                return self.question(turn)
        if not hits:
            return self._reply(
                turn,
                f"{ABSTAIN_TEXT} No indexed medical policy in force lists {service}.",
                abstained=True,
                notices=[notice],
            )
        text, citations = criteria_answer(hits, turn.text)
        return self._reply(turn, text, citations=citations, notices=[notice])

    def member(self, turn: Turn) -> AgentReply:
        if not turn.route.member_ids:
            return self._reply(turn, 'Name the member to look up, e.g. "member M1000001".')
        member_id = turn.route.member_ids[0]
        record = turn.runner.call("lookup_member", toolset.lookup_member, {"member_id": member_id})
        text = toolset.describe_member(record)
        asked, enrolled = turn.route.lob, record.line_of_business
        if asked and enrolled and enrolled.value != asked:
            # "and for Medicaid?" after a lookup: say what the member's plan is, not guess.
            text += (
                f" {member_id} is enrolled in {enrolled.value.replace('_', ' ')}, "
                f"not {asked.replace('_', ' ')}."
            )
        return self._reply(turn, text, contains_member_data=True)

    def case(self, turn: Turn) -> AgentReply:
        if not turn.route.case_ids:
            listing = turn.runner.call(
                "list_cases", toolset.list_cases, {"assignee": turn.principal.user_id}
            )
            return self._reply(turn, toolset.describe_case_list(listing), contains_member_data=True)
        record = turn.runner.call("get_case", toolset.get_case, {"case_id": turn.route.case_ids[0]})
        return self._reply(turn, toolset.describe_case(record), contains_member_data=True)

    def deadline(self, turn: Turn) -> AgentReply:
        now = turn.runner.ctx.now()  # the injected clock, never the wall clock
        args: dict[str, Any] | None
        if turn.route.case_ids:
            case = turn.runner.call(
                "get_case", toolset.get_case, {"case_id": turn.route.case_ids[0]}
            )
            args = toolset.deadline_args_from_case(case, now)
        else:
            args = self._deadline_args_from_text(turn, now)
            if args is None:
                return self.question(turn)
        result = turn.runner.call(
            "compute_decision_deadline", toolset.compute_decision_deadline, args
        )
        policy = self._policy_passage(
            turn, result.rule.plan_policy, result.rule.text, result.received_at.date()
        )
        text = toolset.describe_deadline(result, turn.route.case_ids[:1])
        citations: list[Citation] = []
        if policy is not None:
            text += " [1]"
            citations = [citation_of(1, policy)]
        return self._reply(
            turn, text, citations=citations, contains_member_data=bool(turn.route.case_ids)
        )

    def _policy_passage(
        self, turn: Turn, plan_policy: str, rule_text: str, day: date
    ) -> Hit | None:
        """The plan-policy section a deadline rule names ("UM-104 §3.5, §4.2"), as retrieved."""
        m = re.match(r"\s*([A-Z]+-\d+)\s*§\s*([\d.]+)", plan_policy)
        if not m:
            return None
        doc_id, section = m.group(1), m.group(2).rstrip(".")
        hits = self.searcher.search(rule_text, k=20, filters=Filters(doc_ids=(doc_id,), as_of=day))
        turn.runner.record_search(rule_text, hits)
        return next((h for h in hits if h.section == section), None)

    def _deadline_args_from_text(self, turn: Turn, now: datetime) -> dict[str, Any] | None:
        m = ISO_DATE_RE.search(turn.text)
        if not m or not turn.route.lob:
            return None
        day = datetime.fromisoformat(m.group(0)).date()
        tz = turn.runner.ctx.zone
        received = datetime.combine(day, time(9, 0), tzinfo=tz)
        request_type = "pre_service"
        if PART_B_RE.search(turn.text):
            request_type = "part_b_drug"
        elif POST_RE.search(turn.text):
            request_type = "post_service"
        elif CONCURRENT_RE.search(turn.text):
            request_type = "concurrent"
        return {
            "line_of_business": turn.route.lob,
            "request_type": request_type,
            "urgency": turn.route.urgency or "standard",
            "received_at": received.isoformat(),
            "extension_taken": False,
            "now": now.isoformat(),
        }

    def decision(self, turn: Turn) -> AgentReply:
        """Never decide: give the criteria, the evidence on file and what is missing."""
        parts = ["I can't approve, deny or decide medical necessity."]
        service = turn.text
        evidence = ""
        case_data = False
        if turn.route.case_ids:
            try:
                case = turn.runner.call(
                    "get_case", toolset.get_case, {"case_id": turn.route.case_ids[0]}
                )
            except (NotFound, PermissionDenied) as exc:
                parts.append(f"I could not read case {turn.route.case_ids[0]}: {exc}.")
            else:
                case_data = True
                service = " ".join(case.service_codes or []) or service
                evidence = toolset.describe_evidence(case)
        elif turn.route.codes:
            service = " ".join(turn.route.codes)
        hits = self._criteria_hits(turn, service)
        citations: list[Citation] = []
        if hits:
            text, citations = criteria_answer(hits)
            parts.append(text)
        else:
            parts.append("I found no medical policy criteria for this service in the index.")
        if evidence:
            parts.append(evidence)
        if hits:
            parts.append(
                "Compare the record with each criterion and the documentation the policy "
                "requires before a clinician decides."
            )
        return self._reply(
            turn,
            " ".join(parts),
            citations=citations,
            notices=[DEFERRAL_NOTICE],
            contains_member_data=case_data,
        )

    def draft_case_note(self, turn: Turn) -> AgentReply:
        return self._draft(turn, "case_note")

    def draft_denial_letter(self, turn: Turn) -> AgentReply:
        return self._draft(turn, "denial_letter")

    def _draft(self, turn: Turn, kind: str) -> AgentReply:
        if not turn.route.case_ids:
            return self._reply(
                turn, 'Name the case to draft for, e.g. "draft a denial letter for C2000001".'
            )
        case_id = turn.route.case_ids[0]
        case = turn.runner.call("get_case", toolset.get_case, {"case_id": case_id})
        service = " ".join(case.service_codes or []) or turn.text
        hits = self._criteria_hits(turn, service)
        note = ""
        if kind == "denial_letter":
            # Cite the sections whose text supports the stated reason, not the top hits.
            plan = plan_letter(turn.text, case_id, hits)
            criteria, note = plan.criteria, plan.note
            draft = turn.runner.call("draft_denial_letter", toolset.draft_denial_letter, plan.args)
        else:
            criteria = hits[:3]
            draft = toolset.create_draft(turn, kind, case_id, criteria)
        cited = "; ".join(f"{h.citation} [{n}]" for n, h in enumerate(criteria, 1))
        text = toolset.describe_draft(draft) + (f" Criteria cited: {cited}." if cited else "")
        text += f" {note}" if note else ""
        return self._reply(
            turn,
            text,
            citations=[citation_of(n, h) for n, h in enumerate(criteria, 1)],
            draft_id=draft.draft_id,
            notices=["Draft only: it requires clinician review and signature; nothing was sent."],
            contains_member_data=True,
        )


CRITERIA_WORDS = frozenset(
    "criteria criterion requirement requirements coverage covered cover medical necessity "
    "medically necessary policy indications guidelines list documentation needed required "
    "what are is the for of a an do we need must be met meet".split()
)
CRITERIA_NOUN_RE = re.compile(r"\b(criteria|criterion|requirements|indications|guidelines)\b", re.I)


def names_only_a_service(text: str) -> bool:
    """ "criteria for knee replacement", "what criteria must be met for CPAP for sleep apnea":
    the whole set of criteria for a service, as opposed to one thing asked of them."""
    if not CRITERIA_NOUN_RE.search(text):
        return False
    words = re.findall(r"[a-z0-9]+", text.lower())
    return len([w for w in words if w not in CRITERIA_WORDS]) <= 6


def version_notices(hits: list[Hit]) -> list[str]:
    """A cited document's own warning that it is not the current version, once per document."""
    seen: dict[str, str] = {}
    for h in hits:
        if h.version_warning and h.doc_id not in seen:
            seen[h.doc_id] = f"{h.citation}: {h.version_warning}"
    return list(seen.values())


def lead(hit: Hit) -> str:
    """A section's opening unit, with every item of the list it opens (or how many more)."""
    units = units_of(hit)
    first = units[0]
    items = [u for u in units if u.parent == first.index]
    if items:
        return list_text(first, items, first.citation)
    return trim(first.text, [])


def section_key(hit: Hit) -> tuple[int, ...]:
    return tuple(int(p) for p in hit.section.split(".") if p.isdigit()) or (99,)


def lists_criteria(hit: Hit) -> bool:
    """A section of criteria (or covered indications), not of exclusions or background."""
    path = " ".join(hit.heading_path)
    own = hit.heading_path[-1] if hit.heading_path else ""
    return (
        bool(CRITERIA_HEADING_RE.search(path))
        and not EXCLUSION_RE.search(path)
        and not GENERAL_HEADING_RE.search(own)
    )


def criteria_answer(
    hits: list[Hit], question: str = "", max_sections: int = 3
) -> tuple[str, list[Citation]]:
    """Name the policy, then its criteria sections in order, cited; then documentation."""
    doc_id = hits[0].doc_id
    same = sorted((h for h in hits if h.doc_id == doc_id), key=section_key)
    documentation = [h for h in same if DOCUMENTATION_RE.search(" ".join(h.heading_path))]
    criteria = [h for h in same if lists_criteria(h)]
    if DOCUMENTATION_RE.search(question) and documentation:
        chosen = documentation[:1] + criteria[:1]
    else:
        chosen = (criteria or same)[:max_sections] + documentation[:1]
    citations = [citation_of(n, h) for n, h in enumerate(chosen, 1)]
    lines = [f"{hits[0].title} ({doc_id}) applies."]
    for n, h in enumerate(chosen, 1):
        heading = re.sub(r"^\d+(\.\d+)*\.?\s*", "", h.heading_path[-1]) if h.heading_path else ""
        lines.append(f"{heading}: {lead(h)} [{n}]")
    return " ".join(lines), citations
