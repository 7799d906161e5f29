"""Follow-ups after every intent: the offline engine and /v1/chat answer each one (no exception,
no 500), and a follow-up keeps the ids the thread's earlier turn resolved."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.faces.tokens import TokenStore
from bot.runtime import Runtime
from bot.schemas import AgentReply, AgentRequest, Intent
from bot.server import create_app
from bot.settings import BotSettings

pytestmark = pytest.mark.slow

FIRST_TURNS = {
    Intent.question: "how fast must an expedited Medicare Advantage prior auth be decided",
    Intent.criteria_lookup: "criteria for 72148",
    Intent.member_lookup: "look up member M1000001",
    Intent.case_lookup: "show case C2000001",
    Intent.deadline: "when is C2000001 due",
    Intent.draft_case_note: "draft a case note for C2000001",
    Intent.draft_denial_letter: "draft a denial letter for C2000001",
    Intent.decision_request: "approve C2000001",
    Intent.help: "help",
    Intent.out_of_scope: "what's the weather in Boston tomorrow",
}
FOLLOW_UPS = (
    "and for Medicaid?",
    "what about in 2025?",
    "and for commercial?",
    "same for C2000002",
    "and M1000002?",
    "and?",
    "for expedited?",
)


def ask(rt: Runtime, text: str, thread: str) -> AgentReply:
    return rt.agent.ask(
        AgentRequest(user_id="ur.blake", role="um_reviewer", text=text, thread_id=thread)
    )


@pytest.mark.parametrize("intent", list(FIRST_TURNS), ids=lambda i: i.value)
def test_every_follow_up_after_each_intent_gets_an_answer(
    offline_runtime: Runtime, intent: Intent
) -> None:
    thread = uuid.uuid4().hex
    first = ask(offline_runtime, FIRST_TURNS[intent], thread)
    assert first.intent is intent, first.answer
    for text in FOLLOW_UPS:
        reply = ask(offline_runtime, text, thread)
        assert reply.answer.strip(), text


def test_a_member_follow_up_keeps_the_member_id(offline_runtime: Runtime) -> None:
    thread = uuid.uuid4().hex
    ask(offline_runtime, "look up member M1000001", thread)
    reply = ask(offline_runtime, "and for Medicaid?", thread)
    assert reply.intent is Intent.member_lookup
    assert "M1000001" in reply.answer
    lookups = [c for c in reply.tool_calls if c.name == "lookup_member"]
    assert [c.args["member_id"] for c in lookups] == ["M1000001"]


def test_a_follow_up_naming_another_member_looks_that_member_up(
    offline_runtime: Runtime,
) -> None:
    thread = uuid.uuid4().hex
    ask(offline_runtime, "look up member M1000001", thread)
    reply = ask(offline_runtime, "and M1000002?", thread)
    assert [c.args["member_id"] for c in reply.tool_calls if c.name == "lookup_member"] == [
        "M1000002"
    ]


@pytest.fixture(scope="module")
def chat(
    offline_runtime: Runtime, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    tokens = TokenStore(offline_runtime.db, cache_s=0)
    token = tokens.issue("ur.blake", "follow-ups").token
    settings = BotSettings(
        _env_file=None, state_dir=tmp_path_factory.mktemp("chat-state"), api_token_cache_s=0
    )
    app = create_app(offline_runtime, settings, tokens=tokens)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


@pytest.mark.parametrize("intent", list(FIRST_TURNS), ids=lambda i: i.value)
def test_chat_follow_ups_after_each_intent_are_never_a_500(
    chat: TestClient, intent: Intent
) -> None:
    first = chat.post("/v1/chat", json={"text": FIRST_TURNS[intent]})
    assert first.status_code == 200, first.text
    thread = first.json()["thread_id"]
    for text in FOLLOW_UPS[:3]:
        r = chat.post("/v1/chat", json={"text": text, "thread_id": thread})
        assert r.status_code == 200, (text, r.text)
