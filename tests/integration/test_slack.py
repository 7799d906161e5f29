"""The Slack app end to end: signed requests to /slack/events on a real server, the real
slack_sdk WebClient talking to a fake Slack Web API on 127.0.0.1 that records every call."""

import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from bot.faces.feedback import issue_answer
from bot.faces.links import link
from bot.server import create_app
from bot.service_models import Feedback, SlackEvent
from bot.settings import BotSettings
from bot.slack.blocks import feedback_value
from bot.slack.messages import NOT_ALLOWED, UNLINKED
from tests.integration.service_support import (
    FakeRuntime,
    FakeSlack,
    SlackCall,
    UvicornThread,
    block_action,
    command_body,
    event_body,
    interaction_body,
    make_db,
    sign,
)
from tools.context import utc_now
from tools.db import Database
from tools.draft_kinds import draft_denial_letter
from tools.models import Draft
from tools.roles import Principal, Role

SECRET = "test-signing-secret"
CASE_MANAGER, CLINICIAN, ADMIN, GUEST = "U0CASEMGR", "U0DOCTOR", "U0ADMIN", "U0GUEST"
REVIEWER = "U0REVIEW"
LETTER = {
    "case_id": "C2000002",
    "reason": "MP-201 §2.2 criterion 2: six weeks of conservative therapy are not documented "
    "in the records received",
    "criteria_citations": ["MP-201 §2.2"],
    "reviewer_user_id": "dr.casey",
}


@dataclass
class SlackStack:
    url: str
    slack: FakeSlack
    runtime: FakeRuntime
    db: Database

    def post(
        self,
        body: str,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
    ) -> httpx.Response:
        signed = sign(SECRET, body, timestamp)
        return httpx.post(
            f"{self.url}/slack/events",
            content=body.encode(),
            headers={"content-type": content_type, **signed, **(headers or {})},
            timeout=30,
        )

    def event(
        self, event: dict[str, Any], event_id: str | None = None, **kw: Any
    ) -> httpx.Response:
        return self.post(event_body(event, event_id), **kw)

    def command(self, text: str, user: str, name: str) -> httpx.Response:
        body = command_body(text, user, self.slack.response_url(name))
        return self.post(body, "application/x-www-form-urlencoded")

    def action(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post(interaction_body(payload), "application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlackStack]:
    tmp: Path = tmp_path_factory.mktemp("slack")
    db = make_db(tmp)
    link(db, "cm.alex", CASE_MANAGER)
    link(db, "dr.casey", CLINICIAN)
    link(db, "ad.eli", ADMIN)
    link(db, "ur.blake", REVIEWER)
    runtime = FakeRuntime(db)
    with FakeSlack() as slack:
        settings = BotSettings(
            _env_file=None,
            state_dir=tmp,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SECRET,
            slack_api_url=slack.api_url,
            redis_url=None,
        )
        with UvicornThread(create_app(runtime, settings)) as url:
            yield SlackStack(url, slack, runtime, db)
    db.dispose()


def mention(text: str, user: str, ts: str, channel: str = "C0CHAN", **extra: Any) -> dict:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }


def dm(text: str, user: str, ts: str, **extra: Any) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DIRECT",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


def posted_to_thread(stack: SlackStack, thread_ts: str, method: str = "chat.postMessage") -> list:
    return [c for c in stack.slack.of(method) if c.data.get("thread_ts") == thread_ts]


def wait_thread(stack: SlackStack, thread_ts: str, method: str = "chat.postMessage") -> SlackCall:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = posted_to_thread(stack, thread_ts, method)
        if found:
            return found[-1]
        time.sleep(0.02)
    raise AssertionError(f"no {method} in thread {thread_ts}: {stack.slack.calls}")


def all_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def requests_with(stack: SlackStack, words: str) -> list:
    return [r for r in stack.runtime.agent.requests if words in r.text]


# --- request verification -----------------------------------------------------------------


def test_url_verification_is_answered(stack: SlackStack) -> None:
    body = json.dumps({"token": "legacy", "challenge": "ch4llenge", "type": "url_verification"})
    r = stack.post(body)
    assert r.status_code == 200
    assert r.json() == {"challenge": "ch4llenge"}


def test_a_bad_signature_is_401_and_nothing_runs(stack: SlackStack) -> None:
    body = event_body(mention("forged question", CASE_MANAGER, "1700000100.000001"))
    headers = sign("wrong-secret", body)
    r = httpx.post(
        f"{stack.url}/slack/events",
        content=body,
        headers={"content-type": "application/json", **headers},
    )
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_signature"
    missing = httpx.post(
        f"{stack.url}/slack/events", content=body, headers={"content-type": "application/json"}
    )
    assert missing.status_code == 401
    time.sleep(0.3)
    assert requests_with(stack, "forged question") == []
    assert posted_to_thread(stack, "1700000100.000001") == []


def test_a_request_older_than_five_minutes_is_401(stack: SlackStack) -> None:
    r = stack.event(
        mention("stale question", CASE_MANAGER, "1700000101.000001"),
        timestamp=int(time.time()) - 6 * 60,
    )
    assert r.status_code == 401
    time.sleep(0.3)
    assert requests_with(stack, "stale question") == []


def test_a_signed_but_malformed_body_is_400(stack: SlackStack) -> None:
    r = stack.post("{not json")
    assert r.status_code == 400


# --- mentions and direct messages ---------------------------------------------------------


def test_a_mention_gets_a_threaded_answer_with_sources_and_feedback_buttons(
    stack: SlackStack,
) -> None:
    ts = "1700000200.000001"
    r = stack.event(mention("How fast is an expedited decision?", CASE_MANAGER, ts))
    assert r.status_code == 200
    post = wait_thread(stack, ts)
    assert post.data["channel"] == "C0CHAN"
    blocks = post.data["blocks"]
    assert "72 hours" in blocks[0]["text"]["text"]
    sources = next(b for b in blocks if b["type"] == "context" and "Sources" in all_text([b]))
    lines = [e["text"] for e in sources["elements"]]
    assert lines[1] == "*[1]* Prior Authorization Policy 1 · `UM-101 §3.2` · effective 2026-01-01"
    actions = next(b for b in blocks if b["type"] == "actions")
    assert [e["action_id"] for e in actions["elements"]] == ["feedback_up", "feedback_down"]
    sent = requests_with(stack, "How fast is an expedited decision?")[-1]
    assert sent.text == "How fast is an expedited decision?"
    assert (sent.user_id, sent.role, sent.channel) == ("cm.alex", "case_manager", "slack")
    assert sent.thread_id == f"slack:T0TEST:C0CHAN:{ts}:{CASE_MANAGER}"
    reactions = [c.data for c in stack.slack.of("reactions.add") if c.data["timestamp"] == ts]
    assert reactions and reactions[0]["name"] == "hourglass_flowing_sand"
    stack.slack.wait_for("reactions.remove")


def test_a_mention_inside_a_thread_answers_in_that_thread(stack: SlackStack) -> None:
    parent, ts = "1700000300.000001", "1700000300.000009"
    stack.event(mention("second question", CASE_MANAGER, ts, thread_ts=parent))
    post = wait_thread(stack, parent)
    assert post.data["thread_ts"] == parent
    sent = requests_with(stack, "second question")[-1]
    assert sent.thread_id == f"slack:T0TEST:C0CHAN:{parent}:{CASE_MANAGER}"


def test_a_dm_follow_up_uses_the_threads_memory(stack: SlackStack) -> None:
    first_ts = "1700000400.000001"
    stack.event(dm("What is the Medicare Advantage timeframe?", CASE_MANAGER, first_ts))
    wait_thread(stack, first_ts)
    stack.event(dm("and for Medicaid?", CASE_MANAGER, "1700000400.000005", thread_ts=first_ts))
    deadline = time.monotonic() + 15
    while len(posted_to_thread(stack, first_ts)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    follow_up = posted_to_thread(stack, first_ts)[-1]
    assert "Earlier in this thread: What is the Medicare Advantage timeframe?" in all_text(
        follow_up.data["blocks"]
    )


def test_a_slack_retry_never_produces_a_second_answer(stack: SlackStack) -> None:
    ts = "1700000500.000001"
    event = mention("retry me once", CASE_MANAGER, ts)
    assert stack.event(event, event_id="EvRETRY0001").status_code == 200
    retry = stack.event(
        event,
        event_id="EvRETRY0001",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retry.status_code == 200
    wait_thread(stack, ts)
    time.sleep(0.5)
    assert len(posted_to_thread(stack, ts)) == 1
    assert len(requests_with(stack, "retry me once")) == 1
    with stack.db.read_only() as s:
        assert s.get(SlackEvent, "EvRETRY0001").state == "done"


def test_the_bots_own_and_edited_messages_are_ignored(stack: SlackStack) -> None:
    stack.event(dm("from a bot", CASE_MANAGER, "1700000600.000001", bot_id="B0OTHER"))
    stack.event(dm("quux-changed", CASE_MANAGER, "1700000600.000002", subtype="message_changed"))
    stack.event(dm("sentinel after ignored", CASE_MANAGER, "1700000600.000003"))
    wait_thread(stack, "1700000600.000003")
    assert requests_with(stack, "from a bot") == requests_with(stack, "quux-changed") == []


# --- member data --------------------------------------------------------------------------


def test_member_data_is_refused_to_an_unlinked_user(stack: SlackStack) -> None:
    ts = "1700000700.000001"
    stack.event(mention("look up member M1000001", GUEST, ts))
    refusal = wait_thread(stack, ts, "chat.postEphemeral")
    assert refusal.data["user"] == GUEST
    assert "linked to a staff user" in all_text(refusal.data["blocks"])
    assert UNLINKED.split(",")[0] in refusal.data["text"]
    assert requests_with(stack, "M1000001") == [] or all(
        r.user_id != f"slack.{GUEST.lower()}" for r in requests_with(stack, "M1000001")
    )
    assert posted_to_thread(stack, ts) == []


def test_an_unlinked_user_still_gets_policy_answers(stack: SlackStack) -> None:
    ts = "1700000710.000001"
    stack.event(mention("guest policy question", GUEST, ts))
    post = wait_thread(stack, ts)
    assert "72 hours" in all_text(post.data["blocks"])
    sent = requests_with(stack, "guest policy question")[-1]
    assert sent.user_id == "slack.u0guest"
    assert sent.role == "admin"  # the role with no member or case fields


def test_member_data_in_a_channel_goes_only_to_the_asker(stack: SlackStack) -> None:
    ts = "1700000800.000001"
    stack.event(mention("look up member M1000002", CASE_MANAGER, ts))
    private = wait_thread(stack, ts, "chat.postEphemeral")
    assert private.data["user"] == CASE_MANAGER
    assert "M1000002" in all_text(private.data["blocks"])
    time.sleep(0.3)
    assert posted_to_thread(stack, ts) == []


def test_member_data_in_a_dm_is_posted_in_the_dm(stack: SlackStack) -> None:
    ts = "1700000810.000001"
    stack.event(dm("look up member M1000003", CASE_MANAGER, ts))
    post = wait_thread(stack, ts)
    assert post.data["channel"] == "D0DIRECT"
    assert "M1000003" in all_text(post.data["blocks"])


def test_a_linked_role_without_member_rights_is_refused(stack: SlackStack) -> None:
    ts = "1700000820.000001"
    stack.event(mention("look up member M1000004", ADMIN, ts))
    refusal = wait_thread(stack, ts, "chat.postEphemeral")
    assert NOT_ALLOWED in all_text(refusal.data["blocks"])
    assert "Pat Example" not in all_text(refusal.data["blocks"])


def test_an_agent_failure_is_a_polite_message_without_phi(
    stack: SlackStack, caplog: pytest.LogCaptureFixture
) -> None:
    ts = "1700000900.000001"
    stack.runtime.agent.fail_with = RuntimeError("Pat Example DOB 1950-01-01")
    try:
        with caplog.at_level(logging.INFO):
            stack.event(mention("this will fail", CASE_MANAGER, ts))
            notice = wait_thread(stack, ts, "chat.postEphemeral")
    finally:
        stack.runtime.agent.fail_with = None
    text = all_text(notice.data["blocks"])
    assert "Sorry, something went wrong" in text and "reference" in text
    assert "Pat Example" not in text
    assert "Pat Example" not in caplog.text
    assert "RuntimeError (message withheld)" in caplog.text


# --- slash commands -----------------------------------------------------------------------


def wait_response(stack: SlackStack, name: str) -> SlackCall:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [c for c in stack.slack.of("response_url") if c.data.get("_name") == name]
        if found:
            return found[-1]
        time.sleep(0.02)
    raise AssertionError(f"no response for {name}")


def test_slash_help_is_answered_within_the_ack(stack: SlackStack) -> None:
    r = stack.command("help", GUEST, "help1")
    assert r.status_code == 200
    body = r.json()
    assert body["response_type"] == "ephemeral"
    assert "/careassist criteria" in all_text(body["blocks"])


def test_slash_usage_errors_are_answered_within_the_ack(stack: SlackStack) -> None:
    r = stack.command("member", CASE_MANAGER, "usage1")
    assert "usage: `/careassist member <member id>`".replace("<", "&lt;").replace(
        ">", "&gt;"
    ) in all_text(r.json()["blocks"])
    unknown = stack.command("frobnicate", CASE_MANAGER, "usage2")
    assert "I don't know `frobnicate`" in all_text(unknown.json()["blocks"])


def test_slash_criteria_asks_the_agent_with_the_line_of_business(stack: SlackStack) -> None:
    r = stack.command("criteria lumbar fusion ma", GUEST, "crit1")
    assert r.status_code == 200
    assert "Working on it" in r.json()["text"]
    reply = wait_response(stack, "crit1")
    assert reply.data["response_type"] == "ephemeral"
    assert "UM-101 §3.2" in all_text(reply.data["blocks"])
    sent = requests_with(stack, "lumbar fusion")[-1]
    assert sent.text == "Which criteria apply to lumbar fusion for Medicare Advantage?"
    assert sent.filters.lob == "medicare_advantage"


def test_slash_member_answers_a_case_manager_privately(stack: SlackStack) -> None:
    stack.command("member m1000005", CASE_MANAGER, "mem1")
    reply = wait_response(stack, "mem1")
    assert reply.data["response_type"] == "ephemeral"
    assert "M1000005" in all_text(reply.data["blocks"])
    assert requests_with(stack, "Show member M1000005: plan")[-1].user_id == "cm.alex"


@pytest.mark.parametrize(("user", "message"), [(GUEST, UNLINKED), (ADMIN, NOT_ALLOWED)])
def test_slash_member_is_refused_without_member_rights(
    stack: SlackStack, user: str, message: str
) -> None:
    before = len(stack.runtime.agent.requests)
    stack.command("member M1000006", user, f"memref-{user}")
    reply = wait_response(stack, f"memref-{user}")
    assert message.split(".")[0] in all_text(reply.data["blocks"])
    assert "M1000006" not in [r.text for r in stack.runtime.agent.requests[before:]]


@pytest.mark.parametrize(
    ("command", "sent"),
    [
        ("case C2000001", "Show case C2000001"),
        ("deadline c2000002", "When is the decision on case C2000002 due?"),
    ],
)
def test_slash_case_and_deadline(stack: SlackStack, command: str, sent: str) -> None:
    name = command.split()[0] + "1"
    stack.command(command, CLINICIAN, name)
    reply = wait_response(stack, name)
    assert reply.data["response_type"] == "ephemeral"
    assert requests_with(stack, sent)[-1].user_id == "dr.casey"


# --- feedback -----------------------------------------------------------------------------


def test_a_feedback_click_is_stored(stack: SlackStack) -> None:
    issue_answer(stack.db, "a" * 32, f"slack:{CASE_MANAGER}", utc_now())
    value = feedback_value("a" * 32, "slack:C0CHAN:1700000200.000001", "question")
    payload = block_action(CASE_MANAGER, "feedback_down", value, stack.slack.response_url("fb1"))
    r = stack.action(payload)
    assert r.status_code == 200
    thanks = wait_response(stack, "fb1")
    assert "feedback was recorded" in thanks.data["text"]
    with stack.db.read_only() as s:
        rows = list(s.scalars(sa.select(Feedback).where(Feedback.answer_id == "a" * 32)))
    assert [(f.source, f.rater, f.user_id, f.rating, f.intent) for f in rows] == [
        ("slack", f"slack:{CASE_MANAGER}", "cm.alex", "down", "question")
    ]


def test_slack_is_off_when_its_tokens_are_not_set(tmp_path: Path, stack: SlackStack) -> None:
    settings = BotSettings(
        _env_file=None, state_dir=tmp_path, slack_bot_token=None, slack_signing_secret=None
    )
    with UvicornThread(create_app(FakeRuntime(stack.db), settings)) as url:
        r = httpx.post(f"{url}/slack/events", content=b"{}")
    assert r.status_code == 404


# --- drafts -------------------------------------------------------------------------------


def new_letter(stack: SlackStack) -> str:
    principal = Principal("dr.casey", Role.clinician, "Casey Clinicianne", "MD")
    ctx = stack.runtime.tool_context(principal, "slack", "test setup")
    return draft_denial_letter(ctx, LETTER).draft_id


def draft_status(stack: SlackStack, draft_id: str) -> tuple[str, str | None]:
    with stack.db.read_only() as s:
        draft = s.get(Draft, draft_id)
        return draft.status.value, draft.signed_by


def sign_submission(user: str, draft_id: str, agreed: bool = True) -> dict[str, Any]:
    selected = [{"text": {"type": "plain_text", "text": "I attest"}, "value": "yes"}]
    return {
        "type": "view_submission",
        "team": {"id": "T0TEST", "domain": "test"},
        "user": {"id": user, "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": "trig.sign",
        "view": {
            "id": "V0SIGN",
            "type": "modal",
            "callback_id": "draft_sign",
            "private_metadata": draft_id,
            "state": {
                "values": {
                    "attest": {
                        "agree": {
                            "type": "checkboxes",
                            "selected_options": selected if agreed else [],
                        }
                    }
                }
            },
        },
    }


def test_a_draft_reply_shows_its_completeness_and_buttons_to_the_asker(
    stack: SlackStack,
) -> None:
    draft_id = new_letter(stack)
    stack.runtime.agent.draft_id = draft_id
    ts = "1700001000.000001"
    stack.event(mention("draft a denial letter for case C2000002", CLINICIAN, ts))
    reply = wait_thread(stack, ts, "chat.postEphemeral")
    assert reply.data["user"] == CLINICIAN
    text = all_text(reply.data["blocks"])
    assert f"*{draft_id}*: denial letter v1 for case C2000002" in text
    assert "Complete: all 15 required elements present" in text
    buttons = [
        e["action_id"]
        for b in reply.data["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert buttons == ["draft_open", "draft_sign", "feedback_up", "feedback_down"]
    assert posted_to_thread(stack, ts) == []


def test_open_draft_shows_the_text_in_a_modal(stack: SlackStack) -> None:
    draft_id = new_letter(stack)
    stack.action(block_action(REVIEWER, "draft_open", draft_id, stack.slack.response_url("op1")))
    opened = [c for c in stack.slack.wait_for("views.open") if draft_id in json.dumps(c.data)]
    view = opened[-1].data["view"]
    assert view["title"]["text"] == f"Draft {draft_id}"
    assert "DRAFT" in all_text(view["blocks"])


def test_the_sign_modal_is_refused_to_a_non_clinician(stack: SlackStack) -> None:
    draft_id = new_letter(stack)
    opened_before = len(stack.slack.of("views.open"))
    stack.action(block_action(REVIEWER, "draft_sign", draft_id, stack.slack.response_url("sg1")))
    refusal = wait_response(stack, "sg1")
    assert "Only a clinician can sign" in refusal.data["text"]
    assert len(stack.slack.of("views.open")) == opened_before
    forged = stack.action(sign_submission(REVIEWER, draft_id))
    assert forged.json()["response_action"] == "errors"
    assert "Only a clinician" in forged.json()["errors"]["attest"]
    assert draft_status(stack, draft_id) == ("draft", None)


def test_a_clinician_signs_through_the_attestation_modal(stack: SlackStack) -> None:
    draft_id = new_letter(stack)
    stack.action(block_action(CLINICIAN, "draft_sign", draft_id, stack.slack.response_url("sg2")))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        views = [c.data["view"] for c in stack.slack.of("views.open")]
        sign_views = [v for v in views if v.get("private_metadata") == draft_id]
        if sign_views:
            break
        time.sleep(0.02)
    assert sign_views[-1]["callback_id"] == "draft_sign"
    assert "I reviewed this draft" in all_text(sign_views[-1]["blocks"])
    unticked = stack.action(sign_submission(CLINICIAN, draft_id, agreed=False))
    assert unticked.json()["response_action"] == "errors"
    assert draft_status(stack, draft_id) == ("draft", None)
    signed = stack.action(sign_submission(CLINICIAN, draft_id))
    assert signed.json()["response_action"] == "update"
    assert draft_status(stack, draft_id) == ("signed", "dr.casey")
    again = stack.action(sign_submission(CLINICIAN, draft_id))
    assert "already signed" in again.json()["errors"]["attest"]


# --- Socket Mode --------------------------------------------------------------------------


class FakeSocketModeServer:
    """Slack's side of Socket Mode on 127.0.0.1: says hello, sends envelopes, collects acks."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.acks: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self.outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.server = serve(self._session, "127.0.0.1", 0)
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _session(self, ws: Any) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1}))
        self.connected.set()
        while True:
            try:
                envelope = self.outbox.get(timeout=0.1)
                ws.send(json.dumps(envelope))
            except queue.Empty:
                pass
            try:
                message = ws.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:
                return
            self.acks.append(json.loads(message))

    def __enter__(self) -> "FakeSocketModeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


def test_socket_mode_answers_a_mention_over_the_websocket(
    tmp_path: Path, stack: SlackStack
) -> None:
    from bot.slack.services import build_slack_services
    from bot.slack.socket import socket_handler

    with FakeSlack() as slack, FakeSocketModeServer() as ws:
        slack.socket_url = f"ws://127.0.0.1:{ws.port}/link/?ticket=t1"
        settings = BotSettings(
            _env_file=None,
            state_dir=tmp_path,
            slack_bot_token="xoxb-socket",
            slack_app_token="xapp-socket",
            slack_signing_secret=None,
            slack_api_url=slack.api_url,
        )
        handler = socket_handler(build_slack_services(stack.runtime, settings), "xapp-socket")
        handler.connect()
        try:
            assert ws.connected.wait(15)
            ts = "1700002000.000001"
            payload = json.loads(
                event_body(mention("socket mode question", CASE_MANAGER, ts), "EvSOCKET01")
            )
            ws.outbox.put(
                {
                    "envelope_id": "env-1",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": payload,
                }
            )
            post = slack.wait_for("chat.postMessage")[-1]
        finally:
            handler.close()
    assert post.data["thread_ts"] == ts
    assert "72 hours" in all_text(post.data["blocks"])
    assert {"envelope_id": "env-1"} in [{"envelope_id": a.get("envelope_id")} for a in ws.acks]
    assert slack.of("apps.connections.open")


# --- conversations: DMs and threads the bot is in -----------------------------------------


def channel_message(text: str, user: str, ts: str, thread_ts: str | None = None) -> dict:
    event = {
        "type": "message",
        "channel_type": "channel",
        "channel": "C0CHAN",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }
    return {**event, "thread_ts": thread_ts} if thread_ts else event


def wait_count(stack: SlackStack, thread_ts: str, count: int) -> list:
    deadline = time.monotonic() + 15
    while len(posted_to_thread(stack, thread_ts)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return posted_to_thread(stack, thread_ts)


def test_a_dm_follow_up_outside_any_thread_keeps_the_conversation(stack: SlackStack) -> None:
    stack.event(dm("What is the Medicare Advantage DM timeframe?", REVIEWER, "1700003000.000001"))
    wait_thread(stack, "1700003000.000001")
    stack.event(dm("and for commercial?", REVIEWER, "1700003000.000005"))
    follow_up = wait_thread(stack, "1700003000.000005")
    assert "Earlier in this thread: What is the Medicare Advantage DM timeframe?" in all_text(
        follow_up.data["blocks"]
    )
    first, second = requests_with(stack, "DM timeframe")[-1], requests_with(stack, "commercial")[-1]
    assert first.thread_id == second.thread_id


def test_a_reply_in_a_thread_the_bot_is_in_is_answered_without_a_mention(
    stack: SlackStack,
) -> None:
    parent = "1700003100.000001"
    stack.event(mention("What is the thread-reply timeframe?", CASE_MANAGER, parent))
    wait_thread(stack, parent)
    stack.event(channel_message("and for Medicaid?", CASE_MANAGER, "1700003100.000007", parent))
    posts = wait_count(stack, parent, 2)
    assert len(posts) == 2
    assert "Earlier in this thread: What is the thread-reply timeframe?" in all_text(
        posts[-1].data["blocks"]
    )


def test_channel_messages_the_bot_is_not_part_of_are_ignored(stack: SlackStack) -> None:
    stack.event(
        channel_message(
            "chatter in a thread", CASE_MANAGER, "1700003200.000002", "1700003200.000001"
        )
    )
    stack.event(channel_message("top-level chatter", CASE_MANAGER, "1700003200.000003"))
    stack.event(dm("sentinel after chatter", CASE_MANAGER, "1700003200.000009"))
    wait_thread(stack, "1700003200.000009")
    time.sleep(0.3)
    assert requests_with(stack, "chatter in a thread") == requests_with(stack, "top-level") == []


def test_a_mention_in_a_thread_the_bot_is_in_is_answered_once(stack: SlackStack) -> None:
    parent = "1700003300.000001"
    stack.event(mention("first in once-thread", CASE_MANAGER, parent))
    wait_thread(stack, parent)
    # Slack sends both an app_mention and a message event for a reply that mentions the bot.
    reply_ts = "1700003300.000004"
    stack.event(mention("again in once-thread", CASE_MANAGER, reply_ts, thread_ts=parent))
    stack.event(channel_message("<@UBOT> again in once-thread", CASE_MANAGER, reply_ts, parent))
    wait_count(stack, parent, 2)
    time.sleep(0.5)
    assert len(posted_to_thread(stack, parent)) == 2
    assert len(requests_with(stack, "again in once-thread")) == 1


def test_a_letter_missing_its_reviewer_is_completed_and_signed_in_the_sign_modal(
    stack: SlackStack,
) -> None:
    from tools.drafts import get_draft

    drafter = stack.runtime.tool_context(
        Principal("ur.blake", Role.um_reviewer, "Blake Reviewson"), "slack", "test setup"
    )
    letter = {k: v for k, v in LETTER.items() if k != "reviewer_user_id"}
    draft = draft_denial_letter(drafter, letter)
    assert [m.id for m in draft.completeness.missing] == ["reviewer"]
    stack.action(
        block_action(CLINICIAN, "draft_sign", draft.draft_id, stack.slack.response_url("sg3"))
    )
    deadline = time.monotonic() + 15
    sign_views: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not sign_views:
        views = [c.data["view"] for c in stack.slack.of("views.open")]
        sign_views = [v for v in views if v.get("private_metadata") == draft.draft_id]
        time.sleep(0.02)
    inputs = {b["block_id"]: b for b in sign_views[-1]["blocks"] if b["type"] == "input"}
    assert inputs["reviewer"]["element"]["initial_value"] == "dr.casey"
    submission = sign_submission(CLINICIAN, draft.draft_id)
    submission["view"]["state"]["values"] |= {
        "reviewer": {"value": {"type": "plain_text_input", "value": "dr.casey"}},
        "information": {"value": {"type": "plain_text_input", "value": "PT notes\nexercise log"}},
    }
    signed = stack.action(submission)
    assert signed.json()["response_action"] == "update", signed.json()
    clinician = stack.runtime.tool_context(
        Principal("dr.casey", Role.clinician, "Casey Clinicianne", "MD"), "slack", "test"
    )
    new_id = get_draft(clinician, {"draft_id": draft.draft_id}).superseded_by
    assert new_id and draft_status(stack, new_id) == ("signed", "dr.casey")
    assert draft_status(stack, draft.draft_id) == ("draft", None)
