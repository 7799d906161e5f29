"""Clicks on the 👍 / 👎 buttons under an answer, stored like API feedback."""

import json
import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.faces.errors import describe_exception
from bot.faces.feedback import (
    AnswerNotFound,
    FeedbackEntry,
    NotYourAnswer,
    check_rater,
    record_feedback,
)
from bot.faces.links import principal_for
from bot.slack.services import SlackServices
from tools.context import utc_now

log = logging.getLogger(__name__)

THANKS = "Thanks, your feedback was recorded. It helps us improve the answers."
NOT_YOURS = "Thanks, but only the person who asked can rate this answer."
FAILED = "Sorry, I couldn't record that feedback just now."
UNKNOWN = "Sorry, I could not find that answer to record feedback on."


def parse_value(value: str) -> tuple[str, str | None, str | None] | None:
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        return None
    answer_id = data["a"][:64]
    thread = data.get("t") if isinstance(data.get("t"), str) else None
    intent = data.get("i") if isinstance(data.get("i"), str) else None
    return answer_id, thread and thread[:200], intent and intent[:32]


def on_feedback(
    svc: SlackServices,
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    parsed = parse_value(action.get("value", ""))
    slack_user = (body.get("user") or {}).get("id", "")
    if parsed is None or not slack_user:
        log.warning("feedback click with an unreadable value ignored")
        return
    answer_id, thread_id, intent = parsed
    principal = principal_for(svc.db, slack_user, context.team_id)
    rater = f"slack:{slack_user}"
    try:
        check_rater(svc.db, answer_id, rater)
    except (AnswerNotFound, NotYourAnswer) as exc:
        text = NOT_YOURS if isinstance(exc, NotYourAnswer) else UNKNOWN
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    except Exception as exc:
        log.error("feedback check failed: %s", describe_exception(exc))
        respond(text=FAILED, response_type="ephemeral", replace_original=False)
        return
    try:
        record_feedback(
            svc.db,
            FeedbackEntry(
                source="slack",
                answer_id=answer_id,
                rater=rater,
                rating="up" if action.get("action_id") == "feedback_up" else "down",
                at=utc_now(),
                user_id=principal.user_id if principal else None,
                thread_id=thread_id,
                intent=intent,
            ),
        )
    except Exception as exc:
        log.error("feedback not stored: %s", describe_exception(exc))
        respond(text=FAILED, response_type="ephemeral", replace_original=False)
        return
    respond(text=THANKS, response_type="ephemeral", replace_original=False)
