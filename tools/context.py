"""What every tool call carries: who asks, through which channel, why, and the shared services."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from retrieval import Filters, Hit
from tools.db import Database
from tools.errors import InvalidInput, ServiceUnavailable
from tools.plandata import PlanData, open_plan_data
from tools.roles import Principal, Role
from tools.settings import ToolsSettings

CHANNEL_RE = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
PURPOSE_MAX = 200


class SearcherLike(Protocol):
    """The slice of retrieval.search.Searcher the tools use; tests pass a small fake."""

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def plan_today(zone: ZoneInfo, clock: Callable[[], datetime] = utc_now) -> date:
    """Today in the plan's time zone by the given clock: the one meaning of "today"."""
    value = clock()
    if value.tzinfo is None:
        raise InvalidInput("the clock returned a naive datetime")
    return value.astimezone(zone).date()


@dataclass(frozen=True)
class ToolContext:
    """Built by a face per request; tools take it as their first argument.

    `purpose` is recorded in the audit trail with every disclosure (e.g. "prior auth review
    C2000123", "care coordination"). `clock` is injectable so tests and replays are exact.
    """

    principal: Principal
    db: Database
    purpose: str
    channel: str = "python"
    searcher: SearcherLike | None = None
    clock: Callable[[], datetime] = field(default=utc_now)
    # The source of member, case and provider data; the configured one when not given.
    # None only until __post_init__ fills it, so callers see it always present.
    plandata: PlanData = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.plandata is None:
            object.__setattr__(self, "plandata", open_plan_data(self.db))
        Role(self.principal.role)
        if not CHANNEL_RE.match(self.channel):
            raise InvalidInput(f"channel {self.channel!r} must be a short lowercase word")
        purpose = " ".join(self.purpose.split())
        if not purpose or len(purpose) > PURPOSE_MAX:
            raise InvalidInput(f"a purpose of 1-{PURPOSE_MAX} characters is required")
        object.__setattr__(self, "purpose", purpose)

    @property
    def settings(self) -> ToolsSettings:
        return self.db.settings

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def now(self) -> datetime:
        value = self.clock()
        if value.tzinfo is None:
            raise InvalidInput("the context clock returned a naive datetime")
        return value.astimezone(UTC)

    def today(self) -> date:
        """Today in the plan's time zone."""
        return plan_today(self.zone, self.now)

    def require_searcher(self) -> SearcherLike:
        if self.searcher is None:
            raise ServiceUnavailable(
                "the document index is not available to this tool; run `careassist ingest` and "
                "pass a Searcher in the ToolContext"
            )
        return self.searcher


M = TypeVar("M", bound=BaseModel)


def parse_input(model: type[M], value: M | Mapping[str, Any]) -> M:
    """Validate tool input, turning pydantic's report into one InvalidInput line."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise InvalidInput(validation_message(exc)) from None


def validation_message(exc: ValidationError) -> str:
    messages = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"]) or "input"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "is not an argument of this tool"
        elif err["type"] in {"enum", "literal_error"}:
            msg = f"{err['input']!r} is not allowed; {msg[0].lower()}{msg[1:]}"
        messages.append(f"{where}: {msg}")
    return "; ".join(messages)
