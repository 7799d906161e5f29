"""What the service needs from the assistant's runtime (bot.runtime.Runtime satisfies it).

Typed as a Protocol so the API and the Slack app can run on a deterministic fake in tests and
on the real agent, index and database in production, built in one factory.
"""

from typing import Protocol

from bot.schemas import AgentReply, AgentRequest
from retrieval.filters import Filters
from retrieval.search import Hit
from tools.context import ToolContext
from tools.db import Database
from tools.roles import Principal


class AgentPort(Protocol):
    def ask(self, request: AgentRequest) -> AgentReply: ...


class SearcherPort(Protocol):
    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]: ...


class Runtime(Protocol):
    @property
    def agent(self) -> AgentPort: ...

    @property
    def searcher(self) -> SearcherPort: ...

    @property
    def db(self) -> Database: ...

    def tool_context(self, principal: Principal, channel: str, purpose: str) -> ToolContext: ...

    def ready(self) -> dict[str, bool]: ...
