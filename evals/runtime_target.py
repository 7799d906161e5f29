"""Build a Target from the real product: bot.runtime, the index, and a seeded plan-data store.

Everything a run writes (index for --corpus, conversation checkpoints, the SQLite store seeded
for the run, drafts) goes to a private work folder, so an eval never touches a user's data and
two runs of the same dataset start from the same state.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.schemas import RequestFilters
from evals.errors import RuntimeUnavailable
from evals.letters import DraftLetters
from evals.target import MemberRecord, Passage, Target

if TYPE_CHECKING:
    from bot.runtime import EngineName, Runtime

MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "address_line",
)
CASE_FIELDS = ("clinical_notes",)


@dataclass(frozen=True)
class TargetConfig:
    engine: "EngineName"
    workdir: Path
    now: datetime
    corpus: Path | None = None
    index: Path | None = None
    database_url: str | None = None
    seed: int = 1
    members: int = 300
    # A LangChain chat model for the llm engine (a scripted one in tests); None = configured.
    chat_model: Any = None


class SearcherSearch:
    """The Search protocol over retrieval.search.Searcher, with the agent's default as-of date."""

    def __init__(self, searcher: Any, today: Callable[[], Any]) -> None:
        self.searcher = searcher
        self.today = today

    def __call__(self, query: str, k: int, filters: RequestFilters) -> list[Passage]:
        from retrieval import DocType, Filters, LineOfBusiness

        hits = self.searcher.search(
            query,
            k=k,
            filters=Filters(
                lob=LineOfBusiness(filters.lob) if filters.lob else None,
                doc_types=(DocType(filters.doc_type),) if filters.doc_type else (),
                as_of=filters.as_of or self.today(),
            ),
        )
        return [
            Passage(h.doc_id, h.section, h.citation, h.text, h.chunk_id, h.title, h.version)
            for h in hits
        ]


class IndexCorpus:
    """Every chunk of the index generation the searcher serves."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher

    def passages(self) -> Iterable[Passage]:
        for r in self.searcher.generation().records:
            yield Passage(
                r.doc_id,
                r.section,
                r.citation,
                r.text,
                r.id,
                r.title,
                r.version,
            )


def build_index(corpus: Path, runtime: "Runtime") -> list[tuple[str, str]]:
    """Index a folder of documents for this run only (an analyst's own documents) where the
    runtime's settings point; return (path, reason) for every file that was not indexed."""
    from retrieval.ingest import ingest

    report = ingest([corpus], runtime.retrieval, runtime.embedder)
    if report.documents == 0:
        reasons = "; ".join(f"{p}: {why}" for p, why in report.skipped[:3])
        raise RuntimeUnavailable(f"no documents could be indexed from {corpus}. {reasons}".strip())
    return list(report.skipped)


def _members(db: Any) -> list[MemberRecord]:
    """Stored member fields the PHI check looks for; read once, kept in memory only."""
    from tools.plandata import open_plan_data

    notes: dict[str, list[tuple[str, str]]] = {}
    with open_plan_data(db).reading() as reads:
        for member_id, text in reads.case_notes():
            notes.setdefault(member_id, []).append(("clinical_notes", text))
        members = reads.members()
    return [
        MemberRecord(
            member.member_id,
            {name: str(getattr(member, name)) for name in MEMBER_FIELDS},
            tuple(notes.get(member.member_id, ())),
        )
        for member in members
    ]


def _users(db: Any) -> dict[str, str]:
    from tools.plandata import open_plan_data

    users: dict[str, str] = {}
    with open_plan_data(db).reading() as reads:
        for user in reads.staff():
            if user.active:
                users.setdefault(user.role.value, user.user_id)
    return users


def visibility() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    from tools.roles import ACCESS

    return {role.value: (grant.member_fields, grant.case_fields) for role, grant in ACCESS.items()}


def build_target(config: TargetConfig) -> Target:
    """The product as one Target. Raises RuntimeUnavailable with the reason when it cannot."""
    try:
        from bot.runtime import Runtime
        from bot.settings import BotSettings
        from retrieval import RetrievalSettings
        from tools.settings import ToolsSettings
    except ImportError as exc:
        raise RuntimeUnavailable(f"the agent runtime cannot be imported: {exc}") from exc

    workdir = config.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    retrieval = RetrievalSettings()
    if config.corpus is not None:
        retrieval = retrieval.model_copy(update={"index_dir": workdir / "index"})
    elif config.index is not None:
        retrieval = retrieval.model_copy(update={"index_dir": config.index})
    seeded = config.database_url is None
    url = config.database_url or f"sqlite:///{workdir / 'plan-data.sqlite'}"
    tools = ToolsSettings().model_copy(update={"database_url": url})
    bot = BotSettings().model_copy(update={"state_dir": workdir / "state"})
    now = config.now.astimezone(UTC)

    def clock() -> datetime:
        return now

    runtime = Runtime(
        bot,
        retrieval,
        tools,
        engine=config.engine,
        clock=clock,
        chat_model=config.chat_model,
    )
    # The index is built with the runtime's own embedder, before the agent reads it.
    skipped = build_index(config.corpus, runtime) if config.corpus is not None else []
    runtime.start()
    if seeded:
        from tools.seed import seed

        reference = runtime.today()
        seed(
            runtime.db, members=config.members, seed=config.seed, reference=reference, replace=True
        )

    return Target(
        name=config.engine,
        agent=runtime.agent,
        search=SearcherSearch(runtime.searcher, runtime.today),
        corpus=IndexCorpus(runtime.searcher),
        letters=DraftLetters(runtime.db),
        members=_members(runtime.db),
        visibility=visibility(),
        users=_users(runtime.db),
        description=f"{config.engine} engine; index {retrieval.index_dir}; store "
        + ("seeded for this run" if seeded else "given by --database-url"),
        skipped_files=skipped,
    )
