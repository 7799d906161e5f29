"""What the harness evaluates: a small interface in front of the agent and its evidence.

The real runtime (bot.runtime) and the deterministic fakes used in tests both satisfy these
protocols, so every metric is proven on a fake and then applied unchanged to the real agent.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from bot.schemas import AgentReply, AgentRequest, RequestFilters


@dataclass(frozen=True)
class Passage:
    """A retrievable unit of the corpus, as the metrics need it."""

    doc_id: str
    section: str
    citation: str
    text: str
    chunk_id: str = ""
    title: str = ""
    version: str = ""


class Agent(Protocol):
    def ask(self, request: AgentRequest) -> AgentReply: ...


class Search(Protocol):
    """Best-first passages for a query under the request's filters."""

    def __call__(self, query: str, k: int, filters: RequestFilters) -> list[Passage]: ...


@dataclass(frozen=True)
class LetterCheck:
    """What the product's letter checker says about one draft."""

    required: tuple[str, ...]
    missing: tuple[str, ...]


class Letters(Protocol):
    """Access to drafted letters and to the product's completeness checker."""

    def text(self, draft_id: str) -> tuple[str, str] | None:
        """(letter program, body) of a draft, or None when there is no such draft. The program
        is a line of business, or medicare_part_b_drug."""
        ...

    def check(self, program: str, text: str) -> LetterCheck: ...


@dataclass(frozen=True)
class MemberRecord:
    """A member's stored fields and (field, value) pairs from the member's cases, for PHI
    checks. Held in memory for the run only; results name fields, never values."""

    member_id: str
    fields: dict[str, str]
    case_fields: tuple[tuple[str, str], ...] = ()


class Corpus(Protocol):
    """Every passage in the index, to check that a cited passage exists at all."""

    def passages(self) -> Iterable[Passage]: ...


@dataclass
class Target:
    """Everything one run evaluates, built once at the entry point."""

    name: str
    agent: Agent
    search: Search | None = None
    corpus: Corpus | None = None
    letters: Letters | None = None
    members: list[MemberRecord] = field(default_factory=list)
    # Field visibility per role: role -> (member fields, case fields) it may see.
    visibility: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    # Known user ids per role, so requests come from a principal the store knows.
    users: dict[str, str] = field(default_factory=dict)
    description: str = ""
    # (path, reason) for each file of a --corpus folder the index could not take.
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
