"""Test doubles and helpers for the service: a scripted agent at the runtime seam, a fake Slack
Web API on loopback that records calls, signed Slack requests, and uvicorn in a thread."""

import hashlib
import hmac
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import uvicorn
from fastapi import FastAPI

from bot.runtime import Runtime
from bot.schema import migrate
from bot.schemas import AgentReply, AgentRequest, Citation, Intent
from bot.settings import BotSettings
from retrieval.filters import Filters
from retrieval.search import Hit
from tools.db import Database
from tools.seed import seed
from tools.settings import ToolsSettings

REFERENCE_DAY = date(2026, 11, 24)
MEMBER_RE = re.compile(r"\bM\d{7}\b")
CASE_RE = re.compile(r"\bC\d{7}\b")


def make_db(tmp: Path) -> Database:
    db = Database(ToolsSettings(database_url=f"sqlite:///{tmp / 'careassist.db'}"))
    migrate(db)
    seed(db, reference=REFERENCE_DAY)
    return db


def hit(n: int) -> Hit:
    return Hit(
        doc_id=f"UM-10{n}",
        title=f"Prior Authorization Policy {n}",
        doc_type="policy",
        line_of_business="medicare_advantage",
        section="3.2 Timeframes",
        citation=f"UM-10{n} §3.2",
        text="Expedited requests are decided within 72 hours.",
        score=0.5,
        source_path=f"corpus/policies/UM-10{n}.md",
        version="1",
        effective_date="2026-01-01",
        end_date=None,
        heading_path=["Prior Authorization", "Timeframes"],
        chunk_id=f"chunk-{n}",
        similarity=0.8,
    )


class FakeSearcher:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, Filters | None]] = []

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        self.calls.append((query, k, filters))
        return [hit(n) for n in range(1, min(k, 3) + 1)]


class FakeAgent:
    """Deterministic: answers with two citations, remembers each thread's earlier questions,
    flags member data when the text names a member or case id, and 'drafts' on request."""

    def __init__(self) -> None:
        self.requests: list[AgentRequest] = []
        self.threads: dict[str, list[str]] = {}
        self.fail_with: Exception | None = None
        self.draft_id = "D0000000"
        self._lock = threading.Lock()

    def ask(self, request: AgentRequest) -> AgentReply:
        with self._lock:
            self.requests.append(request)
            if self.fail_with is not None:
                raise self.fail_with
            thread = request.thread_id or uuid.uuid4().hex
            earlier = list(self.threads.get(thread, []))
            self.threads.setdefault(thread, []).append(request.text)
        citations = [
            Citation(
                n=n,
                doc_id=h.doc_id,
                citation=h.citation,
                title=h.title,
                text=h.text,
                source_path=h.source_path,
                section=h.section,
                effective_date=h.effective_date,
                version=h.version,
            )
            for n, h in ((1, hit(1)), (2, hit(2)))
        ]
        memory = f" Earlier in this thread: {earlier[-1]}" if earlier else ""
        member = MEMBER_RE.search(request.text) or CASE_RE.search(request.text)
        if "draft" in request.text.lower():
            return AgentReply(
                answer="Draft denial letter created for case C2000001; it needs clinician review.",
                intent=Intent.draft_denial_letter,
                draft_id=self.draft_id,
                thread_id=thread,
                contains_member_data=True,
            )
        if member:
            return AgentReply(
                answer=f"Record {member.group(0)}: Pat Example, plan PLN-MA-01.",
                intent=Intent.member_lookup,
                thread_id=thread,
                contains_member_data=True,
            )
        return AgentReply(
            answer=f"Expedited requests are decided within 72 hours [1][2].{memory}",
            intent=Intent.question,
            citations=citations,
            thread_id=thread,
            notices=["Verify against the current policy before acting."],
        )


class FakeRuntime(Runtime):
    """The real composition root with a scripted agent and searcher plugged in as its parts."""

    def __init__(self, db: Database) -> None:
        super().__init__(
            BotSettings(_env_file=None),  # type: ignore[call-arg]
            db=db,
            agent=FakeAgent(),  # type: ignore[arg-type]
            searcher=FakeSearcher(),  # type: ignore[arg-type]
        )
        self.readiness = {"index": True, "model": True, "database": True}

    @property
    def agent(self) -> FakeAgent:  # type: ignore[override]
        return self._parts["agent"]  # type: ignore[no-any-return]

    @property
    def searcher(self) -> FakeSearcher:  # type: ignore[override]
        return self._parts["searcher"]  # type: ignore[no-any-return]

    def ready(self) -> dict[str, bool]:
        return dict(self.readiness)


class UvicornThread:
    """A real server on 127.0.0.1 and a free port, stopped on exit."""

    def __init__(self, app: FastAPI) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    with UvicornThread(app) as url:
        yield url


# --- the fake Slack Web API ---------------------------------------------------------------


@dataclass
class SlackCall:
    method: str
    data: dict[str, Any]


class FakeSlack:
    """Slack's Web API and response URLs on 127.0.0.1, recording every call."""

    def __init__(self) -> None:
        self.calls: list[SlackCall] = []
        self._lock = threading.Lock()
        self._ts = 1_700_000_000
        self.socket_url = ""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                kind = self.headers.get("content-type", "")
                if "json" in kind:
                    data = json.loads(raw) if raw else {}
                else:
                    data = {k: v[0] for k, v in parse_qs(raw).items()}
                for key in ("blocks", "view"):
                    if isinstance(data.get(key), str):
                        data[key] = json.loads(data[key])
                method = self.path.split("?")[0].rsplit("/", 1)[-1]
                if self.path.startswith("/response/"):
                    method = "response_url"
                    data["_name"] = self.path.split("/response/", 1)[1]
                body = fake.record(method, data)
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def record(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.calls.append(SlackCall(method, data))
            self._ts += 1
            ts = f"{self._ts}.000100"
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "team_id": "T0TEST",
                "team": "Test",
                "user": "careassist",
                "url": "https://test.slack.com/",
            }
        if method == "chat.postMessage":
            return {"ok": True, "channel": data.get("channel"), "ts": ts, "message": data}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V0TEST", **(data.get("view") or {})}}
        return {"ok": True}

    def of(self, method: str) -> list[SlackCall]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15) -> list[SlackCall]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"expected {count} {method} call(s); got {[c.method for c in self.calls]}"
        )

    def __enter__(self) -> "FakeSlack":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_body(event: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T0TEST",
            "api_app_id": "A0TEST",
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0TEST", "user_id": "UBOT", "is_bot": True}],
            "event": event,
        }
    )


def command_body(text: str, user: str, response_url: str, channel: str = "C0CHAN") -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T0TEST",
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "um-team",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/careassist",
            "text": text,
            "api_app_id": "A0TEST",
            "response_url": response_url,
            "trigger_id": f"trig.{uuid.uuid4().hex[:8]}",
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    user: str, action_id: str, value: str, response_url: str, channel: str = "C0CHAN"
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T0TEST", "domain": "test"},
        "user": {"id": user, "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": f"trig.{uuid.uuid4().hex[:8]}",
        "channel": {"id": channel, "name": "um-team"},
        "container": {"type": "message", "message_ts": "1700000001.000100", "channel_id": channel},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
