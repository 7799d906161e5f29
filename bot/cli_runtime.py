"""How a CLI command gets its parts: one lazy Runtime per command, from the settings classes.

A command touches only the parts it uses, so `careassist member ...` opens the database and
never loads the embedding model; `careassist ask` builds the agent.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.cli_errors import fail
from bot.runtime import ENGINES, Runtime
from bot.settings import BotSettings
from retrieval import RetrievalSettings
from tools.context import ToolContext
from tools.roles import Role
from tools.settings import ToolsSettings


def retrieval_settings(index: Path | None = None) -> RetrievalSettings:
    settings = RetrievalSettings()
    if index is not None:
        settings = settings.model_copy(update={"index_dir": index})
    return settings


def runtime(
    index: Path | None = None,
    *,
    engine: str | None = None,
    tools: ToolsSettings | None = None,
    migrate: bool = True,
) -> Runtime:
    """Settings are read here, once per command; nothing is built until a part is used."""
    if engine is not None and engine not in ENGINES:
        raise fail(f"unknown engine '{engine}': use offline, llm or baseline")
    return Runtime(
        BotSettings(),
        retrieval_settings(index),
        tools or ToolsSettings(),
        engine=engine,
        migrate=migrate,
    )


@contextmanager
def tool_context(
    user: str | None,
    as_role: Role | None,
    purpose: str,
    tools: ToolsSettings | None = None,
    rt: Runtime | None = None,
) -> Iterator[ToolContext]:
    """The caller's context for a tools command (no searcher: the model is not loaded).

    The schema is not migrated here: a store that was never set up says so (StoreNotInitialised).
    """
    rt = rt or runtime(tools=tools, migrate=False)
    try:
        yield rt.tool_context(rt.principal(user, as_role), "cli", purpose, search=False)
    finally:
        rt.close()
