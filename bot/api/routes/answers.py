"""Questions to the assistant: one-shot (/v1/ask) or within a thread (/v1/chat)."""

import uuid

from fastapi import APIRouter, Depends

from bot.api.auth import authenticated
from bot.api.schemas import Answer, AskBody, ChatBody
from bot.api.services import Services, services
from bot.faces.feedback import issue_answer
from bot.faces.tokens import Caller
from bot.schemas import AgentReply, AgentRequest
from tools.context import utc_now

router = APIRouter(prefix="/v1", tags=["answers"])


def agent_request(caller: Caller, body: AskBody, thread_id: str | None) -> AgentRequest:
    principal = caller.principal
    return AgentRequest(
        user_id=principal.user_id,
        role=principal.role.value,
        text=body.text,
        channel="api",
        thread_id=thread_id,
        filters=body.filters.for_agent(),
        display_name=principal.display_name or None,
        intent=body.intent,
        member_id=body.member_id,
        case_id=body.case_id,
    )


def answer_of(svc: Services, caller: Caller, reply: AgentReply, thread_id: str | None) -> Answer:
    answer_id = uuid.uuid4().hex
    # Recorded so that POST /v1/feedback accepts a rating of this answer from this user only.
    issue_answer(svc.db, answer_id, f"api:{caller.principal.user_id}", utc_now())
    # The reply's fields as they are (no dump and re-validation), with the face's own thread id.
    return Answer(**{**dict(reply), "thread_id": thread_id}, answer_id=answer_id)


@router.post("/ask", response_model=Answer, summary="Ask one question (no thread memory)")
def ask(
    body: AskBody, caller: Caller = Depends(authenticated), svc: Services = Depends(services)
) -> Answer:
    reply = svc.runtime.agent.ask(agent_request(caller, body, None))
    return answer_of(svc, caller, reply, None)


@router.post("/chat", response_model=Answer, summary="Ask within a thread that remembers")
def chat(
    body: ChatBody, caller: Caller = Depends(authenticated), svc: Services = Depends(services)
) -> Answer:
    thread = body.thread_id or uuid.uuid4().hex
    # The agent's memory is keyed per user, so a thread id guessed or shared by another user
    # opens an empty conversation rather than someone else's (which may hold member data).
    private = f"api:{caller.principal.user_id}:{thread}"
    reply = svc.runtime.agent.ask(agent_request(caller, body, private))
    return answer_of(svc, caller, reply, thread)
