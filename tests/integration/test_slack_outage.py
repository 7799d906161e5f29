"""The Slack app while Slack's Web API is unreachable: every signed request is still
acknowledged, answers are retried with backoff, and what finally fails is counted in /readyz."""

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.faces.links import link
from bot.server import create_app
from bot.settings import BotSettings
from tests.integration.service_support import (
    FakeRuntime,
    FakeSlack,
    UvicornThread,
    command_body,
    event_body,
    make_db,
    sign,
)
from tools.db import Database

SECRET = "outage-signing-secret"
CASE_MANAGER = "U0CASEMGR"
RETRIES = 2


class ClosingSlack:
    """A Slack Web API that accepts a connection, reads the request line and hangs up."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                line = conn.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
                self.paths.append(line.split(" ")[1] if " " in line else line)

    def calls(self, method: str) -> int:
        return sum(1 for p in list(self.paths) if p.split("?")[0].endswith("/" + method))

    def __enter__(self) -> "ClosingSlack":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def settings_for(tmp: Path, api_url: str) -> BotSettings:
    return BotSettings(
        _env_file=None,
        state_dir=tmp,
        slack_bot_token="xoxb-outage",
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        slack_post_retries=RETRIES,
        slack_retry_backoff_s=0.01,
        redis_url=None,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = make_db(tmp_path_factory.mktemp("outage-db"))
    link(database, "cm.alex", CASE_MANAGER)
    yield database
    database.dispose()


def post(url: str, body: str, content_type: str = "application/json") -> httpx.Response:
    return httpx.post(
        f"{url}/slack/events",
        content=body.encode(),
        headers={"content-type": content_type, **sign(SECRET, body)},
        timeout=30,
    )


def mention(text: str, ts: str) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": CASE_MANAGER,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "channel": "C0CHAN",
        "event_ts": ts,
    }


def wait_failures(url: str, at_least: int) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        body = httpx.get(f"{url}/readyz").json()
        if body.get("failures", {}).get("slack_deliveries", 0) >= at_least:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"no failed delivery counted: {body}")
        time.sleep(0.05)


def test_events_and_commands_are_acknowledged_while_slack_is_turned_off(
    tmp_path: Path, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with FakeSlack() as slack:
        api_url = slack.api_url
    # The fake Web API is now off: every call to it is refused.
    with (
        caplog.at_level(logging.INFO),
        UvicornThread(create_app(FakeRuntime(db), settings_for(tmp_path, api_url))) as url,
    ):
        event = post(url, event_body(mention("Pat Example outage question", "1700009000.000001")))
        assert event.status_code == 200
        command = post(
            url,
            command_body("criteria lumbar fusion ma", CASE_MANAGER, slack.response_url("o1")),
            "application/x-www-form-urlencoded",
        )
        assert command.status_code == 200
        assert "Working on it" in command.json()["text"]
        ready = wait_failures(url, 2)
    assert ready["failures"]["slack_deliveries"] >= 2
    assert ready["ready"] is True  # Slack being down does not take the API out of service
    assert "Slack delivery failed" in caplog.text
    assert "Pat Example" not in caplog.text and "lumbar" not in caplog.text


def test_a_post_is_retried_with_backoff_before_it_counts_as_failed(
    tmp_path: Path, db: Database
) -> None:
    with (
        ClosingSlack() as slack,
        UvicornThread(
            create_app(
                FakeRuntime(db), settings_for(tmp_path, f"http://127.0.0.1:{slack.port}/api/")
            )
        ) as url,
    ):
        assert post(url, event_body(mention("retried question", "1700009100.000001"))).status_code
        wait_failures(url, 1)
        assert slack.calls("chat.postMessage") == RETRIES + 1
