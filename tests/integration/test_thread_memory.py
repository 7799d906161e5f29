"""Thread memory is per person and holds only what the guardrails let through.

The LLM engine is a scripted chat model that repeats its whole context back, the worst a
careless model can do with memory: whatever a thread remembers reaches the next reply.
"""

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from bot.faces.links import link
from bot.runtime import Runtime, build_runtime
from bot.schemas import AgentRequest
from bot.server import create_app
from bot.settings import BotSettings
from retrieval.settings import RetrievalSettings
from tests.conftest import NOW
from tests.integration.service_support import FakeSlack, UvicornThread, event_body, sign
from tools.db import Database
from tools.settings import ToolsSettings

pytestmark = pytest.mark.slow

SECRET = "memory-signing-secret"
ALEX, BLAKE = "U0ALEX", "U0BLAKE"


class EchoChatModel(BaseChatModel):
    """Looks a member up when asked to, else answers with everything in its context."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)
    opening: str = ""

    @property
    def _llm_type(self) -> str:
        return "echo"

    def bind_tools(self, tools: Any, **kwargs: Any) -> "EchoChatModel":
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.seen.append(list(messages))
        last = messages[-1]
        if isinstance(last, HumanMessage) and "look up member" in str(last.content):
            member_id = str(last.content).split()[-1]
            call = {
                "name": "lookup_member",
                "args": {"member_id": member_id},
                "id": uuid.uuid4().hex,
            }
            message = AIMessage(content="", tool_calls=[call])
        else:
            context = " | ".join(
                str(m.content) for m in messages if not isinstance(m, SystemMessage)
            )
            message = AIMessage(content=f"{self.opening}Context: {context}")
        return ChatResult(generations=[ChatGeneration(message=message)])


def llm_runtime(tmp: Path, index: Path, db_url: str, model: Any) -> Runtime:
    return build_runtime(
        BotSettings(_env_file=None, state_dir=tmp),
        RetrievalSettings(index_dir=index, torch_threads=1),
        ToolsSettings(database_url=db_url),
        engine="llm",
        chat_model=model,
        clock=lambda: NOW,
        warm=False,
    )


def surname(db_url: str, member_id: str) -> str:
    import sqlalchemy as sa

    from tools.models import Member

    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        name = conn.scalar(sa.select(Member.last_name).where(Member.member_id == member_id))
    engine.dispose()
    assert name
    return str(name)


@pytest.fixture
def slack_stack(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> Iterator[tuple[str, FakeSlack, EchoChatModel]]:
    model = EchoChatModel()
    rt = llm_runtime(tmp_path, sample_index, seeded_db_url, model)
    db = Database(ToolsSettings(database_url=seeded_db_url))
    link(db, "cm.alex", ALEX)
    link(db, "ur.blake", BLAKE)
    db.dispose()
    with FakeSlack() as slack:
        settings = BotSettings(
            _env_file=None,
            state_dir=tmp_path,
            slack_bot_token="xoxb-memory",
            slack_signing_secret=SECRET,
            slack_api_url=slack.api_url,
            redis_url=None,
        )
        with UvicornThread(create_app(rt, settings)) as url:
            yield url, slack, model
    rt.close()


def mention(url: str, text: str, user: str, ts: str, thread_ts: str) -> None:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "thread_ts": thread_ts,
        "channel": "C0SHARED",
        "event_ts": ts,
    }
    body = event_body(event)
    r = httpx.post(
        f"{url}/slack/events",
        content=body.encode(),
        headers={"content-type": "application/json", **sign(SECRET, body)},
        timeout=30,
    )
    assert r.status_code == 200


def wait_posts(slack: FakeSlack, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        posts = [
            c.data
            for c in slack.calls
            if c.method in {"chat.postMessage", "chat.postEphemeral"}
            and c.data.get("thread_ts") == "1700010000.000001"
        ]
        if len(posts) >= count:
            return posts
        time.sleep(0.05)
    raise AssertionError(f"expected {count} posts: {slack.calls}")


def test_another_person_in_the_same_channel_thread_never_sees_the_first_ones_member_data(
    slack_stack: tuple[str, FakeSlack, EchoChatModel], seeded_db_url: str
) -> None:
    url, slack, model = slack_stack
    name = surname(seeded_db_url, "M1000001")
    parent = "1700010000.000001"
    mention(url, "look up member M1000001", ALEX, parent, parent)
    first = wait_posts(slack, 1)[0]
    assert first["user"] == ALEX and name in json.dumps(first)  # privately, to the asker
    mention(url, "what did we talk about?", BLAKE, "1700010000.000009", parent)
    second = wait_posts(slack, 2)[1]
    assert "Context:" in json.dumps(second)
    assert name not in json.dumps(second)
    assert "M1000001" not in json.dumps(second)
    assert all(name not in str(m.content) for m in model.seen[-1])


def test_a_thread_remembers_the_guarded_reply_not_the_engines_text(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = EchoChatModel(opening="This request is denied. ")
    rt = llm_runtime(tmp_path, sample_index, seeded_db_url, model)
    try:
        thread = uuid.uuid4().hex
        for text in ("is the MRI for C2000033 covered?", "and what else?"):
            reply = rt.agent.ask(
                AgentRequest(user_id="ur.blake", role="um_reviewer", text=text, thread_id=thread)
            )
            assert "is denied" not in reply.answer
        remembered = [m for m in model.seen[-1] if isinstance(m, AIMessage)]
        assert remembered and all("is denied" not in str(m.content) for m in remembered)
    finally:
        rt.close()
