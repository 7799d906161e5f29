"""The one place the CLI turns an error into a line on stderr and an exit status.

The status comes from the error's kind: tool and agent errors carry their own `exit_code`
(2 for a request that cannot be done as asked; 1 for a language model that cannot be reached),
retrieval errors and bad settings are 2. Commands raise; `handle_errors` wraps every command
of the application once, so no command converts errors itself.
"""

import functools
from collections.abc import Callable
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot.errors import BotError
from retrieval import RetrievalError
from tools.errors import ToolError

KNOWN: tuple[type[Exception], ...] = (ToolError, BotError, RetrievalError, ValidationError)

err_console = Console(stderr=True, soft_wrap=True)


def bad_setting(exc: BaseException) -> bool:
    """A settings class refused the environment (pydantic names the model it validated)."""
    return isinstance(exc, ValidationError) and exc.title.endswith("Settings")


def exit_code(exc: BaseException) -> int:
    if isinstance(exc, ToolError | BotError):
        return int(exc.exit_code)
    return 2


def message(exc: BaseException) -> str:
    """One line a person can act on; our hierarchies' messages are PHI-free by contract."""
    return f"bad setting: {exc}" if bad_setting(exc) else str(exc)


def fail(text: str, code: int = 2) -> typer.Exit:
    """Print one clear line and exit non-zero; callers `raise fail(...)`."""
    # The text may quote user input ("[synthetic]"): printed literally, never as markup.
    err_console.print(f"[bold red]error:[/] {escape(text)}", highlight=False)
    return typer.Exit(code)


def handled(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KNOWN as exc:
            if isinstance(exc, ValidationError) and not bad_setting(exc):
                raise
            raise fail(message(exc), exit_code(exc)) from exc

    return run


def handle_errors(app: typer.Typer) -> None:
    """Wrap every command of `app` and of its sub-applications in the mapping above."""
    for info in app.registered_commands:
        if info.callback is not None and not hasattr(info.callback, "__wrapped__"):
            info.callback = handled(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            handle_errors(group.typer_instance)
