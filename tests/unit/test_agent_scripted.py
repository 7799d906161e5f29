"""The agent graph driven by a scripted engine (no model, no index): what a request states is
routed as stated, the guard runs on whatever the engine wrote, and a thread remembers only what
the user was shown, as typed models end to end."""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from bot.agent import Agent
from bot.followup import Remembered
from bot.guardrails import DEFERRAL_NOTICE
from bot.router import Router
from bot.runtime import make_checkpointer, strict_serde
from bot.schemas import AgentReply, AgentRequest, Intent
from bot.settings import BotSettings
from bot.turn import Turn
from tests.support import HashEmbedder
from tools.context import ToolContext
from tools.db import Database
from tools.roles import Principal
from tools.settings import ToolsSettings

Script = Callable[[Turn], AgentReply]


class ScriptedEngine:
    """Answers each turn with the next scripted reply and keeps the turns it was given."""

    name = "scripted"

    def __init__(self, *script: Script) -> None:
        self.script = list(script)
        self.turns: list[Turn] = []

    def respond(self, turn: Turn) -> AgentReply:
        self.turns.append(turn)
        return self.script.pop(0)(turn)


def says(answer: str, **fields: object) -> Script:
    def reply(turn: Turn) -> AgentReply:
        return AgentReply(answer=answer, intent=turn.route.intent, **fields)  # type: ignore[arg-type]

    return reply


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(ToolsSettings(database_url=f"sqlite:///{tmp_path}/plan.db"))
    yield database
    database.dispose()


def agent_with(engine: ScriptedEngine, db: Database, saver: object | None = None) -> Agent:
    def context_for(principal: Principal, channel: str, purpose: str) -> ToolContext:
        return ToolContext(principal=principal, db=db, purpose=purpose, channel=channel)

    return Agent(
        engine,
        Router(HashEmbedder()),
        context_for,
        saver if saver is not None else InMemorySaver(serde=strict_serde()),
        4000,
        lambda: date(2026, 11, 24),
    )


def request(text: str, thread: str | None = None, **stated: object) -> AgentRequest:
    return AgentRequest(
        user_id="cm.alex", role="case_manager", text=text, thread_id=thread, **stated
    )  # type: ignore[arg-type]


def test_what_a_request_states_is_routed_as_stated_not_parsed_from_its_text(
    db: Database,
) -> None:
    engine = ScriptedEngine(says("ok"), says("ok"))
    agent = agent_with(engine, db)
    agent.ask(request("help", intent=Intent.case_lookup, case_id="c2000007"))
    agent.ask(request("Show case C2000001"))
    stated, parsed = (t.route for t in engine.turns)
    assert (stated.intent, stated.case_ids) == (Intent.case_lookup, ("C2000007",))
    assert (parsed.intent, parsed.case_ids) == (Intent.case_lookup, ("C2000001",))


def test_the_guard_removes_decision_language_the_engine_wrote(db: Database) -> None:
    agent = agent_with(ScriptedEngine(says("The request is approved.")), db)
    reply = agent.ask(request("what does UM-104 say about notices?"))
    assert isinstance(reply, AgentReply)
    assert "approved" not in reply.answer
    assert DEFERRAL_NOTICE in reply.notices


def test_member_data_is_withheld_from_a_role_that_may_not_see_it(db: Database) -> None:
    agent = agent_with(ScriptedEngine(says("M1000001 is eligible.", contains_member_data=True)), db)
    reply = agent.ask(AgentRequest(user_id="ad.sam", role="admin", text="member M1000001"))
    assert reply.answer == "Member details are not available to your role."


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_a_thread_remembers_what_was_shown_as_models(
    db: Database, tmp_path: Path, store: str
) -> None:
    saver = (
        InMemorySaver(serde=strict_serde())
        if store == "memory"
        else make_checkpointer(
            BotSettings(_env_file=None, state_dir=tmp_path),  # type: ignore[call-arg]
            ToolsSettings(database_url=f"sqlite:///{tmp_path}/threads.db"),
        )
    )
    engine = ScriptedEngine(says("Deny it: the request is denied."), says("Medicaid differs."))
    agent = agent_with(engine, db, saver)
    agent.ask(request("look up member M1000001", "t1"))
    follow = agent.ask(request("and for Medicaid?", "t1"))
    second = engine.turns[1]
    (previous,) = second.history
    assert isinstance(previous, Remembered)
    assert previous.intent is Intent.member_lookup and "denied" not in previous.answer
    assert second.route.intent is Intent.member_lookup
    assert second.route.member_ids == ("M1000001",) and second.route.lob == "medicaid"
    assert follow.answer == "Medicaid differs."
    stored = agent.graph.get_state({"configurable": {"thread_id": "t1"}}).values
    assert all(isinstance(entry, Remembered) for entry in stored["history"])
    assert isinstance(stored["request"], AgentRequest)


def test_a_thread_written_before_memory_was_typed_still_resolves_follow_ups(
    db: Database,
) -> None:
    saver = InMemorySaver(serde=strict_serde())
    engine = ScriptedEngine(says("Medicaid differs."))
    agent = agent_with(engine, db, saver)
    legacy = {"effective_text": "look up member M1000001", "intent": "member_lookup"}
    config = {"configurable": {"thread_id": "old"}}
    agent.graph.update_state(config, {"history": [legacy]}, as_node="guard")  # type: ignore[arg-type]
    agent.ask(request("and for Medicaid?", "old"))
    assert engine.turns[0].route.member_ids == ("M1000001",)
    assert engine.turns[0].history[0].effective_text == "look up member M1000001"
