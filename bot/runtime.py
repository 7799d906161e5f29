"""The composition root: every part a face needs (database, embedder, searcher, engine, agent),
built from the settings classes on first use and kept for the life of the process.

Every face gets its parts here: the CLI, the API, Slack (HTTP and Socket Mode), the eval
harness and the benchmarks. Parts are lazy, so a command that needs only the database never
imports sentence-transformers; a face that serves answers calls `start()` to build them all
before its first request. Tests plug deterministic fakes in as parts (`db=`, `agent=`, ...).
"""

import sqlite3
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sqlalchemy.engine import make_url

from bot.settings import BotSettings
from retrieval.settings import RetrievalSettings
from tools.context import ToolContext, plan_today, utc_now
from tools.db import Database, normalise_url
from tools.plandata import PlanData, open_plan_data
from tools.roles import Principal, Role
from tools.settings import ToolsSettings

if TYPE_CHECKING:
    from bot.agent import Agent
    from bot.composer import Composer
    from bot.turn import Engine
    from retrieval.embed import Embedder
    from retrieval.search import Searcher

EngineName = Literal["offline", "llm", "baseline"]
ENGINES: tuple[EngineName, ...] = ("offline", "llm", "baseline")
T = TypeVar("T")


class Runtime:
    """One per process. A part given to the constructor is used as is instead of being built."""

    def __init__(
        self,
        bot: BotSettings | None = None,
        retrieval: RetrievalSettings | None = None,
        tools: ToolsSettings | None = None,
        *,
        engine: EngineName | None = None,
        clock: Callable[[], datetime] = utc_now,
        chat_model: Any = None,
        migrate: bool = True,
        db: Database | None = None,
        embedder: "Embedder | None" = None,
        searcher: "Searcher | None" = None,
        agent: "Agent | None" = None,
    ) -> None:
        self.bot = bot or BotSettings()
        self.retrieval = retrieval or RetrievalSettings()
        self.tools = tools or (db.settings if db is not None else ToolsSettings())
        # Defaults to llm when CAREASSIST_LLM is set (or a chat model is given).
        self.engine_name: EngineName = engine or (
            "llm" if (self.bot.llm or chat_model is not None) else "offline"
        )
        self.clock = clock
        self.chat_model = chat_model
        self.migrate = migrate
        given = {"db": db, "embedder": embedder, "searcher": searcher, "agent": agent}
        self._parts: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        # Reentrant: building the agent builds the embedder, searcher and database under it.
        self._lock = threading.RLock()

    def _part(self, name: str, build: Callable[[], T]) -> T:
        found = self._parts.get(name)
        if found is not None:
            return found
        with self._lock:
            if name not in self._parts:
                self._parts[name] = build()
            return self._parts[name]

    def built(self, name: str) -> bool:
        """Whether a part exists yet (tests prove a command never loaded the model)."""
        return name in self._parts

    @property
    def db(self) -> Database:
        return self._part("db", self._build_db)

    @property
    def plandata(self) -> PlanData:
        """The member, case and provider source, opened once per process (a FHIR or payer
        client keeps its connections; the SQL one is the database above)."""
        return self._part("plandata", lambda: open_plan_data(self.db))

    @property
    def embedder(self) -> "Embedder":
        return self._part("embedder", self._build_embedder)

    @property
    def searcher(self) -> "Searcher":
        return self._part("searcher", self._build_searcher)

    @property
    def composer(self) -> "Composer":
        return self._part("composer", self._build_composer)

    @property
    def engine(self) -> "Engine":
        return self._part("engine", self._build_engine)

    @property
    def checkpointer(self) -> Any:
        return self._part("checkpointer", lambda: make_checkpointer(self.bot, self.tools))

    @property
    def agent(self) -> "Agent":
        return self._part("agent", self._build_agent)

    def today(self) -> date:
        """Today in the plan's time zone, by the runtime's clock."""
        return plan_today(self.tools.zone, self.clock)

    def tool_context(
        self, principal: Principal, channel: str, purpose: str, *, search: bool = True
    ) -> ToolContext:
        """`search=False` for a caller that must not load the model (the CLI's tool commands:
        without a searcher, tools that would quote the index say it is not available)."""
        return ToolContext(
            principal=principal,
            db=self.db,
            purpose=purpose,
            channel=channel,
            searcher=self.searcher if search else None,
            clock=self.clock,
            plandata=self.plandata,
        )

    def principal(self, user_id: str | None, as_role: Role | None = None) -> Principal:
        """The staff principal for a user id (default: CAREASSIST_USER) from the staff table."""
        from tools.users import principal_for

        return principal_for(self.db, user_id or self.tools.user, as_role)

    def start(self, warm: bool = True) -> "Runtime":
        """Build every part now (a serving face's start-up) and, with `warm`, encode the
        sentences of a small index so first answers are fast."""
        from retrieval.index import IndexStore

        self.agent  # noqa: B018 - builds the engine, searcher, embedder and database with it
        if warm and self.bot.warm_sentence_limit and IndexStore(self.retrieval).current_name():
            self.composer.warm(self.searcher, self.bot.warm_sentence_limit)
        return self

    def ready(self) -> dict[str, bool]:
        import sqlalchemy as sa

        from retrieval.index import IndexStore

        checks = {"model": False, "index": False, "database": False}
        try:
            checks["model"] = self.embedder is not None
        except Exception:
            checks["model"] = False
        checks["index"] = IndexStore(self.retrieval).current_name() is not None
        try:
            with self.db.read_only() as session:
                session.execute(sa.text("SELECT 1"))
            checks["database"] = True
        except Exception:
            checks["database"] = False
        return checks

    def close(self) -> None:
        """Release what was built (never builds anything to close it)."""
        saver = self._parts.get("checkpointer")
        closer = getattr(saver, "close", None)
        if closer is not None:
            closer()
        if "db" in self._parts:
            self._parts["db"].dispose()

    def _build_db(self) -> Database:
        db = Database(self.tools)
        if self.migrate:
            # Tools' schema, then bot's own tables (bot/migrations).
            from bot.schema import migrate

            migrate(db)
        return db

    def _build_embedder(self) -> "Embedder":
        from retrieval.embed import load_embedder

        r = self.retrieval
        return load_embedder(
            r.embedding_model, r.embedding_sha256, r.torch_threads, r.embed_batch_size
        )

    def _build_searcher(self) -> "Searcher":
        from retrieval.search import Searcher

        return Searcher(self.retrieval, self.embedder)

    def _build_composer(self) -> "Composer":
        from bot.composer import Composer

        searcher = self.searcher
        return Composer(
            self.embedder,
            self.bot.abstain_threshold,
            term_stats=searcher.term_stats,
            resolve=searcher.passage,
        )

    def _build_engine(self) -> "Engine":
        name = self.engine_name
        if name == "baseline":
            from bot.baseline import BaselineEngine

            return BaselineEngine(self.searcher)
        if name == "llm":
            from bot.llm import LLMEngine, chat_model_from_settings

            return LLMEngine(self.chat_model or chat_model_from_settings(self.bot), self.searcher)
        from bot.offline import OfflineEngine

        return OfflineEngine(self.searcher, self.composer)

    def _build_agent(self) -> "Agent":
        from bot.agent import Agent
        from bot.router import Router
        from bot.threads import ThreadStore

        db = self.db  # migrated before the checkpointer shares its SQLite file
        engine = self.engine
        saver = self.checkpointer
        return Agent(
            engine,
            Router(self.embedder),
            self.tool_context,
            saver,
            # A message the agent accepts must be one search accepts too.
            min(self.bot.max_message_chars, self.retrieval.max_query_chars),
            self.today,
            threads=ThreadStore(db, saver, self.bot.thread_ttl_days, self.clock),
        )


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
    """A runtime with every part built now: what a face that answers questions starts with."""
    runtime = Runtime(
        bot, retrieval, tools, engine=engine, clock=clock, chat_model=chat_model, migrate=migrate
    )
    return runtime.start(warm=warm)


def strict_serde() -> Any:
    """Checkpoints revive only LangGraph's safe types plus the models the agent's state holds
    (the Agent adds them), so a row written by anyone else cannot name a class to build."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    return JsonPlusSerializer(allowed_msgpack_modules=None)


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
    saver = SqliteSaver(conn, serde=strict_serde())
    saver.setup()
    # The Runtime closes every checkpointer the same way; the savers have no close of their own.
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
    # dict_row arrives through kwargs, so the pool's type still says tuple rows.
    saver = PostgresSaver(pool, serde=strict_serde())  # type: ignore[arg-type]
    saver.setup()
    saver.close = pool.close  # type: ignore[attr-defined]  # as the SQLite saver's close
    return saver
