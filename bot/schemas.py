"""The typed shapes that enter and leave the agent. `AgentReply` JSON is a public interface."""

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from tools.ids import CaseId, MemberId


class Intent(StrEnum):
    question = "question"
    criteria_lookup = "criteria_lookup"
    member_lookup = "member_lookup"
    case_lookup = "case_lookup"
    deadline = "deadline"
    draft_case_note = "draft_case_note"
    draft_denial_letter = "draft_denial_letter"
    decision_request = "decision_request"
    help = "help"
    out_of_scope = "out_of_scope"


class RequestFilters(BaseModel):
    lob: str | None = None
    doc_type: str | None = None
    as_of: date | None = None


class AgentRequest(BaseModel):
    """One user turn. `user_id` and `role` identify the staff principal."""

    user_id: str
    role: str
    text: str
    channel: str = "cli"
    thread_id: str | None = None
    filters: RequestFilters = Field(default_factory=RequestFilters)
    display_name: str | None = None
    # What the caller already knows (a slash command, an API client): the router fills only what
    # is missing, so structure travels as fields, never as a sentence to be parsed back.
    intent: Intent | None = None
    member_id: MemberId | None = None
    case_id: CaseId | None = None


class Citation(BaseModel):
    n: int
    doc_id: str
    citation: str
    title: str
    text: str
    source_path: str
    section: str = ""
    effective_date: str | None = None
    version: str | None = None


class ToolCallRecord(BaseModel):
    name: str
    args: dict[str, Any]
    ok: bool
    result: Any = None
    error: str | None = None


class AgentReply(BaseModel):
    answer: str
    abstained: bool = False
    intent: Intent
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    draft_id: str | None = None
    notices: list[str] = Field(default_factory=list)
    thread_id: str | None = None
    contains_member_data: bool = False
