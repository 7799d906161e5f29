"""`careassist ask` and `careassist chat`: the agent from a terminal."""

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from bot.cli_errors import KNOWN, message
from bot.schemas import AgentReply, AgentRequest
from tools.roles import Principal, Role

if TYPE_CHECKING:
    from bot.runtime import Runtime

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

AsRole = Annotated[Role | None, typer.Option("--as", help="Role you act in")]
UserOpt = Annotated[
    str | None, typer.Option("--user", help="Your staff user id (default: CAREASSIST_USER)")
]
IndexOpt = Annotated[Path | None, typer.Option("--index", help="Index directory")]
EngineOpt = Annotated[
    str | None, typer.Option("--engine", help="offline, llm or baseline (default: from settings)")
]


def _runtime(index: Path | None, engine: str | None) -> "Runtime":
    from bot.cli_runtime import runtime

    return runtime(index, engine=engine).start()


def _ask(
    rt: "Runtime", principal: Principal, text: str, thread: str | None, channel: str = "cli"
) -> AgentReply:
    """`thread` None: a one-shot question, which writes no thread."""
    request = AgentRequest(
        user_id=principal.user_id,
        role=principal.role.value,
        text=text,
        channel=channel,
        thread_id=thread,
        display_name=principal.display_name,
    )
    return rt.agent.ask(request)


def public_json(reply: AgentReply) -> dict[str, Any]:
    """The stable `ask --json` shape the eval harness and scripts depend on."""
    return {
        "answer": reply.answer,
        "abstained": reply.abstained,
        "intent": reply.intent.value,
        "citations": [
            {
                "n": c.n,
                "doc_id": c.doc_id,
                "citation": c.citation,
                "title": c.title,
                "text": c.text,
                "source_path": c.source_path,
            }
            for c in reply.citations
        ],
        "tool_calls": [c.model_dump(mode="json") for c in reply.tool_calls],
        "draft_id": reply.draft_id,
        "notices": reply.notices,
    }


def show(reply: AgentReply) -> None:
    console.print(reply.answer, highlight=False, markup=False)
    for c in reply.citations:
        console.print(
            f"  [{c.n}] {c.citation}, {c.title} ({c.source_path})", highlight=False, markup=False
        )
    if reply.draft_id:
        console.print(f"  draft: {reply.draft_id}", highlight=False)
    for notice in reply.notices:
        console.print(f"  [yellow]note:[/] {escape(notice)}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def ask(
        question: Annotated[str, typer.Argument(help="Your question, in your own words")],
        as_role: AsRole = None,
        user: UserOpt = None,
        index: IndexOpt = None,
        engine: EngineOpt = None,
        thread: Annotated[str | None, typer.Option("--thread", help="Continue a thread")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the reply as JSON")] = False,
    ) -> None:
        """Ask one question; the answer cites the passages it rests on."""
        rt = _runtime(index, engine)
        reply = _ask(rt, rt.principal(user, as_role), question, thread)
        if as_json:
            print(json.dumps(public_json(reply), indent=2))
        else:
            show(reply)

    @app.command()
    def chat(
        as_role: AsRole = None,
        user: UserOpt = None,
        index: IndexOpt = None,
        engine: EngineOpt = None,
    ) -> None:
        """A conversation in the terminal: follow-ups remember the thread. Ctrl-D ends it."""
        rt = _runtime(index, engine)
        principal = rt.principal(user, as_role)
        thread = uuid.uuid4().hex
        console.print(
            f"careassist ({principal.role.value} {principal.user_id}); thread {thread[:8]}. "
            "Type 'help' for examples, Ctrl-D to quit.",
            highlight=False,
        )
        while True:
            try:
                text = console.input("[bold]> [/]")
            except (EOFError, KeyboardInterrupt):
                console.print()
                return
            if not text.strip():
                continue
            try:
                show(_ask(rt, principal, text, thread))
            except KNOWN as exc:
                # A conversation goes on after a refused turn: said in red, not an exit.
                err_console.print(f"[red]{escape(message(exc))}[/]", highlight=False)
