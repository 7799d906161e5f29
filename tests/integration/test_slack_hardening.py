"""Slack edges found by outside testing: the sign modal attests only with the option it offers,
a replayed slash command runs once, and feedback counts only for answers given to the clicker."""

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from bot.faces.links import link
from bot.server import create_app
from bot.service_models import Feedback
from bot.settings import BotSettings
from bot.slack.blocks import feedback_value
from tests.integration.service_support import (
    FakeRuntime,
    FakeSlack,
    UvicornThread,
    block_action,
    command_body,
    event_body,
    interaction_body,
    make_db,
    sign,
)
from tools.db import Database
from tools.draft_kinds import draft_denial_letter
from tools.models import Draft
from tools.roles import Principal, Role

SECRET = "test-signing-secret"
FORM, JSON = "application/x-www-form-urlencoded", "application/json"
CASE_MANAGER, CLINICIAN, REVIEWER = "U0CASEMGR", "U0DOCTOR", "U0REVIEW"
LETTER = {
    "case_id": "C2000002",
    "reason": "MP-201 §2.2 criterion 2: six weeks of conservative therapy are not documented "
    "in the records received",
    "criteria_citations": ["MP-201 §2.2"],
    "reviewer_user_id": "dr.casey",
}


@dataclass
class Stack:
    url: str
    slack: FakeSlack
    runtime: FakeRuntime
    db: Database

    def post(self, body: str, content_type: str, timestamp: int | None = None) -> httpx.Response:
        return httpx.post(
            f"{self.url}/slack/events",
            content=body.encode(),
            headers={"content-type": content_type, **sign(SECRET, body, timestamp)},
            timeout=30,
        )

    def action(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post(interaction_body(payload), "application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("slack-hardening")
    db = make_db(tmp)
    link(db, "cm.alex", CASE_MANAGER)
    link(db, "dr.casey", CLINICIAN)
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
            yield Stack(url, slack, runtime, db)
    db.dispose()


def wait_response(stack: Stack, name: str, count: int = 1) -> list[Any]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [c for c in stack.slack.of("response_url") if c.data.get("_name") == name]
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no response for {name}")


# --- sign-off (item 6) ----------------------------------------------------------------------


def new_letter(stack: Stack) -> str:
    principal = Principal("dr.casey", Role.clinician, "Casey Clinicianne", "MD")
    ctx = stack.runtime.tool_context(principal, "slack", "test setup")
    return draft_denial_letter(ctx, LETTER).draft_id


def sign_submission(draft_id: str, selected: Any) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": "T0TEST", "domain": "test"},
        "user": {"id": CLINICIAN, "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": "trig.sign",
        "view": {
            "id": "V0SIGN",
            "type": "modal",
            "callback_id": "draft_sign",
            "private_metadata": draft_id,
            "state": {"values": {"attest": {"agree": {"selected_options": selected}}}},
        },
    }


def option(value: Any) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": "I attest"}, "value": value}


@pytest.mark.parametrize(
    "selected", [[option("no")], [option("1")], [option(True)], ["yes"], "yes", [{}], None]
)
def test_the_sign_modal_attests_only_with_the_option_it_offers(stack: Stack, selected: Any) -> None:
    draft_id = new_letter(stack)
    r = stack.action(sign_submission(draft_id, selected))
    assert r.json()["response_action"] == "errors", r.text
    with stack.db.read_only() as s:
        assert s.get(Draft, draft_id).status.value == "draft"


def test_a_slack_signature_carries_the_directorys_credentials(stack: Stack) -> None:
    draft_id = new_letter(stack)
    r = stack.action(sign_submission(draft_id, [option("yes")]))
    assert r.json()["response_action"] == "update", r.text
    shown = json.dumps(r.json()["view"])
    assert "Casey Clinicianne, MD" in shown
    # Times a user reads are in the plan's time zone (America/New_York by default).
    assert "UTC" not in shown and ("EST" in shown or "EDT" in shown), shown
    with stack.db.read_only() as s:
        draft = s.get(Draft, draft_id)
        assert (draft.status.value, draft.signer_name, draft.credentials) == (
            "signed",
            "Casey Clinicianne",
            "MD",
        )


# --- replays and feedback (item 7) ----------------------------------------------------------


def test_a_replayed_slash_command_runs_once(stack: Stack) -> None:
    body = command_body(
        "criteria replayed knee brace", CASE_MANAGER, stack.slack.response_url("rp1")
    )
    timestamp = int(time.time())
    first = stack.post(body, FORM, timestamp)
    assert first.status_code == 200
    wait_response(stack, "rp1")
    # The same signed bytes again, well inside Slack's five-minute signature window.
    replay = stack.post(body, FORM, timestamp)
    assert replay.status_code == 200
    sentinel = command_body(
        "criteria sentinel walker", CASE_MANAGER, stack.slack.response_url("rp2")
    )
    stack.post(sentinel, FORM)
    wait_response(stack, "rp2")
    asked = [r for r in stack.runtime.agent.requests if "replayed knee brace" in r.text]
    assert len(asked) == 1
    assert len([c for c in stack.slack.of("response_url") if c.data["_name"] == "rp1"]) == 1


def test_two_commands_with_different_trigger_ids_both_run(stack: Stack) -> None:
    for name in ("tw1", "tw2"):
        body = command_body("criteria twice cane", CASE_MANAGER, stack.slack.response_url(name))
        stack.post(body, FORM)
    wait_response(stack, "tw1")
    wait_response(stack, "tw2")


def mention(text: str, user: str, ts: str) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "channel": "C0CHAN",
        "event_ts": ts,
    }


def answered_feedback_value(stack: Stack, ts: str) -> str:
    stack.post(event_body(mention("feedback policy question", CASE_MANAGER, ts)), JSON)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for call in stack.slack.of("chat.postMessage"):
            if call.data.get("thread_ts") != ts:
                continue
            for block in call.data["blocks"]:
                for element in block.get("elements", []):
                    if element.get("action_id") == "feedback_up":
                        return str(element["value"])
        time.sleep(0.02)
    raise AssertionError("no answer with feedback buttons")


def stored(stack: Stack, answer_id: str) -> list[tuple[str, str]]:
    with stack.db.read_only() as s:
        rows = s.scalars(sa.select(Feedback).where(Feedback.answer_id == answer_id))
        return [(f.rater, f.rating) for f in rows]


def click(stack: Stack, user: str, value: str, name: str) -> str:
    stack.action(block_action(user, "feedback_up", value, stack.slack.response_url(name)))
    return str(wait_response(stack, name)[-1].data["text"])


def test_slack_feedback_counts_only_for_the_asker_of_a_real_answer(stack: Stack) -> None:
    value = answered_feedback_value(stack, "1700002000.000001")
    answer_id = json.loads(value)["a"]
    other = click(stack, REVIEWER, value, "fbx1")
    assert "only the person who asked" in other
    assert stored(stack, answer_id) == []
    forged = click(stack, CASE_MANAGER, feedback_value("b" * 32, None, "question"), "fbx2")
    assert "could not find that answer" in forged
    assert stored(stack, "b" * 32) == []
    mine = click(stack, CASE_MANAGER, value, "fbx3")
    assert "feedback was recorded" in mine
    assert stored(stack, answer_id) == [(f"slack:{CASE_MANAGER}", "up")]
