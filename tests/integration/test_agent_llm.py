"""The LLM engine with real tool calls: a scripted LangChain chat model, and ChatOpenAI talking
to an OpenAI-compatible server on 127.0.0.1. Guardrails must hold whatever the model writes."""

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI, Request
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import Field

from bot import toolset
from bot.guardrails import DEFERRAL_NOTICE
from bot.runtime import Runtime, build_runtime
from bot.schemas import AgentReply, AgentRequest
from bot.settings import BotSettings
from retrieval.settings import RetrievalSettings
from tests.conftest import NOW
from tools.catalogue import catalogue
from tools.drafts import Draft, get_draft
from tools.models import AuditRecord
from tools.roles import Principal, Role
from tools.settings import ToolsSettings

pytestmark = pytest.mark.slow


class ScriptedChatModel(GenericFakeChatModel):
    """Replies from a script, records what it was sent, and accepts tools like a real model."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedChatModel":
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def tool_call(name: str, args: dict[str, Any]) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": uuid.uuid4().hex}])


def llm_runtime(
    tmp: Path, index: Path, db_url: str, model: Any = None, bot: BotSettings | None = None
) -> Runtime:
    return build_runtime(
        bot or BotSettings(state_dir=tmp),
        RetrievalSettings(index_dir=index, torch_threads=1),
        ToolsSettings(database_url=db_url),
        engine="llm",
        chat_model=model,
        clock=lambda: NOW,
    )


def ask(rt: Runtime, text: str, role: str = "um_reviewer", user: str = "ur.blake") -> AgentReply:
    return rt.agent.ask(
        AgentRequest(user_id=user, role=role, text=text, thread_id=uuid.uuid4().hex)
    )


def test_search_tool_runs_and_an_invented_citation_is_stripped(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call("search_documents", {"query": "expedited Medicare Advantage timeframe"}),
                AIMessage(
                    "Expedited Medicare Advantage requests are decided within 72 hours [1]. "
                    "The plan also pays a $500 bonus for fast decisions [7]."
                ),
            ]
        )
    )
    reply = ask(llm_runtime(tmp_path, sample_index, seeded_db_url, model), "expedited MA timing?")
    assert "72 hours [1]" in reply.answer
    assert "$500" not in reply.answer and "[7]" not in reply.answer
    assert [c.n for c in reply.citations] == [1]
    assert any("not retrieved" in n for n in reply.notices)
    assert reply.tool_calls[0].name == "search_documents"
    tool_message = model.seen[-1][-1]
    assert '<passage n="1"' in str(tool_message.content)


def test_a_model_that_states_a_denial_is_caught(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call("search_documents", {"query": "lumbar MRI criteria"}),
                AIMessage(
                    "This request is denied. A UM nurse reviewer may approve a lumbar MRI that "
                    "meets the criteria [1]."
                ),
            ]
        )
    )
    reply = ask(llm_runtime(tmp_path, sample_index, seeded_db_url, model), "deny C2000033")
    assert "denied" not in reply.answer.split("I removed")[0]
    assert "lumbar MRI that meets the criteria [1]" in reply.answer
    assert DEFERRAL_NOTICE in reply.notices


def test_a_cited_duration_the_passage_does_not_state_is_removed_with_its_citation(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call("search_documents", {"query": "Medicare Part B drug request timeframe"}),
                AIMessage(
                    "A standard Part B drug request must be decided within 72 hours [1]. "
                    "Such a request is decided within 14 calendar days [1]."
                ),
            ]
        )
    )
    reply = ask(llm_runtime(tmp_path, sample_index, seeded_db_url, model), "Part B drug timing?")
    first = reply.citations[0]
    assert "72 hours" in first.text and "14 calendar days" not in first.text
    assert "within 72 hours [1]" in reply.answer
    assert "14 calendar days" not in reply.answer
    assert any("not in the cited passage" in n for n in reply.notices)


def audit_rows(db_url: str) -> int:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        count = conn.scalar(sa.select(sa.func.count()).select_from(AuditRecord)) or 0
    engine.dispose()
    return count


def test_bad_tool_arguments_go_back_to_the_model_and_the_tool_does_not_run(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call("lookup_member", {"member_id": "12345; DROP TABLE members"}),
                AIMessage("I could not look that member up: the id is not valid."),
            ]
        )
    )
    before = audit_rows(seeded_db_url)
    reply = ask(llm_runtime(tmp_path, sample_index, seeded_db_url, model), "member 12345?")
    assert reply.tool_calls == []
    assert audit_rows(seeded_db_url) == before
    assert "member_id" in str(model.seen[-1][-1].content)
    assert not reply.contains_member_data


def test_a_valid_member_tool_call_runs_with_validated_input_and_is_audited(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call("lookup_member", {"member_id": "M1000001"}),
                AIMessage("Member M1000001 is on the plan shown by the lookup."),
            ]
        )
    )
    before = audit_rows(seeded_db_url)
    reply = ask(llm_runtime(tmp_path, sample_index, seeded_db_url, model), "member M1000001?")
    assert [(c.name, c.ok) for c in reply.tool_calls] == [("lookup_member", True)]
    assert reply.contains_member_data
    assert audit_rows(seeded_db_url) == before + 1


def test_tools_outside_the_role_are_not_offered_to_the_model(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call("lookup_member", {"member_id": "M1000001"}),
                AIMessage("Done."),
            ]
        )
    )
    reply = ask(
        llm_runtime(tmp_path, sample_index, seeded_db_url, model), "member?", "admin", "ad.eli"
    )
    assert reply.tool_calls == []
    assert (
        "not a valid tool" in str(model.seen[-1][-1].content).lower()
        or "error" in str(model.seen[-1][-1].content).lower()
    )


def drafts_of(db_url: str, case_id: str) -> list[tuple[str, str, str]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(Draft.draft_id, Draft.kind, Draft.status).where(Draft.case_id == case_id)
        )
        found = [(r.draft_id, str(r.kind), str(r.status)) for r in rows]
    engine.dispose()
    return found


def test_the_llm_engine_drafts_a_denial_letter_through_the_offline_engines_tool(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    # One catalogue: the offline engine and the LLM engine call the same declared tool.
    assert toolset.draft_denial_letter is catalogue()["draft_denial_letter"]
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call(
                    "draft_denial_letter",
                    {
                        "case_id": "C2000033",
                        "reason": "MP-201 §2.2 criterion 2: six weeks of conservative therapy "
                        "are not documented in the records provided",
                        "criteria_citations": ["MP-201 §2.2"],
                    },
                ),
                AIMessage("The denial letter draft is stored for clinician review."),
            ]
        )
    )
    before = audit_rows(seeded_db_url)
    rt = llm_runtime(tmp_path, sample_index, seeded_db_url, model)
    reply = ask(rt, "draft a denial letter for C2000033")
    assert [(c.name, c.ok) for c in reply.tool_calls] == [("draft_denial_letter", True)]
    assert reply.draft_id and reply.contains_member_data
    assert (reply.draft_id, "denial_letter", "draft") in drafts_of(seeded_db_url, "C2000033")
    assert audit_rows(seeded_db_url) == before + 1
    reviewer = rt.tool_context(Principal("ur.blake", Role.um_reviewer), "cli", "test")
    draft = get_draft(reviewer, {"draft_id": reply.draft_id})
    assert draft.text.startswith("DRAFT") and "six weeks of conservative therapy" in draft.text


def test_the_llm_engine_drafts_a_case_note_and_is_never_offered_signing(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call(
                    "draft_case_note",
                    {"case_id": "C2000033", "reviewer_notes": "Three weeks of PT documented."},
                ),
                AIMessage("Drafted."),
            ]
        )
    )
    rt = llm_runtime(tmp_path, sample_index, seeded_db_url, model)
    reply = ask(rt, "draft a case note for C2000033", "clinician", "dr.casey")
    assert [(c.name, c.ok) for c in reply.tool_calls] == [("draft_case_note", True)]
    assert reply.draft_id is not None
    signing = ScriptedChatModel(
        messages=iter(
            [
                tool_call(
                    "sign_draft",
                    {"draft_id": reply.draft_id, "attestation": "I reviewed this draft fully."},
                ),
                AIMessage("Signed."),
            ]
        )
    )
    rt = llm_runtime(tmp_path / "sign", sample_index, seeded_db_url, signing)
    refused = ask(rt, f"sign {reply.draft_id}", "clinician", "dr.casey")
    assert refused.tool_calls == []
    assert (reply.draft_id, "case_note", "draft") in drafts_of(seeded_db_url, "C2000033")


def test_a_role_without_drafting_rights_is_not_given_the_drafting_tools(
    tmp_path: Path, sample_index: Path, seeded_db_url: str
) -> None:
    model = ScriptedChatModel(
        messages=iter(
            [
                tool_call("draft_denial_letter", {"case_id": "C2000033", "reason": "not met"}),
                AIMessage("Done."),
            ]
        )
    )
    before = drafts_of(seeded_db_url, "C2000033")
    reply = ask(
        llm_runtime(tmp_path, sample_index, seeded_db_url, model),
        "draft a denial letter for C2000033",
        "case_manager",
        "cm.alex",
    )
    assert reply.tool_calls == [] and reply.draft_id is None
    assert "not a valid tool" in str(model.seen[-1][-1].content).lower()
    assert drafts_of(seeded_db_url, "C2000033") == before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def openai_compatible_server(requests: list[dict[str, Any]]) -> FastAPI:
    """Speaks the chat completions protocol: a tool call first, then an answer citing [1]."""
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request) -> dict[str, Any]:
        body = await request.json()
        requests.append(body)
        answered = any(m.get("role") == "tool" for m in body["messages"])
        if answered:
            message = {
                "role": "assistant",
                "content": "Medicaid expedited authorizations are due within 72 hours [1].",
            }
        else:
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {
                            "name": "search_documents",
                            "arguments": json.dumps(
                                {"query": "Medicaid expedited authorization decision"}
                            ),
                        },
                    }
                ],
            }
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "local-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    return app


@pytest.fixture
def local_llm() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    requests: list[dict[str, Any]] = []
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            openai_compatible_server(requests), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v1", requests
    server.should_exit = True
    thread.join(5)


def test_chat_openai_client_against_a_local_openai_compatible_server(
    tmp_path: Path,
    sample_index: Path,
    seeded_db_url: str,
    local_llm: tuple[str, list[dict[str, Any]]],
) -> None:
    url, requests = local_llm
    bot = BotSettings(state_dir=tmp_path, llm=url, llm_model="local-model")
    reply = ask(llm_runtime(tmp_path, sample_index, seeded_db_url, bot=bot), "Medicaid expedited?")
    assert "72 hours [1]" in reply.answer
    assert reply.citations and reply.citations[0].n == 1
    assert len(requests) == 2
    offered = {t["function"]["name"] for t in requests[0]["tools"]}
    assert {"search_documents", "find_criteria", "lookup_member"} <= offered
    assert requests[0]["messages"][0]["role"] == "system"
