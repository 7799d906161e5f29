"""Request and response bodies of the HTTP API (tool and agent shapes are reused as they are)."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, model_validator

from bot.schemas import AgentReply, Intent, RequestFilters
from retrieval.documents import DocType, LineOfBusiness
from retrieval.search import Hit
from tools.enums import PlanLine, RequestType, Urgency
from tools.ids import CaseId, MemberId

THREAD_ID = r"^[A-Za-z0-9._:-]{1,64}$"
ANSWER_ID = r"^[A-Za-z0-9_-]{8,64}$"


def _iso_text(value: object) -> object:
    """Dates and times arrive as ISO 8601 strings, as the schema says; 0 is not a date."""
    if isinstance(value, bool | int | float):
        raise ValueError("give an ISO 8601 string, e.g. 2026-11-24 or 2026-11-24T09:00:00-05:00")
    return value


# Strict at the edge: pydantic's lax mode reads `0` as 1970-01-01 and `true` as 1.
IsoDate = Annotated[date, BeforeValidator(_iso_text)]
IsoDatetime = Annotated[datetime, BeforeValidator(_iso_text)]


class Filters(BaseModel):
    """RequestFilters with the vocabularies checked at the edge, so a typo is a 422."""

    model_config = ConfigDict(extra="forbid")

    lob: LineOfBusiness | None = None
    doc_type: DocType | None = None
    as_of: IsoDate | None = None

    def for_agent(self) -> RequestFilters:
        return RequestFilters(
            lob=self.lob.value if self.lob else None,
            doc_type=self.doc_type.value if self.doc_type else None,
            as_of=self.as_of,
        )


class AskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The question or instruction, in plain words")
    filters: Filters = Field(default_factory=Filters)
    intent: Intent | None = Field(
        None, description="What you ask for, when you know it; omitted, it is read from the text"
    )
    member_id: MemberId | None = Field(None, description="The member asked about, if any")
    case_id: CaseId | None = Field(None, description="The case asked about, if any")


class ChatBody(AskBody):
    thread_id: str | None = Field(
        None,
        pattern=THREAD_ID,
        description="Your conversation id; omit to start a new thread (the reply names it). "
        "Threads are private to the token's user.",
    )


class Answer(AgentReply):
    answer_id: str = Field(description="Quote it in POST /v1/feedback")


class SearchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1)
    k: int = Field(5, ge=1, le=50, strict=True)
    lob: LineOfBusiness | None = None
    doc_type: DocType | None = None
    as_of: IsoDate | None = Field(
        None, description="Documents in force on this date (default today)"
    )


class SearchResult(BaseModel):
    count: int
    hits: list[Hit]


class DeadlineBody(BaseModel):
    """Either a case id (its attributes are read from the case, audited) or the attributes."""

    model_config = ConfigDict(extra="forbid")

    case_id: CaseId | None = None
    line_of_business: PlanLine | None = None
    request_type: RequestType | None = None
    urgency: Urgency | None = None
    received_at: IsoDatetime | None = Field(None, description="With a time zone offset")
    extension_taken: StrictBool = False

    @model_validator(mode="after")
    def _one_way(self) -> "DeadlineBody":
        attrs = (self.line_of_business, self.request_type, self.urgency, self.received_at)
        if self.case_id is None and any(a is None for a in attrs):
            raise ValueError(
                "give case_id, or line_of_business, request_type, urgency and received_at"
            )
        if self.case_id is not None and any(a is not None for a in attrs):
            raise ValueError("give case_id or the request attributes, not both")
        return self


class FeedbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer_id: str = Field(pattern=ANSWER_ID)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=2000)
    thread_id: str | None = Field(None, pattern=THREAD_ID)
    intent: Intent | None = None


class FeedbackReceipt(BaseModel):
    id: int
    answer_id: str
    rating: Literal["up", "down"]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, bool]
    failures: dict[str, int] = Field(
        default_factory=dict,
        description="Failures since start that do not make the worker unready "
        "(slack_deliveries: answers that could not be posted to Slack)",
    )
