"""The offline engine end to end: real model, real index of the shipped corpus, seeded store."""

import uuid
from datetime import date

import pytest
import sqlalchemy as sa
import yaml

from bot.errors import MessageRejected, MessageTooLong, UnknownRole
from bot.guardrails import DEFERRAL_NOTICE, sentences_of, states_decision
from bot.runtime import Runtime
from bot.schemas import AgentReply, AgentRequest, Intent
from retrieval.documents import LineOfBusiness
from retrieval.filters import Filters
from retrieval.index import IndexStore
from tests.conftest import NOW, REPO
from tools.models import AuditRecord, Case

pytestmark = pytest.mark.slow


def ask(
    rt: Runtime, text: str, role: str = "um_reviewer", user: str = "ur.blake", thread: str = ""
) -> AgentReply:
    return rt.agent.ask(
        AgentRequest(user_id=user, role=role, text=text, thread_id=thread or uuid.uuid4().hex)
    )


def cited(reply: AgentReply) -> set[str]:
    return {c.citation for c in reply.citations}


def assert_citations_are_real_passages(rt: Runtime, reply: AgentReply) -> None:
    texts = {r.text for r in IndexStore(rt.retrieval).open().records}
    for c in reply.citations:
        assert c.text in texts, f"{c.citation} is not a passage of the index"
        assert f"[{c.n}]" in reply.answer


def test_expedited_medicare_advantage_timeframe_is_72_hours_with_citation(
    offline_runtime: Runtime,
) -> None:
    reply = ask(
        offline_runtime, "how fast must an expedited Medicare Advantage prior auth be decided"
    )
    assert not reply.abstained
    assert reply.intent is Intent.question
    assert "72 hours" in reply.answer
    assert cited(reply) & {"UM-104 §3.2", "42 CFR 422.572"}
    assert_citations_are_real_passages(offline_runtime, reply)


def test_follow_up_in_the_same_thread_answers_for_medicaid(offline_runtime: Runtime) -> None:
    thread = uuid.uuid4().hex
    ask(
        offline_runtime,
        "how fast must an expedited Medicare Advantage prior auth be decided",
        thread=thread,
    )
    reply = ask(offline_runtime, "and for Medicaid?", thread=thread)
    assert not reply.abstained
    assert "Medicaid" in reply.answer
    assert "72 hours" in reply.answer
    assert any("438.210" in c.citation or c.citation == "UM-104 §3.5" for c in reply.citations)


def test_follow_up_without_the_thread_has_nothing_to_follow(offline_runtime: Runtime) -> None:
    reply = ask(offline_runtime, "and for Medicaid?")
    assert "72 hours" not in reply.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("standard Medicare Advantage prior authorization decision timeframe in 2025", "14"),
        ("standard Medicare Advantage prior authorization decision timeframe in 2026", "7"),
    ],
)
def test_standard_timeframe_follows_the_policy_version_in_force(
    offline_runtime: Runtime, question: str, expected: str
) -> None:
    reply = ask(offline_runtime, question)
    assert f"{expected} calendar days" in reply.answer
    versions = {c.version for c in reply.citations if c.doc_id == "UM-104"}
    assert versions == ({"2.0"} if expected == "14" else {"3.0"})


def test_the_abstention_rule_meets_its_targets_on_the_sample_corpus(
    offline_runtime: Runtime,
) -> None:
    """Abstain on at least 80% of the questions the corpus cannot answer, and on at most 15% of
    those it can (the rule trades single questions for rates: "how many chiropractic visits are
    covered per year" is answered from the physical-therapy visit limit)."""
    bench = REPO / "benchmarks"
    unanswerable = yaml.safe_load((bench / "unanswerable.yaml").read_text())
    answerable = yaml.safe_load((bench / "queries.yaml").read_text())[::4]
    composer, searcher = offline_runtime.composer, offline_runtime.searcher

    def abstains(text: str, lob: str | None = None, as_of: object = None) -> bool:
        day = date.fromisoformat(str(as_of)) if as_of else NOW.date()
        filters = Filters(lob=LineOfBusiness(lob) if lob else None, as_of=day)
        return composer.compose(text, searcher.search(text, k=6, filters=filters)).abstained

    abstained = sum(abstains(q) for q in unanswerable) / len(unanswerable)
    false = sum(abstains(q["query"], q.get("lob"), q.get("as_of")) for q in answerable)
    assert abstained >= 0.8
    assert false / len(answerable) <= 0.15


def test_contract_question_cites_the_contract(offline_runtime: Runtime) -> None:
    reply = ask(offline_runtime, "what is the timely filing limit for Synthetic General Hospital")
    assert "180 days" in reply.answer
    assert any(c.doc_id == "CON-101" for c in reply.citations)


@pytest.mark.parametrize(
    "question",
    [
        "what are the coverage criteria for cochlear implants",
        "does the plan cover dental implants for adults",
    ],
)
def test_questions_the_corpus_cannot_answer_abstain(
    offline_runtime: Runtime, question: str
) -> None:
    reply = ask(offline_runtime, question)
    assert reply.abstained
    assert reply.answer.startswith("The indexed documents do not answer this.")


def test_criteria_for_a_code_cite_the_policy_that_lists_it(offline_runtime: Runtime) -> None:
    reply = ask(offline_runtime, "criteria for 72148")
    assert reply.intent is Intent.criteria_lookup
    assert {c.doc_id for c in reply.citations} == {"MP-201"}
    assert "6 weeks" in reply.answer
    assert [t.name for t in reply.tool_calls] == ["find_criteria"]


@pytest.mark.parametrize(
    "question",
    [
        "approve this MRI",
        "should we deny C2000033?",
        "is this CPAP medically necessary? yes or no",
        "go ahead and authorize the lumbar fusion for C2000033",
        "make the determination on C2000033",
    ],
)
def test_every_decision_request_is_deferred_to_a_clinician(
    offline_runtime: Runtime, question: str
) -> None:
    reply = ask(offline_runtime, question)
    assert reply.intent is Intent.decision_request
    assert DEFERRAL_NOTICE in reply.notices
    assert "can't approve, deny or decide" in reply.answer
    assert not any(states_decision(s) for s in sentences_of(reply.answer))


def test_decision_request_on_a_case_gives_criteria_and_the_evidence_on_file(
    offline_runtime: Runtime,
) -> None:
    with offline_runtime.db.read_only() as s:
        case = s.scalars(sa.select(Case).where(Case.service_codes.is_not(None))).first()
        case_id, notes = case.case_id, case.clinical_notes
    reply = ask(offline_runtime, f"should we approve {case_id}?")
    assert reply.citations
    if notes:
        assert notes.strip()[:30] in reply.answer


def audit_count(rt: Runtime) -> int:
    with rt.db.read_only() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(AuditRecord)) or 0


def test_member_lookup_is_answered_for_a_case_manager_and_audited(
    offline_runtime: Runtime,
) -> None:
    before = audit_count(offline_runtime)
    reply = ask(offline_runtime, "look up member M1000001", role="case_manager", user="cm.alex")
    assert reply.intent is Intent.member_lookup
    assert reply.contains_member_data
    assert "M1000001" in reply.answer and "plan" in reply.answer
    assert audit_count(offline_runtime) == before + 1


def test_member_lookup_is_refused_to_admin_and_nothing_is_disclosed(
    offline_runtime: Runtime,
) -> None:
    reply = ask(offline_runtime, "look up member M1000001", role="admin", user="ad.eli")
    assert "can't show that to your role" in reply.answer
    assert "Sunrise" not in reply.answer


def test_unknown_member_gets_a_not_found_naming_the_id(offline_runtime: Runtime) -> None:
    reply = ask(offline_runtime, "member M9999999", role="case_manager", user="cm.alex")
    assert "M9999999" in reply.answer and "could not find" in reply.answer


def test_case_deadline_names_the_rule_and_citation(offline_runtime: Runtime) -> None:
    reply = ask(offline_runtime, "when is C2000001 due")
    assert reply.intent is Intent.deadline
    assert "due by" in reply.answer and "CFR" in reply.answer
    assert [t.name for t in reply.tool_calls][:2] == ["get_case", "compute_decision_deadline"]


def test_empty_and_oversized_messages_are_refused(offline_runtime: Runtime) -> None:
    with pytest.raises(MessageRejected, match="empty"):
        ask(offline_runtime, "   ")
    with pytest.raises(MessageTooLong, match="50,000 characters"):
        ask(offline_runtime, "x" * 50_000)


def test_unknown_role_is_refused(offline_runtime: Runtime) -> None:
    with pytest.raises(UnknownRole):
        ask(offline_runtime, "help", role="superuser")


def test_text_in_another_language_gets_a_clear_reply(offline_runtime: Runtime) -> None:
    reply = ask(offline_runtime, "¿Cuánto tiempo tiene el plan para decidir una solicitud urgente?")
    assert reply.abstained and "English" in reply.answer


def test_out_of_scope_and_help(offline_runtime: Runtime) -> None:
    assert ask(offline_runtime, "tell me a joke").intent is Intent.out_of_scope
    assert "criteria" in ask(offline_runtime, "help").answer


def test_denial_letter_draft_is_stored_as_a_draft_and_cannot_be_signed_by_the_reviewer(
    offline_runtime: Runtime,
) -> None:
    from tools.drafts import get_draft
    from tools.errors import PermissionDenied, SignOffRefused
    from tools.roles import Principal, Role
    from tools.signoff import sign_draft

    reply = ask(offline_runtime, "draft a denial letter for C2000033")
    assert reply.intent is Intent.draft_denial_letter
    assert reply.draft_id and "status draft" in reply.answer
    # No reason given: no criterion can be shown to support it, so none is cited yet.
    assert reply.citations == [] and "write the specific reason first" in reply.answer
    reviewer = offline_runtime.tool_context(Principal("ur.blake", Role.um_reviewer), "cli", "test")
    draft = get_draft(reviewer, {"draft_id": reply.draft_id})
    assert draft.status.value == "draft"
    assert draft.text.startswith("DRAFT")
    with pytest.raises((PermissionDenied, SignOffRefused)):
        sign_draft(
            reviewer,
            {
                "draft_id": reply.draft_id,
                "signer_name": "Blake Reviewson",
                "credentials": "RN",
                "attestation": "I reviewed this case.",
            },
        )
    assert get_draft(reviewer, {"draft_id": reply.draft_id}).status.value == "draft"


def test_a_draft_for_an_unknown_case_stores_nothing(offline_runtime: Runtime) -> None:
    reply = ask(offline_runtime, "draft a denial letter for C2999999")
    assert reply.draft_id is None
    assert "C2999999" in reply.answer and "could not find" in reply.answer


def test_member_lookup_leaves_no_phi_in_application_logs(
    offline_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tools.models import Member

    with offline_runtime.db.read_only() as s:
        member = s.get(Member, "M1000002")
        name, dob = member.last_name, member.date_of_birth.isoformat()
    with caplog.at_level(logging.DEBUG):
        reply = ask(offline_runtime, "look up member M1000002", role="case_manager", user="cm.alex")
    assert name in reply.answer
    assert caplog.records, "the lookup should log something (ids and counts only)"
    assert name not in caplog.text and dob not in caplog.text and "M1000002" not in caplog.text
