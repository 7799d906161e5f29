"""What an engine gets for one turn, and the helpers engines share to build a reply."""

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from bot.followup import Remembered
from bot.router import Route
from bot.schemas import AgentReply, AgentRequest, Citation
from bot.toolrunner import ToolRunner
from retrieval import DocType, Filters, Hit, LineOfBusiness
from tools.roles import Principal


@dataclass
class Turn:
    request: AgentRequest
    principal: Principal
    route: Route
    text: str
    runner: ToolRunner
    today: date
    history: list[Remembered] = field(default_factory=list)

    def filters(self, doc_types: tuple[DocType, ...] = ()) -> Filters:
        lob = self.route.lob or self.request.filters.lob
        requested = self.request.filters.doc_type
        types = doc_types or ((DocType(requested),) if requested else ())
        return Filters(
            lob=LineOfBusiness(lob) if lob else None,
            doc_types=types,
            as_of=self.route.as_of or self.request.filters.as_of or self.today,
        )


class Engine(Protocol):
    name: str

    def respond(self, turn: Turn) -> AgentReply: ...


def citation_of(n: int, hit: Hit, pinpoint: str | None = None) -> Citation:
    """Cite a passage; `pinpoint` names the paragraph of it the answer quotes."""
    return Citation(
        n=n,
        doc_id=hit.doc_id,
        citation=pinpoint or hit.citation,
        title=hit.title,
        text=hit.text,
        source_path=hit.source_path,
        section=hit.section,
        effective_date=hit.effective_date,
        version=hit.version,
    )


def closest_passages(hits: list[Hit], count: int = 2) -> tuple[str, list[Citation]]:
    """The abstention footer: where a reviewer could look next."""
    shown = hits[:count]
    if not shown:
        return "", []
    names = "; ".join(f"[{n}] {h.citation}, {h.title}" for n, h in enumerate(shown, 1))
    return f" Closest passages: {names}.", [citation_of(n, h) for n, h in enumerate(shown, 1)]
