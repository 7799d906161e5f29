"""The slack-bolt app: listeners wired to the assistant, for HTTP mode and Socket Mode alike.

Every listener acknowledges at once and works lazily, so Slack gets its answer within 3 seconds
whatever the agent costs; the same wiring holds with process_before_response=True.
"""

import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.faces.errors import describe_exception
from bot.slack.botuser import BotIdentity
from bot.slack.commands import Commands
from bot.slack.conversation import Assistant
from bot.slack.dedupe import EventClaims, claim_key
from bot.slack.drafts import SIGN_CALLBACK, DraftFlows
from bot.slack.feedback import on_feedback
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)

FEEDBACK_ACTION = re.compile(r"^feedback_(up|down)$")


def web_client(svc: SlackServices) -> WebClient:
    token = svc.settings.slack_bot_token
    return WebClient(
        token=token.get_secret_value() if token else None,
        base_url=svc.settings.slack_api_url,
        timeout=15,
        # Connection errors are retried with backoff by Delivery (posts after the ack), never
        # inline: views.open must answer within Slack's 3 s.
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def dedupe_middleware(claims: EventClaims) -> Callable[..., BoltResponse | None]:
    def dedupe(body: dict[str, Any], next_: Callable[[], BoltResponse]) -> BoltResponse | None:
        key = claim_key(body)
        if key:
            event_id, final = key
            try:
                fresh = claims.claim(event_id, final)
            except Exception as exc:
                # Better a rare second answer than a lost question while the database hiccups.
                log.warning("event claim failed, answering anyway: %s", describe_exception(exc))
                fresh = True
            if not fresh:
                log.info("Slack event %s already claimed; retry dropped", event_id)
                return BoltResponse(status=200, body="")
        return next_()

    return dedupe


def ack_only(ack: Ack) -> None:
    ack()


def build_bolt_app(svc: SlackServices, *, process_before_response: bool = False) -> App:
    secret = svc.settings.slack_signing_secret
    client = web_client(svc)
    # Resolved once in the background: no request ever waits on (or fails with) auth.test.
    identity = BotIdentity(client, client.token)
    identity.start()
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else "",
        authorize=identity.authorizer(),
        process_before_response=process_before_response,
        listener_executor=ThreadPoolExecutor(max_workers=8, thread_name_prefix="slack"),
    )
    claims = EventClaims(svc.db, svc.settings.slack_event_lease_s)
    drafts = DraftFlows(svc)
    assistant = Assistant(svc, claims, drafts.summary_blocks)
    commands = Commands(assistant)

    app.middleware(dedupe_middleware(claims))
    app.event("app_mention")(ack=ack_only, lazy=[assistant.on_event])
    app.event("message")(ack=ack_only, lazy=[assistant.on_event])
    app.command("/careassist")(ack=commands.ack, lazy=[commands.run])
    # views.open needs the trigger id within 3 s, so these work before returning, not lazily.
    app.action("draft_open")(drafts.on_open)
    app.action("draft_sign")(drafts.on_sign_click)
    app.view(SIGN_CALLBACK)(drafts.on_sign_submit)

    @app.action(FEEDBACK_ACTION)
    def feedback(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        context: BoltContext,
    ) -> None:
        on_feedback(svc, ack, body, action, respond, context)

    return app
