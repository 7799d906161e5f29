"""Every error leaves the API as {"error": {"code", "message"}} with the right HTTP status.

Codes are stable snake_case names clients may branch on. Tool, agent and retrieval errors carry
PHI-free messages by design (their hierarchies promise it), so their text is shown as is;
anything unexpected becomes a generic 500 whose details go to the log only.
"""

import re
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.errors import BotError
from bot.faces.errors import error_body
from retrieval.errors import BadQuery, IndexNotFound, ModelIntegrityError, RetrievalError
from tools.errors import ToolError

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
RETRIEVAL_STATUS: dict[type[RetrievalError], int] = {
    BadQuery: 400,
    IndexNotFound: 503,
    ModelIntegrityError: 503,
}


def error_response(
    status: int, code: str | None, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        error_body(code or STATUS_CODES.get(status, "error"), message),
        status_code=status,
        headers=headers,
    )


class ApiError(Exception):
    """An error the API raises itself (auth, limits, conflicts)."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.message = message
        self.headers = headers


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def status_of(exc: Exception) -> int:
    if isinstance(exc, ToolError | BotError):
        return int(exc.http_status)
    if isinstance(exc, RetrievalError):
        for kind, status in RETRIEVAL_STATUS.items():
            if isinstance(exc, kind):
                return status
    return 500


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = "no such endpoint; see /docs for the API"
        return error_response(exc.status_code, None, message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Only where and what, never the rejected input: it may be a member's details.
        details = [
            {"loc": [str(p) for p in err.get("loc", ())], "msg": err.get("msg", "")}
            for err in exc.errors()[:10]
        ]
        malformed = any(err.get("type") == "json_invalid" for err in exc.errors())
        message = "the body is not valid JSON" if malformed else "the request is not valid"
        body = error_body("malformed_json" if malformed else "invalid_request", message, details)
        return JSONResponse(body, status_code=400 if malformed else 422)

    @app.exception_handler(ToolError)
    @app.exception_handler(BotError)
    @app.exception_handler(RetrievalError)
    async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
        return error_response(status_of(exc), snake(type(exc).__name__), str(exc))
