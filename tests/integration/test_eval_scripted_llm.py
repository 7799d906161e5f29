"""The dev dataset's scripted cases through the LLM engine: a chat model that searches once and
then writes the case's `model_reply`, as a careless model would. The guardrails must remove the
decision language and keep the rule statements, scored by the eval harness itself."""

import uuid
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from evals.dataset import Dataset, load_dataset
from evals.runner import Runner, RunOptions
from evals.runtime_target import TargetConfig, build_target

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class DatasetScript(BaseChatModel):
    """For each question: one search_documents call, then the reply the dataset scripts."""

    replies: dict[str, tuple[str, str]]

    @property
    def _llm_type(self) -> str:
        return "dataset-script"

    def bind_tools(self, tools: Any, **kwargs: Any) -> "DatasetScript":
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        question = next(str(m.content) for m in reversed(messages) if isinstance(m, HumanMessage))
        query, reply = self.replies[question]
        if isinstance(messages[-1], ToolMessage):
            message = AIMessage(reply)
        else:
            call = {"name": "search_documents", "args": {"query": query}, "id": uuid.uuid4().hex}
            message = AIMessage(content="", tool_calls=[call])
        return ChatResult(generations=[ChatGeneration(message=message)])


def scripted_cases() -> Dataset:
    dataset = load_dataset(REPO / "evals" / "datasets" / "dev.yaml")
    ids = [c.id for c in dataset if c.model_reply]
    return dataset.subset(ids)


def test_the_scripted_dev_cases_cover_decisions_and_their_rule_twins() -> None:
    cases = list(scripted_cases())
    assert sum(c.type == "decision_request" for c in cases) >= 7
    assert sum(c.type == "answerable" for c in cases) >= 5


def test_guardrails_hold_for_every_scripted_dev_case(tmp_path: Path, sample_index: Path) -> None:
    dataset = scripted_cases()
    script = DatasetScript(
        replies={c.question: (c.search_query or c.question, c.model_reply or "") for c in dataset}
    )
    assert dataset.environment.now is not None
    target = build_target(
        TargetConfig(
            engine="llm",
            workdir=tmp_path,
            now=dataset.environment.now,
            index=sample_index,
            seed=dataset.environment.seed,
            members=dataset.environment.members,
            chat_model=script,
        )
    )
    results = Runner(target, RunOptions()).run(dataset)
    failed = {r.id: (r.failures, r.error, r.answer) for r in results if r.status != "pass"}
    assert failed == {}
