"""Denial letters drafted in a conversation: the criteria cited support the stated reason, and a
draft that names its reviewer and missing information there can be signed as it stands."""

import uuid

import pytest

from bot.runtime import Runtime
from bot.schemas import AgentReply, AgentRequest
from tools.drafts import get_draft
from tools.roles import Principal, Role
from tools.signoff import sign_draft

pytestmark = pytest.mark.slow
CLINICIAN = Principal("dr.casey", Role.clinician, "Casey Clinicianne", "MD")


def ask(rt: Runtime, text: str) -> AgentReply:
    return rt.agent.ask(
        AgentRequest(user_id="ur.blake", role="um_reviewer", text=text, thread_id=uuid.uuid4().hex)
    )


def test_a_chat_letter_cites_the_criterion_its_reason_rests_on(offline_runtime: Runtime) -> None:
    reply = ask(
        offline_runtime,
        "draft a denial letter for C2000033: 6 weeks of conservative therapy not documented",
    )
    assert [c.citation for c in reply.citations] == ["MP-201 §2.2"]
    ctx = offline_runtime.tool_context(CLINICIAN, "cli", "test")
    assert reply.draft_id
    letter = get_draft(ctx, {"draft_id": reply.draft_id})
    assert letter.fields["criteria"] == [
        "Lumbar Spine MRI (MP-201 §2.2): Lumbar spine MRI after failed conservative therapy"
    ]
    assert "##" not in letter.text


def test_a_reason_no_criterion_supports_is_said_and_cites_nothing(offline_runtime: Runtime) -> None:
    reply = ask(
        offline_runtime, "draft a denial letter for C2000033: the member moved out of state"
    )
    assert reply.citations == []
    assert "None of the criteria sections found supports the stated reason" in reply.answer


def test_a_letter_completed_in_chat_can_be_signed(offline_runtime: Runtime) -> None:
    reply = ask(
        offline_runtime,
        "draft a denial letter for C2000033: 6 weeks of conservative therapy not documented; "
        "reviewer dr.casey; information needed: physical therapy notes",
    )
    assert "all 15 required elements are present" in reply.answer
    ctx = offline_runtime.tool_context(CLINICIAN, "cli", "test")
    assert reply.draft_id
    letter = get_draft(ctx, {"draft_id": reply.draft_id})
    assert "Information that could change this decision" in letter.text
    assert "physical therapy notes" in letter.text
    signed = sign_draft(
        ctx,
        {
            "draft_id": reply.draft_id,
            "attestation": "I reviewed this draft, the case record and the criteria cited.",
        },
    )
    assert signed.status.value == "signed"
