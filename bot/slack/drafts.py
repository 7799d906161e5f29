"""Draft flows in Slack: a summary with the completeness check, an "Open draft" modal, and a
"Sign" modal with the attestation that only a clinician can complete.

Every rule (who may read, who may sign, completeness, immutability) is the drafting tools' to
enforce; this module re-checks the role only to answer early and politely.
"""

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.faces.errors import describe_exception
from bot.slack.blocks import Block, button, escape, section, split_text
from bot.slack.blocks import context as context_block
from bot.slack.identity import SlackCaller, resolve
from bot.slack.messages import NOT_ALLOWED, ONLY_CLINICIANS, UNLINKED
from bot.slack.services import SlackServices
from tools.draft_kinds import revise_draft
from tools.drafts import DraftKind, DraftOut, DraftStatus, get_draft
from tools.errors import ToolError
from tools.signoff import ATTESTATION, sign_draft

log = logging.getLogger(__name__)

SIGN_CALLBACK = "draft_sign"
ATTEST_VALUE = "yes"
MODAL_BLOCKS_MAX = 100
# Elements of a letter the signing clinician can supply in the sign modal itself; the modal
# then makes a new version with them and signs that version.
COMPLETABLE = frozenset({"reviewer", "information_needed"})
KIND_NAMES = {"case_note": "case note", "denial_letter": "denial letter"}


def completeness_line(draft: DraftOut) -> str:
    report = draft.completeness
    if report.complete:
        return f":white_check_mark: Complete: all {len(report.present)} required elements present"
    missing = ", ".join(f"`{m.id}`" for m in report.missing)
    return f":warning: Missing before it can be signed: {missing}"


def title_of(draft: DraftOut) -> str:
    kind = KIND_NAMES.get(draft.kind.value, draft.kind.value)
    return f"*{draft.draft_id}*: {kind} v{draft.version} for case {draft.case_id} ({draft.status})"


def modal(title: str, blocks: list[Block], **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks[:MODAL_BLOCKS_MAX],
        **extra,
    }


def completion_inputs(draft: DraftOut, signer: str) -> list[Block]:
    """Inputs for what an incomplete letter lacks that the signer can supply here."""
    missing = {m.id for m in draft.completeness.missing}
    blocks: list[Block] = []
    if "reviewer" in missing:
        blocks.append(
            {
                "type": "input",
                "block_id": "reviewer",
                "label": {"type": "plain_text", "text": "Reviewing clinician (staff user id)"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "initial_value": signer,
                },
            }
        )
    if missing:
        blocks.append(
            {
                "type": "input",
                "block_id": "information",
                "optional": "information_needed" not in missing,
                "label": {
                    "type": "plain_text",
                    "text": "Information that could change this decision (one per line)",
                },
                "element": {"type": "plain_text_input", "action_id": "value", "multiline": True},
            }
        )
    return blocks


def completion_values(view: dict[str, Any]) -> dict[str, Any]:
    """The revise_draft changes the sign modal's completion inputs carry (none when absent)."""
    values = view.get("state", {}).get("values", {})

    def typed(block: str) -> str:
        value = values.get(block, {}).get("value", {}).get("value")
        return value.strip() if isinstance(value, str) else ""

    changes: dict[str, Any] = {}
    if reviewer := typed("reviewer"):
        changes["reviewer_user_id"] = reviewer
    if information := typed("information"):
        changes["information_needed"] = [i.strip() for i in information.splitlines() if i.strip()]
    return changes


class DraftFlows:
    def __init__(self, svc: SlackServices) -> None:
        self.svc = svc

    def _draft(self, caller: SlackCaller, draft_id: str, purpose: str) -> DraftOut:
        assert caller.principal is not None
        ctx = self.svc.runtime.tool_context(caller.principal, "slack", purpose)
        return get_draft(ctx, {"draft_id": draft_id})

    def summary_blocks(self, draft_id: str, caller: SlackCaller) -> list[Block]:
        """Added under an answer that created a draft: what it is, what is missing, buttons."""
        if not caller.may_see_member_data:
            return []
        try:
            draft = self._draft(caller, draft_id, "draft summary in Slack")
        except ToolError as exc:
            log.warning("draft %s summary unavailable: %s", draft_id, describe_exception(exc))
            return [context_block([f"Draft {escape(draft_id)} could not be loaded."])]
        buttons = [button("Open draft", "draft_open", draft.draft_id)]
        if draft.status is DraftStatus.draft:
            buttons.append(button("Sign…", "draft_sign", draft.draft_id, "primary"))
        return [
            section(f"{title_of(draft)}\n{completeness_line(draft)}"),
            context_block([escape(draft.notice)]),
            {"type": "actions", "block_id": f"draft:{draft.draft_id}", "elements": buttons},
        ]

    def on_open(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        caller = resolve(self.svc.db, body["user"]["id"], context.team_id)
        if not caller.may_see_member_data:
            self._refuse(respond, client, body, UNLINKED if not caller.linked else NOT_ALLOWED)
            return
        try:
            draft = self._draft(caller, action["value"], "open draft in Slack")
        except ToolError as exc:
            self._refuse(respond, client, body, str(exc))
            return
        blocks: list[Block] = [section(title_of(draft)), section(completeness_line(draft))]
        blocks.extend(section(f"```{escape(piece)}```") for piece in split_text(draft.text, 2800))
        blocks.append(context_block([escape(draft.notice)]))
        client.views_open(
            trigger_id=body["trigger_id"], view=modal(f"Draft {draft.draft_id}", blocks)
        )

    def on_sign_click(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        caller = resolve(self.svc.db, body["user"]["id"], context.team_id)
        if not caller.is_clinician:
            self._refuse(respond, client, body, ONLY_CLINICIANS)
            return
        try:
            draft = self._draft(caller, action["value"], "sign-off review in Slack")
        except ToolError as exc:
            self._refuse(respond, client, body, str(exc))
            return
        missing = {m.id for m in draft.completeness.missing}
        completable = draft.kind is DraftKind.denial_letter and missing <= COMPLETABLE
        if draft.status is not DraftStatus.draft or not completable:
            reason = (
                completeness_line(draft)
                if draft.status is DraftStatus.draft
                else (f"Draft {draft.draft_id} is already signed.")
            )
            self._refuse(respond, client, body, reason)
            return
        client.views_open(trigger_id=body["trigger_id"], view=self.sign_modal(caller, draft))

    @staticmethod
    def sign_modal(caller: SlackCaller, draft: DraftOut) -> dict[str, Any]:
        principal = caller.principal
        assert principal is not None
        blocks: list[Block] = [
            section(f"{title_of(draft)}\n{completeness_line(draft)}"),
            section(
                f"*Signing as* {escape(principal.display_name)}, "
                f"{escape(principal.credentials or 'no credentials on file')}"
            ),
            *completion_inputs(draft, principal.user_id),
            section(f"*Attestation*\n{escape(ATTESTATION)}"),
            {
                "type": "input",
                "block_id": "attest",
                "label": {"type": "plain_text", "text": "Attestation"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "agree",
                    "options": [
                        {
                            "text": {
                                "type": "plain_text",
                                "text": "I attest to the statement above",
                            },
                            "value": ATTEST_VALUE,
                        }
                    ],
                },
            },
        ]
        return modal(
            "Sign draft",
            blocks,
            callback_id=SIGN_CALLBACK,
            private_metadata=draft.draft_id,
            submit={"type": "plain_text", "text": "Sign"},
        )

    def on_sign_submit(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        """Runs inside Slack's 3 s: the modal shows either an error or the signed confirmation."""
        caller = resolve(self.svc.db, body["user"]["id"], context.team_id)
        principal = caller.principal
        if principal is None or not caller.is_clinician:
            ack(response_action="errors", errors={"attest": ONLY_CLINICIANS[:150]})
            return
        selected = (
            view["state"]["values"].get("attest", {}).get("agree", {}).get("selected_options")
        )
        # Only the one option the modal offers attests; anything else is not a ticked box.
        agreed = isinstance(selected, list) and any(
            isinstance(o, dict) and o.get("value") == ATTEST_VALUE for o in selected
        )
        if not agreed:
            ack(response_action="errors", errors={"attest": "Tick the attestation to sign."})
            return
        ctx = self.svc.runtime.tool_context(principal, "slack", "clinician sign-off in Slack")
        draft_id = view.get("private_metadata", "")
        changes = completion_values(view)
        try:
            if changes:
                # The reviewer and information typed in the modal make a new version first.
                draft_id = revise_draft(ctx, {"draft_id": draft_id, **changes}).draft_id
            signed = sign_draft(ctx, {"draft_id": draft_id, "attestation": ATTESTATION})
        except ToolError as exc:
            ack(response_action="errors", errors={"attest": str(exc)[:150]})
            return
        except Exception as exc:
            log.error("sign-off failed: %s", describe_exception(exc))
            ack(response_action="errors", errors={"attest": "Signing failed; please try again."})
            return
        zone = self.svc.db.settings.zone
        when = (
            f"{signed.signed_at.astimezone(zone):%Y-%m-%d %H:%M %Z}" if signed.signed_at else "now"
        )
        done = [
            section(
                f":white_check_mark: *{signed.draft_id}* signed by "
                f"{escape(signed.signer_name or '')}, {escape(signed.credentials or '')} "
                f"at {when}. It can no longer change; nothing has been sent."
            )
        ]
        ack(response_action="update", view=modal("Draft signed", done))

    @staticmethod
    def _refuse(respond: Respond, client: WebClient, body: dict[str, Any], text: str) -> None:
        """Tell only the clicker: via the message's response URL, or a modal when clicked in one."""
        if body.get("response_url"):
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        client.views_open(
            trigger_id=body["trigger_id"], view=modal("careassist", [section(escape(text))])
        )
