"""Error shapes the faces share: the JSON error body and a PHI-free description for logs."""

import traceback
from typing import Any

from bot.errors import BotError
from retrieval.errors import RetrievalError
from tools.errors import ToolError


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def describe_exception(exc: BaseException) -> str:
    """A traceback fit for logs: our own error messages are PHI-free by contract, anything
    else may echo user input, so only its type and the frames are kept."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    if isinstance(exc, ToolError | BotError | RetrievalError):
        head = f"{type(exc).__name__}: {exc}"
    else:
        head = f"{type(exc).__module__}.{type(exc).__name__} (message withheld)"
    cause = exc.__cause__ or exc.__context__
    tail = f"\ncaused by {describe_exception(cause)}" if cause is not None else ""
    return f"{head}\n{frames}{tail}"
