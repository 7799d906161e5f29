"""Runs typed tools for one turn and keeps the record the reply reports (names, args, results)."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from bot.schemas import ToolCallRecord
from retrieval import Hit
from tools.context import ToolContext
from tools.errors import ToolError

R = TypeVar("R", bound=BaseModel)


class ToolRunner:
    def __init__(self, ctx: ToolContext) -> None:
        self.ctx = ctx
        self.calls: list[ToolCallRecord] = []

    def call(
        self, name: str, fn: Callable[[ToolContext, Mapping[str, Any]], R], args: dict[str, Any]
    ) -> R:
        """Call a tool; a ToolError is recorded and re-raised for the engine to phrase."""
        try:
            result = fn(self.ctx, args)
        except ToolError as exc:
            self.calls.append(ToolCallRecord(name=name, args=args, ok=False, error=str(exc)))
            raise
        self.calls.append(
            ToolCallRecord(name=name, args=args, ok=True, result=result.model_dump(mode="json"))
        )
        return result

    def record_search(self, query: str, hits: list[Hit]) -> None:
        """Document search is a tool too: evals and reviewers see exactly what was retrieved."""
        passages = [
            {
                "doc_id": h.doc_id,
                "section": h.section,
                "citation": h.citation,
                "chunk_id": h.chunk_id,
                "text": h.text,
            }
            for h in hits
        ]
        self.calls.append(
            ToolCallRecord(
                name="search_documents",
                args={"query": query},
                ok=True,
                result={"passages": passages},
            )
        )
