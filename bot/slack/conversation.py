"""The thin adapter: Slack payload -> AgentRequest -> agent -> AgentReply -> Block Kit.

Mentions and direct messages are answered in their thread. The agent's memory is keyed per
person (team, channel, thread, user): follow-ups build on the asker's own earlier turns, and
one person's answer (possibly member data, shown only to them) never enters another person's
prompt in a shared channel thread. Slash commands use
the same path with a private destination.
"""

import html
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.faces.errors import describe_exception
from bot.faces.feedback import issue_answer
from bot.privacy import carries_member_data
from bot.schemas import AgentRequest, Intent, RequestFilters
from bot.slack.blocks import Block, answer_blocks, help_blocks
from bot.slack.dedupe import EventClaims
from bot.slack.identity import SlackCaller, asks_for_member_data, resolve
from bot.slack.messages import NOT_ALLOWED, UNLINKED, polite_error
from bot.slack.replies import Place
from bot.slack.services import SlackServices
from bot.slack.threads import BotThreads
from tools.context import utc_now

log = logging.getLogger(__name__)

MENTION_RE = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")

# Draft-aware extra blocks (summary, completeness, buttons) for a reply that created a draft.
DraftBlocks = Callable[[str, SlackCaller], list[Block]]


class Destination(Protocol):
    def public(self, blocks: list[Block], text: str) -> None: ...

    def private(self, blocks: list[Block], text: str) -> None: ...

    def notice(self, text: str) -> None: ...


def clean_text(text: str) -> str:
    """The user's words: bot mentions removed, Slack's HTML escapes undone."""
    return html.unescape(MENTION_RE.sub(" ", text)).strip()


def slack_thread_id(team_id: str | None, channel: str, thread_ts: str, user: str) -> str:
    return f"slack:{team_id or '-'}:{channel}:{thread_ts}:{user}"


def bot_user_id(body: dict[str, Any], context: BoltContext) -> str | None:
    """The bot's user id: resolved by auth.test, else named by the event's authorizations."""
    if context.bot_user_id:
        return context.bot_user_id
    for grant in body.get("authorizations") or []:
        if grant.get("is_bot") and grant.get("user_id"):
            return str(grant["user_id"])
    return None


class Assistant:
    def __init__(
        self, svc: SlackServices, claims: EventClaims, draft_blocks: DraftBlocks | None = None
    ) -> None:
        self.svc = svc
        self.claims = claims
        self.draft_blocks = draft_blocks
        self.threads = BotThreads(svc.db)

    def caller(self, slack_user: str, team_id: str | None) -> SlackCaller:
        return resolve(self.svc.db, slack_user, team_id)

    def on_event(
        self, body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        """Lazy listener for app_mention and message events: runs after Slack got its 200."""
        event_id = body.get("event_id")
        try:
            if self._wanted(event, body, context):
                self._answer_event(event, client, context)
        except Exception as exc:
            log.error("Slack event %s failed: %s", event_id, describe_exception(exc))
        finally:
            if event_id:
                self._finish(event_id)

    def _wanted(self, event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> bool:
        if event.get("bot_id") or event.get("subtype") or not event.get("user"):
            return False
        bot_user = bot_user_id(body, context)
        if event.get("user") == bot_user:
            return False
        if event.get("type") == "app_mention":
            return True
        if event.get("type") != "message":
            return False
        if event.get("channel_type") == "im":
            return True
        # A channel message: answered only as a reply in a thread the bot already answered in,
        # and not when it mentions the bot (the app_mention event for it is answered instead).
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return False
        if bot_user and f"<@{bot_user}" in event.get("text", ""):
            return False
        return self.threads.is_in(context.team_id, event["channel"], thread_ts)

    def _answer_event(self, event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        channel, user, ts = event["channel"], event["user"], event["ts"]
        thread_ts = event.get("thread_ts") or ts
        place = Place(
            client=client,
            channel=channel,
            user=user,
            thread_ts=thread_ts,
            is_dm=event.get("channel_type") == "im",
            delivery=self.svc.slack_delivery,
        )
        text = clean_text(event.get("text", ""))
        if not text or text.lower() == "help":
            place.private(help_blocks(), "How to use careassist")
            return
        caller = self.caller(user, context.team_id)
        reaction = self.svc.settings.slack_working_reaction
        place.react(ts, reaction, True)
        try:
            # A DM is one conversation per person; a channel thread is one per person in it.
            memory_ts = "dm" if place.is_dm else thread_ts
            thread_id = slack_thread_id(context.team_id, channel, memory_ts, user)
            public = self.answer(place, caller, text, thread_id)
            if public and not place.is_dm:
                self.threads.joined(context.team_id, channel, thread_ts)
        finally:
            place.react(ts, reaction, False)

    def answer(
        self,
        place: Destination,
        caller: SlackCaller,
        text: str,
        thread_id: str | None,
        filters: RequestFilters | None = None,
        *,
        intent: Intent | None = None,
        member_id: str | None = None,
        case_id: str | None = None,
    ) -> bool:
        """Ask the agent on the caller's behalf and deliver the reply to the right audience;
        True when it was posted for everyone in the thread."""
        if not caller.linked and asks_for_member_data(text):
            place.notice(UNLINKED)
            return False
        principal = caller.agent_principal()
        request = AgentRequest(
            user_id=principal.user_id,
            role=principal.role.value,
            text=text,
            channel="slack",
            thread_id=thread_id,
            filters=filters or RequestFilters(),
            display_name=principal.display_name or None,
            intent=intent,
            member_id=member_id,
            case_id=case_id,
        )
        try:
            reply = self.svc.runtime.agent.ask(request)
        except Exception as exc:
            reference = uuid.uuid4().hex[:8]
            log.error("Slack answer failed (reference %s): %s", reference, describe_exception(exc))
            place.notice(polite_error(exc, reference))
            return False
        member_data = carries_member_data(reply)
        if member_data and not caller.may_see_member_data:
            place.notice(NOT_ALLOWED if caller.linked else UNLINKED)
            return False
        extra: list[Block] = []
        if reply.draft_id and self.draft_blocks is not None:
            extra = self.draft_blocks(reply.draft_id, caller)
        answer_id = uuid.uuid4().hex
        self._issue(answer_id, caller)
        blocks = answer_blocks(reply, answer_id, thread_id, extra)
        if member_data:
            place.private(blocks, reply.answer)
            return False
        place.public(blocks, reply.answer)
        return True

    def _issue(self, answer_id: str, caller: SlackCaller) -> None:
        """Record who the answer is for, so only they can rate it; never blocks the answer."""
        try:
            issue_answer(self.svc.db, answer_id, f"slack:{caller.slack_user_id}", utc_now())
        except Exception as exc:
            log.warning("answer id not recorded: %s", describe_exception(exc))

    def _finish(self, event_id: str) -> None:
        try:
            self.claims.finish(event_id)
        except Exception as exc:
            log.warning("could not mark Slack event %s done: %s", event_id, describe_exception(exc))
