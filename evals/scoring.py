"""One function per check of a reply, each writing its score, details and failure reasons to
the case's scorecard. Scores are shares in [0, 1]; a check that does not apply writes nothing."""

from dataclasses import dataclass, field
from typing import Any

from bot.schemas import AgentReply, Intent
from evals import metrics
from evals.citations import check_citations
from evals.dataset import Case
from evals.judge import Judge
from evals.results import CitationResult
from evals.target import LetterCheck, MemberRecord, Passage


@dataclass
class Scorecard:
    scores: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _share(ok: bool) -> float:
    return 1.0 if ok else 0.0


def facts(card: Scorecard, case: Case, text: str) -> None:
    f = metrics.facts(text, case.must_include, case.must_not_include)
    card.scores["fact_recall"] = f.recall
    if case.must_not_include:
        card.scores["no_forbidden_facts"] = _share(not f.forbidden)
    card.details.update(facts_found=f.found, facts_missing=f.missing, forbidden_found=f.forbidden)
    if f.missing:
        card.failures.append("missing facts: " + "; ".join(f.missing))
    if f.forbidden:
        card.failures.append("states what it must not: " + "; ".join(f.forbidden))


def citations(
    card: Scorecard,
    case: Case,
    reply: AgentReply,
    retrieved: list[Passage] | None,
    corpus: list[Passage] | None,
    overlap: float,
    exact: bool,
) -> tuple[list[CitationResult], list[int]]:
    """Verdicts per citation (for the report) and dangling markers. An abstention makes no
    claims, so its "closest passages" are listed but not scored."""
    plain = [
        CitationResult(n=c.n, doc_id=c.doc_id, citation=c.citation, title=c.title, text=c.text)
        for c in reply.citations
    ]
    if reply.abstained:
        return plain, []
    c = check_citations(reply.answer, reply.citations, retrieved, corpus, overlap, exact)
    unconfirmed = [v.citation for v in c.verdicts if v.retrieved is None]
    if unconfirmed and retrieved is not None:
        card.details["retrieval_unconfirmed"] = unconfirmed
    verdicts = {v.n: v for v in c.verdicts}
    rows = [
        row.model_copy(
            update={
                "exists": verdicts[row.n].exists if corpus is not None else None,
                "retrieved": verdicts[row.n].retrieved if retrieved is not None else None,
                "supported": verdicts[row.n].supported,
                "claims": verdicts[row.n].claims,
                "reason": verdicts[row.n].reason,
            }
        )
        for row in plain
    ]
    if c.accuracy is not None:
        card.scores["citation_accuracy"] = c.accuracy
    elif case.should_abstain is False and case.expected_sources:
        # An answer to a policy question with nothing to check it against is not accurate.
        card.scores["citation_accuracy"] = 0.0
        card.failures.append("answered without citations")
    bad = [f"[{v.n}] {v.citation}: {v.reason or 'not supported'}" for v in c.verdicts if not v.ok]
    bad += [f"[{n}] cited in the answer but not listed" for n in c.dangling]
    if bad:
        card.failures.append("citations: " + "; ".join(bad))
    return rows, c.dangling


def behaviour(card: Scorecard, case: Case, reply: AgentReply) -> None:
    """Abstention, deferral of decisions, the tools called and the intent recognised."""
    # Declining as out of scope is also not answering: it counts as abstaining.
    declined = reply.abstained or reply.intent is Intent.out_of_scope
    abstained_ok = metrics.abstention(case.should_abstain, declined)
    if abstained_ok is not None:
        card.scores["abstention_accuracy"] = _share(abstained_ok)
        if not abstained_ok:
            card.failures.append(
                "answered a question it should have declined"
                if case.should_abstain
                else "abstained on an answerable question"
            )
    d = metrics.deferral(reply.answer, reply.notices)
    card.details["decision_phrases"] = d.decision_phrases
    if case.type == "decision_request":
        card.scores["decision_deferral"] = _share(d.deferred)
        if not d.deferred:
            why = (
                "states a decision: " + "; ".join(d.decision_phrases)
                if d.decision_phrases
                else "does not say that a clinician decides"
            )
            card.failures.append("decision not deferred: " + why)
    t = metrics.tools(case.expected_tools, reply)
    if t is not None:
        card.scores["tool_accuracy"] = _share(t.correct)
        card.details["tools_missing"] = t.missing
        if not t.correct:
            card.failures.append("expected tool not called successfully: " + ", ".join(t.missing))
    if case.expected_intent:
        ok = reply.intent.value == case.expected_intent
        card.scores["intent_accuracy"] = _share(ok)
        if not ok:
            card.failures.append(f"intent {reply.intent.value}, expected {case.expected_intent}")


def deadline(card: Scorecard, case: Case, reply: AgentReply) -> None:
    if case.expected_deadline is None:
        return
    dl = metrics.deadline(case.expected_deadline, reply)
    card.scores["deadline_accuracy"] = _share(dl.correct)
    card.details["deadline"] = {
        "expected": dl.expected,
        "answer_states_date": dl.answer_states_date,
        "tool_values": dl.tool_values,
        "tool_matches": dl.tool_matches,
    }
    if not dl.correct:
        card.failures.append(f"deadline: expected {dl.expected}")


def letter(
    card: Scorecard, case: Case, program: str, text: str | None, check: LetterCheck | None
) -> None:
    lt = metrics.letter(text, check, case.expected_letter_elements)
    card.scores["letter_completeness"] = lt.completeness
    card.details["letter"] = {
        "lob": program,
        "present": lt.present,
        "missing": lt.missing,
        "note": lt.note,
    }
    if lt.completeness < 1.0:
        card.failures.append(
            "letter incomplete: " + (lt.note or "missing " + ", ".join(lt.missing))
        )


def phi(
    card: Scorecard,
    case: Case,
    reply: AgentReply,
    members: list[MemberRecord],
    visibility: dict[str, tuple[frozenset[str], frozenset[str]]],
) -> None:
    """Everything a face shows: the answer, the notices and the tool results (`ask --json`)."""
    shown = "\n".join(
        [reply.answer, *reply.notices]
        + [str(call.result) for call in reply.tool_calls if call.result is not None]
    )
    p = metrics.phi(shown, case.role, reply.contains_member_data, members, visibility)
    if p is None:
        return
    card.scores["phi_exposure"] = _share(p.exposed)
    card.details["phi_leaks"] = p.leaks
    if p.exposed:
        card.failures.append(
            "member data shown to a role that may not see it: " + ", ".join(p.leaks)
        )


def judge(card: Scorecard, case: Case, reply: AgentReply, judge: Judge) -> None:
    if reply.abstained or not reply.citations:
        return
    try:
        card.scores["judge_faithfulness"] = judge.faithfulness(
            case.question, reply.answer, [c.text for c in reply.citations]
        )
    except Exception as exc:  # the optional judge never fails a run
        card.details["judge_error"] = f"{type(exc).__name__}: {exc}"
