"""The agent graph: respond (validate, route, resolve follow-ups, then an engine) -> guard
(guardrails on whatever the engine wrote). The state holds the request, reply and memory as
models, never as dicts; thread state lives in a LangGraph checkpointer."""

import operator
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypedDict, cast

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph

from bot import followup
from bot.errors import MessageRejected, MessageTooLong, UnknownRole
from bot.followup import Remembered
from bot.guardrails import DEFERRAL_NOTICE, check_answer
from bot.router import Router
from bot.schemas import AgentReply, AgentRequest, Citation, Intent, RequestFilters, ToolCallRecord
from bot.threads import ThreadStore
from bot.toolrunner import ToolRunner
from bot.turn import Engine, Turn
from tools.context import ToolContext
from tools.roles import Principal, Role, may_see_member_data


class TurnState(TypedDict, total=False):
    request: AgentRequest
    reply: AgentReply
    # The turn being answered (route, text); remembered only after the guard, with its reply.
    pending: Remembered
    # Entries written before memory was typed are mappings: followup.remembered reads both.
    history: Annotated[list[Remembered | dict[str, Any]], operator.add]


# The models a checkpoint of this graph holds: the only classes it may revive.
STATE_MODELS: tuple[type, ...] = (
    AgentRequest,
    RequestFilters,
    Intent,
    AgentReply,
    Citation,
    ToolCallRecord,
    Remembered,
)


class Agent:
    def __init__(
        self,
        engine: Engine,
        router: Router,
        context_for: Callable[[Principal, str, str], ToolContext],
        checkpointer: Any,
        max_chars: int,
        today: Callable[[], date],
        threads: ThreadStore | None = None,
    ) -> None:
        self.engine = engine
        self.router = router
        self.context_for = context_for
        self.max_chars = max_chars
        self.today = today
        self.threads = threads
        graph = StateGraph(TurnState)
        graph.add_node("respond", self._respond)
        graph.add_node("guard", self._guard)
        graph.add_edge(START, "respond")
        graph.add_edge("respond", "guard")
        graph.add_edge("guard", END)
        if hasattr(checkpointer, "with_allowlist"):
            checkpointer = checkpointer.with_allowlist(
                {(model.__module__, model.__name__) for model in STATE_MODELS}
            )
        self.graph = graph.compile(checkpointer=checkpointer)
        # A question without a thread is answered by the same graph with no memory: it writes
        # nothing to the checkpointer.
        self.one_shot = graph.compile()

    def validate(self, request: AgentRequest) -> Principal:
        text = request.text.strip()
        if not text:
            raise MessageRejected("The message is empty: ask a question or type `help`.")
        if len(text) > self.max_chars:
            raise MessageTooLong(
                f"The message is {len(text):,} characters; the limit is {self.max_chars:,}. "
                "Ask about one topic at a time, or paste only the relevant part."
            )
        try:
            role = Role(request.role)
        except ValueError as exc:
            raise UnknownRole(f"unknown role '{request.role}'") from exc
        return Principal(request.user_id, role, request.display_name or request.user_id)

    def ask(self, request: AgentRequest) -> AgentReply:
        self.validate(request)
        request = request.model_copy(update={"text": request.text.strip()})
        thread_id = request.thread_id
        if thread_id is None:
            state = self.one_shot.invoke(TurnState(request=request))
            return reply_of(state)
        if self.threads is not None:
            self.threads.begin(thread_id)
        config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
        # One checkpoint per turn (at exit), not one per step plus pending writes.
        state = self.graph.invoke(TurnState(request=request), config, durability="exit")
        if self.threads is not None:
            self.threads.touch(thread_id)
        return reply_of(state)

    def _respond(self, state: TurnState) -> TurnState:
        request = state["request"]
        principal = self.validate(request)
        history = [followup.remembered(entry) for entry in state.get("history") or []]
        route, text = followup.resolve(
            self.router.route(request.text, request), history[-1] if history else None
        )
        ctx = self.context_for(principal, request.channel, f"{route.intent.value} via assistant")
        turn = Turn(request, principal, route, text, ToolRunner(ctx), self.today(), history)
        reply = self.engine.respond(turn)
        pending = Remembered(
            text=request.text,
            effective_text=text,
            intent=route.intent,
            lob=route.lob,
            case_ids=list(route.case_ids),
            codes=list(route.codes),
        )
        return {"reply": reply, "pending": pending}

    def _guard(self, state: TurnState) -> TurnState:
        reply = state["reply"]
        request = state["request"]
        allowed = {c.n for c in reply.citations}
        checked = check_answer(reply.answer, allowed, {c.n: c.text for c in reply.citations})
        notices = list(reply.notices)
        answer = checked.text
        abstained = reply.abstained
        if checked.removed_decisions:
            if DEFERRAL_NOTICE not in notices:
                notices.append(DEFERRAL_NOTICE)
            answer = (answer + " " if answer else "") + (
                "I removed a statement that read as a coverage decision: the determination "
                "belongs to a clinician."
            )
        if checked.removed_citations:
            notices.append(
                f"{checked.removed_citations} citation(s) to passages not retrieved "
                "in this turn were removed."
            )
        citations = reply.citations
        if not reply.abstained:
            citations = [c for c in reply.citations if c.n in checked.cited]
        if not answer.strip():
            answer, abstained = "The indexed documents do not answer this.", True
        if reply.contains_member_data and not may_see_member_data(Role(request.role)):
            answer = "Member details are not available to your role."
            citations, abstained = [], False
        if reply.intent is Intent.decision_request and DEFERRAL_NOTICE not in notices:
            notices.append(DEFERRAL_NOTICE)
        guarded = reply.model_copy(
            update={
                "answer": answer,
                "citations": citations,
                "notices": notices,
                "abstained": abstained,
            }
        )
        # Memory holds what the user was shown, never the engine's unguarded text: a later
        # prompt in this thread must not carry a removed decision or withheld member data.
        pending = state.get("pending") or Remembered(text=request.text)
        remembered = pending.model_copy(update={"answer": answer[:500]})
        return {"reply": guarded, "history": [remembered]}


def reply_of(state: dict[str, Any]) -> AgentReply:
    return cast(AgentReply, state["reply"])  # the graph's own state: a model end to end
