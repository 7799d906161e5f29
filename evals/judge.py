"""An optional LLM judge of faithfulness, off by default.

Every gated metric is deterministic without it. When enabled (`--judge SPEC`), it adds one score
per answered case, reported beside the others, never gated and never part of the determinism
fingerprint: an LLM's verdict is not reproducible.
"""

import json
import re
from typing import Protocol

PROMPT = """You check whether an answer is fully supported by the passages it cites.
Passages:
{passages}

Question: {question}
Answer: {answer}

Reply with JSON only: {{"score": S}} where S is the share (0 to 1) of the answer's claims that
the passages state. Do not use outside knowledge."""


class Judge(Protocol):
    def faithfulness(self, question: str, answer: str, passages: list[str]) -> float: ...


def parse_score(text: str) -> float:
    """The score from the judge's reply; a reply without one is an error, not a zero."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if not match:
        raise ValueError("the judge did not reply with JSON")
    value = float(json.loads(match.group(0))["score"])
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"the judge's score {value} is outside 0..1")
    return round(value, 4)


class ChatModelJudge:
    """Any LangChain chat model (an init_chat_model spec such as 'openai:gpt-4o-mini')."""

    def __init__(self, spec: str) -> None:
        from langchain.chat_models import init_chat_model

        self.model = init_chat_model(spec, temperature=0)

    def faithfulness(self, question: str, answer: str, passages: list[str]) -> float:
        listing = "\n".join(f"[{i}] {p}" for i, p in enumerate(passages, 1))
        reply = self.model.invoke(PROMPT.format(passages=listing, question=question, answer=answer))
        return parse_score(str(reply.content))
