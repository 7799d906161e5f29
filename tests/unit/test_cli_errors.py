"""The CLI's one error mapping: the exit status comes from the error's kind, and every command
of the application goes through it."""

import typer
from typer.testing import CliRunner

from bot.cli import app
from bot.cli_errors import exit_code, handle_errors
from bot.errors import EngineUnavailable, MessageTooLong
from retrieval.errors import IndexNotFound
from tools.errors import MemberNotFound, PermissionDenied, ToolError


def test_exit_status_is_the_error_kinds_own() -> None:
    assert exit_code(MemberNotFound("M1000001")) == 2
    assert exit_code(PermissionDenied("no")) == 2
    assert exit_code(ToolError("x")) == 1
    assert exit_code(MessageTooLong("long")) == 2
    assert exit_code(EngineUnavailable("down")) == 1
    assert exit_code(IndexNotFound("none")) == 2


def test_every_command_of_careassist_is_wrapped_by_the_mapping() -> None:
    def commands(group: typer.Typer) -> list[object]:
        found = [c.callback for c in group.registered_commands]
        for sub in group.registered_groups:
            if sub.typer_instance is not None:
                found += commands(sub.typer_instance)
        return found

    callbacks = commands(app)
    assert len(callbacks) > 20
    assert all(hasattr(c, "__wrapped__") for c in callbacks)


def test_a_known_error_is_one_line_and_its_exit_status() -> None:
    demo = typer.Typer()

    @demo.command()
    def look(member_id: str) -> None:
        raise MemberNotFound(member_id)

    handle_errors(demo)
    result = CliRunner().invoke(demo, ["M1000009"])  # one command: no name
    assert result.exit_code == 2
    assert result.output.strip() == "error: no member with id M1000009"
