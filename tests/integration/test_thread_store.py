"""Conversation threads: in the configured database (SQLite or PostgreSQL), shared by hosts,
never written for a one-shot question, and expired after CAREASSIST_THREAD_TTL_DAYS."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.agent import Agent
from bot.router import Router
from bot.runtime import make_checkpointer
from bot.schema import init_db
from bot.schemas import AgentReply, AgentRequest
from bot.settings import BotSettings
from bot.threads import ThreadStore
from bot.turn import Turn
from tests.support import HashEmbedder
from tests.tools_support import BACKENDS
from tools.context import ToolContext
from tools.db import Database
from tools.roles import Principal
from tools.settings import ToolsSettings


class CountingEngine:
    """Says how many earlier turns of its thread it was given."""

    name = "counting"

    def respond(self, turn: Turn) -> AgentReply:
        return AgentReply(answer=f"{len(turn.history)} earlier turn(s)", intent=turn.route.intent)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=BACKENDS)
def tools_settings(request: pytest.FixtureRequest, tmp_path: Path) -> ToolsSettings:
    url = (
        f"sqlite:///{tmp_path}/store.db"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    init_db(url)
    return ToolsSettings(database_url=url)


class Host:
    """One process's agent: its own checkpointer and connections, the shared database."""

    def __init__(self, tools: ToolsSettings, state_dir: Path, clock: Clock, ttl_days: int) -> None:
        bot = BotSettings(_env_file=None, state_dir=state_dir, thread_ttl_days=ttl_days)
        self.db = Database(tools)
        self.saver = make_checkpointer(bot, tools)
        self.threads = ThreadStore(self.db, self.saver, ttl_days, clock)

        def context_for(principal: Principal, channel: str, purpose: str) -> ToolContext:
            return ToolContext(principal=principal, db=self.db, purpose=purpose, channel=channel)

        self.agent = Agent(
            CountingEngine(),
            Router(HashEmbedder()),
            context_for,
            self.saver,
            4000,
            lambda: clock().date(),
            threads=self.threads,
        )

    def ask(self, text: str, thread_id: str | None) -> str:
        request = AgentRequest(
            user_id="ur.blake", role="um_reviewer", text=text, thread_id=thread_id
        )
        return self.agent.ask(request).answer

    def close(self) -> None:
        closer: Any = getattr(self.saver, "close", None)
        if closer:
            closer()
        self.db.dispose()


@pytest.fixture
def hosts(tools_settings: ToolsSettings, tmp_path: Path) -> Iterator[tuple[Host, Host, Clock]]:
    clock = Clock()
    a = Host(tools_settings, tmp_path / "host-a", clock, 30)
    b = Host(tools_settings, tmp_path / "host-b", clock, 30)
    yield a, b, clock
    a.close()
    b.close()


def checkpoint_rows(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM checkpoints")) or 0


def test_a_one_shot_question_writes_no_thread(hosts: tuple[Host, Host, Clock]) -> None:
    a, _, _ = hosts
    a.ask("How fast is an expedited decision?", None)
    a.ask("criteria for 72148", None)
    assert checkpoint_rows(a.db) == 0
    assert a.threads.count() == 0


def test_threads_live_in_the_database_and_another_host_continues_them(
    hosts: tuple[Host, Host, Clock], tmp_path: Path
) -> None:
    a, b, _ = hosts
    assert a.ask("How fast is an expedited decision?", "api:ur.blake:T1") == "0 earlier turn(s)"
    assert b.ask("and for Medicaid?", "api:ur.blake:T1") == "1 earlier turn(s)"
    assert a.ask("and for commercial?", "api:ur.blake:T1") == "2 earlier turn(s)"
    assert checkpoint_rows(a.db) > 0
    assert not list(tmp_path.rglob("threads.sqlite"))  # nothing beside the configured database


def test_a_thread_idle_longer_than_the_ttl_is_forgotten_and_pruned(
    hosts: tuple[Host, Host, Clock],
) -> None:
    a, b, clock = hosts
    a.ask("How fast is an expedited decision?", "old-thread")
    a.ask("and for Medicaid?", "old-thread")
    clock.now += timedelta(days=20)
    a.ask("How fast is a standard decision?", "recent-thread")
    clock.now += timedelta(days=11)  # old-thread: 31 days idle; recent-thread: 11
    assert b.threads.prune() == 1
    assert b.threads.count() == 1
    assert a.ask("and for Medicaid?", "old-thread") == "0 earlier turn(s)"
    assert a.ask("and for Medicaid?", "recent-thread") == "1 earlier turn(s)"


def test_an_expired_thread_is_not_resumed_even_before_a_prune(
    hosts: tuple[Host, Host, Clock],
) -> None:
    a, _, clock = hosts
    a.ask("How fast is an expedited decision?", "stale")
    clock.now += timedelta(days=31)
    assert a.ask("and for Medicaid?", "stale") == "0 earlier turn(s)"
