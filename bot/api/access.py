"""The outermost layer of the service: request ids, one structured access log line per request,
and a JSON 500 for anything that escaped every handler.

The log line names the route template (`/v1/members/{member_id}`), never the path itself or its
query string, so member and case ids stay out of the logs; bodies are never logged.
"""

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.faces.errors import describe_exception, error_body

access_log = logging.getLogger("careassist.access")
error_log = logging.getLogger("careassist.api")

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
STATE_KEY = "careassist_access"


@dataclass
class AccessInfo:
    """Filled in by the handlers as they learn who is calling; read back for the log line."""

    request_id: str
    user: str | None = None
    role: str | None = None
    token: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "<unmatched>"


class AccessMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        info = AccessInfo(request_id=given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex)
        scope.setdefault("state", {})[STATE_KEY] = info
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", []),
                        (b"x-request-id", info.request_id.encode()),
                    ],
                }
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            error_log.error(
                "unhandled error on %s %s (request %s): %s",
                scope.get("method"),
                route_template(scope),
                info.request_id,
                describe_exception(exc),
            )
            status = 500
            if not response_started:
                await self._send_500(send_with_id, info.request_id)
        finally:
            self._log(scope, info, status, started)

    @staticmethod
    async def _send_500(send: Send, request_id: str) -> None:
        body = json.dumps(
            error_body(
                "internal_error",
                f"Something went wrong on our side; it has been logged as request {request_id}.",
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _log(scope: Scope, info: AccessInfo, status: int, started: float) -> None:
        record: dict[str, Any] = {
            "event": "http_request",
            "request_id": info.request_id,
            "method": scope.get("method"),
            "route": route_template(scope),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user": info.user,
            "role": info.role,
            "token": info.token,
        }
        record.update(info.extra)
        access_log.info(json.dumps(record, separators=(",", ":")))
