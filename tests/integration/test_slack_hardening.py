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

from bot.api.app import create_app
from bot.settings import BotSettings
from bot.slack.links import link
from tests.integration.service_support import (
    FakeRuntime,
    FakeSlack,
    UvicornThread,
    interaction_body,
    make_db,
    sign,
)
from tools.db import Database
from tools.drafts import Draft, draft_denial_letter
from tools.roles import Principal, Role

SECRET = "test-signing-secret"
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
    assert "Casey Clinicianne, MD" in json.dumps(r.json()["view"])
    with stack.db.read_only() as s:
        draft = s.get(Draft, draft_id)
        assert (draft.status.value, draft.signer_name, draft.credentials) == (
            "signed",
            "Casey Clinicianne",
            "MD",
        )
