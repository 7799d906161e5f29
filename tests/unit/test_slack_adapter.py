"""The Slack adapter's pure parts: command parsing, Block Kit building, the manifest's promises."""

from pathlib import Path

import pytest
import yaml

from bot.schemas import AgentReply, Citation, Intent
from bot.slack.blocks import MESSAGE_BLOCKS_MAX, answer_blocks, escape, split_text, to_mrkdwn
from bot.slack.commands import parse
from bot.slack.conversation import clean_text
from tools.errors import InvalidInput

MANIFEST = Path(__file__).resolve().parents[2] / "bot" / "slack" / "manifest.yaml"


@pytest.mark.parametrize(
    ("raw", "kind", "text", "lob"),
    [
        ("", "help", "", None),
        ("help", "help", "", None),
        ("criteria 72148", "criteria", "Which criteria apply to 72148?", None),
        (
            "criteria lumbar fusion Medicaid",
            "criteria",
            "Which criteria apply to lumbar fusion for Medicaid?",
            "medicaid",
        ),
        ("case c2000001", "case", "Show case C2000001", None),
        ("deadline C2000001", "deadline", "When is the decision on case C2000001 due?", None),
    ],
)
def test_slash_commands_become_agent_questions(
    raw: str, kind: str, text: str, lob: str | None
) -> None:
    command = parse(raw)
    assert (command.kind, command.text, command.lob) == (kind, text, lob)


def test_member_command_needs_member_access_and_a_valid_id() -> None:
    command = parse("member m1000001")
    assert command.needs_member_access
    assert command.text.startswith("Show member M1000001")
    with pytest.raises(InvalidInput, match="member id"):
        parse("member 12345")
    with pytest.raises(InvalidInput, match="usage"):
        parse("member")
    with pytest.raises(InvalidInput, match="usage"):
        parse("criteria ma")


def test_mentions_and_slack_escapes_are_removed_from_the_question() -> None:
    assert clean_text("<@U0BOT> is &lt;72 hours&gt; right? <@W0OTHER|bob>") == (
        "is <72 hours> right?"
    )


def test_answer_text_is_escaped_and_markdown_bold_becomes_slack_bold() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert to_mrkdwn("**Due** <soon>") == "*Due* &lt;soon&gt;"


def test_long_answers_split_at_boundaries_within_slacks_limits() -> None:
    text = ("word " * 1500).strip()
    pieces = split_text(text, 2900)
    assert all(len(p) <= 2900 for p in pieces)
    assert " ".join(pieces) == text


def test_answer_blocks_stay_within_slacks_block_limit() -> None:
    citations = [
        Citation(n=n, doc_id=f"D{n}", citation=f"D{n} §1", title=f"T{n}", text="x", source_path="p")
        for n in range(1, 15)
    ]
    reply = AgentReply(answer="x " * 80_000, intent=Intent.question, citations=citations)
    blocks = answer_blocks(reply, "a" * 32, "slack:C1:1.0")
    assert len(blocks) <= MESSAGE_BLOCKS_MAX
    assert blocks[-1]["type"] == "actions"
    sources = next(b for b in blocks if b["type"] == "context" and "Sources" in str(b))
    assert len(sources["elements"]) == 10
    assert "(+5 more)" in sources["elements"][-1]["text"]


def test_the_manifest_subscribes_to_what_the_app_handles() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.channels",
        "message.groups",
        "message.im",
    }
    assert settings["interactivity"]["is_enabled"] is True
    urls = [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        *(c["url"] for c in manifest["features"]["slash_commands"]),
    ]
    assert all(url.endswith("/slack/events") for url in urls)
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/careassist"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "channels:history",
        "groups:history",
        "chat:write",
        "commands",
        "im:history",
        "reactions:write",
    }
