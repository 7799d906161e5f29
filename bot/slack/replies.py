"""Where a reply goes: in the thread for everyone, or only to the asker.

Member data is only ever shown to the person who asked: in a direct message, or as an ephemeral
message in a channel thread. Errors and refusals go the same private way, so a channel sees
answers, never someone's failed lookup.
"""

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import Block, fallback, notice_blocks
from bot.slack.delivery import Delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Place:
    client: WebClient
    channel: str
    user: str
    thread_ts: str | None
    is_dm: bool
    delivery: Delivery

    def public(self, blocks: list[Block], text: str) -> None:
        self.delivery.send(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=self.channel, thread_ts=self.thread_ts, blocks=blocks, text=fallback(text)
            ),
        )

    def private(self, blocks: list[Block], text: str) -> None:
        if self.is_dm:
            self.public(blocks, text)
            return
        kwargs: dict[str, Any] = {"thread_ts": self.thread_ts} if self.thread_ts else {}
        self.delivery.send(
            "chat.postEphemeral",
            lambda: self.client.chat_postEphemeral(
                channel=self.channel, user=self.user, blocks=blocks, text=fallback(text), **kwargs
            ),
        )

    def notice(self, text: str) -> None:
        self.private(notice_blocks(text), text)

    def react(self, ts: str, name: str, on: bool) -> None:
        """The 'working on it' signal: best effort, never retried, never in the answer's way."""
        try:
            if on:
                self.client.reactions_add(channel=self.channel, timestamp=ts, name=name)
            else:
                self.client.reactions_remove(channel=self.channel, timestamp=ts, name=name)
        except SlackApiError as exc:
            log.debug(
                "reaction %s not %s: %s",
                name,
                "added" if on else "removed",
                exc.response.get("error"),
            )
        except OSError as exc:  # Slack unreachable: the answer is still tried
            log.debug("reaction %s skipped: %s", name, type(exc).__name__)
