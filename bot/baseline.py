"""The naive baseline evals and benchmarks compare against: the top-1 chunk, verbatim."""

from bot.schemas import AgentReply
from bot.turn import Turn, citation_of
from retrieval import Searcher


class BaselineEngine:
    name = "baseline"

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher

    def respond(self, turn: Turn) -> AgentReply:
        hits = self.searcher.search(turn.text, k=1, filters=turn.filters())
        if not hits:
            return AgentReply(answer="", intent=turn.route.intent, abstained=True)
        return AgentReply(
            answer=f"{hits[0].text} [1]",
            intent=turn.route.intent,
            citations=[citation_of(1, hits[0])],
            thread_id=turn.request.thread_id,
        )
