"""Build everything a face needs once per process: model, index, database, engine, agent."""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.agent import Agent
from bot.composer import Composer
from bot.router import Router
from bot.settings import BotSettings
from bot.threads import ThreadStore
from bot.turn import Engine
from retrieval.embed import Embedder, load_embedder
from retrieval.index import IndexStore
from retrieval.search import Searcher
from retrieval.settings import RetrievalSettings
from tools.context import ToolContext, utc_now
from tools.db import Database, normalise_url
from tools.roles import Principal
from tools.settings import ToolsSettings

EngineName = Literal["offline", "llm", "baseline"]


@dataclass
class Runtime:
    bot: BotSettings
    retrieval: RetrievalSettings
    tools: ToolsSettings
    embedder: Embedder
    searcher: Searcher
    db: Database
    composer: Composer
    engine: Engine
    agent: Agent
    clock: Callable[[], datetime] = field(default=utc_now)

    def tool_context(self, principal: Principal, channel: str, purpose: str) -> ToolContext:
        return ToolContext(
            principal=principal,
            db=self.db,
            purpose=purpose,
            channel=channel,
            searcher=self.searcher,
            clock=self.clock,
        )

    def ready(self) -> dict[str, bool]:
        checks = {"model": self.embedder is not None, "index": False, "database": False}
        checks["index"] = IndexStore(self.retrieval).current_name() is not None
        try:
            with self.db.read_only() as session:
                session.execute(sa.text("SELECT 1"))
            checks["database"] = True
        except Exception:
            checks["database"] = False
        return checks

    def close(self) -> None:
        closer = getattr(self.agent.graph.checkpointer, "close", None)
        if closer is not None:
            closer()
        self.db.dispose()


def make_checkpointer(bot: BotSettings, tools: ToolsSettings) -> Any:
    """LangGraph's own checkpointer on the configured database, so every host shares threads:
    PostgresSaver on PostgreSQL, SqliteSaver on the SQLite file (in-memory: under state_dir)."""
    if make_url(tools.database_url).get_backend_name() == "postgresql":
        return _postgres_checkpointer(tools)
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = tools.sqlite_path()
    if path is None:
        bot.state_dir.mkdir(parents=True, exist_ok=True)
        path = bot.state_dir / "threads.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    # One connection shared by the process's threads; SQLite in WAL mode serialises writers,
    # so several API workers can share the file.
    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    # Thread memory, not a record: with WAL, NORMAL skips the fsync per commit; a process crash
    # loses nothing, a power cut at worst the last turns of a conversation.
    conn.execute("PRAGMA synchronous=NORMAL")
    saver = SqliteSaver(conn)
    saver.setup()
    saver.close = conn.close  # type: ignore[attr-defined]
    return saver


def _postgres_checkpointer(tools: ToolsSettings) -> Any:
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    # psycopg takes the same URL without SQLAlchemy's driver suffix (options= keeps the schema).
    conninfo = (
        normalise_url(tools.database_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )
    pool = ConnectionPool(
        conninfo,
        min_size=1,
        max_size=tools.db_pool_size,
        kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
        open=True,
    )
    saver = PostgresSaver(pool)  # type: ignore[arg-type]
    saver.setup()
    saver.close = pool.close  # type: ignore[attr-defined]
    return saver


def build_engine(
    name: EngineName, bot: BotSettings, searcher: Searcher, composer: Composer, chat_model: Any
) -> Engine:
    if name == "baseline":
        from bot.baseline import BaselineEngine

        return BaselineEngine(searcher)
    if name == "llm":
        from bot.llm import LLMEngine, chat_model_from_settings

        return LLMEngine(chat_model or chat_model_from_settings(bot), searcher)
    from bot.offline import OfflineEngine

    return OfflineEngine(searcher, composer)


def build_runtime(
    bot: BotSettings | None = None,
    retrieval: RetrievalSettings | None = None,
    tools: ToolsSettings | None = None,
    engine: EngineName | None = None,
    clock: Callable[[], datetime] = utc_now,
    chat_model: Any = None,
    migrate: bool = True,
    warm: bool = True,
) -> Runtime:
    """`engine` defaults to llm when CAREASSIST_LLM is set (or a chat_model is given)."""
    bot = bot or BotSettings()
    retrieval = retrieval or RetrievalSettings()
    tools = tools or ToolsSettings()
    embedder = load_embedder(
        retrieval.embedding_model,
        retrieval.embedding_sha256,
        retrieval.torch_threads,
        retrieval.embed_batch_size,
    )
    searcher = Searcher(retrieval, embedder)
    db = Database(tools)
    if migrate:
        db.migrate()
    composer = Composer(
        embedder, bot.abstain_threshold, term_stats=searcher.term_stats, resolve=searcher.passage
    )
    name: EngineName = engine or ("llm" if (bot.llm or chat_model is not None) else "offline")
    eng = build_engine(name, bot, searcher, composer, chat_model)
    runtime_ref: dict[str, Runtime] = {}

    def context_for(principal: Principal, channel: str, purpose: str) -> ToolContext:
        return runtime_ref["rt"].tool_context(principal, channel, purpose)

    def today() -> date:
        return clock().astimezone(tools.zone).date()

    saver = make_checkpointer(bot, tools)
    threads = ThreadStore(db, saver, bot.thread_ttl_days, clock)
    agent = Agent(
        eng,
        Router(embedder),
        context_for,
        saver,
        bot.max_message_chars,
        today,
        threads=threads,
    )
    rt = Runtime(bot, retrieval, tools, embedder, searcher, db, composer, eng, agent, clock)
    runtime_ref["rt"] = rt
    if warm and bot.warm_sentence_limit and IndexStore(retrieval).current_name():
        composer.warm(searcher, bot.warm_sentence_limit)
    return rt
