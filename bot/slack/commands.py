"""`/careassist criteria|member|case|deadline|help`: parsed here, answered by the agent.

Every command reply is ephemeral (only the person who typed it sees it), which is also what
member data requires.
"""

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.faces.errors import describe_exception
from bot.schemas import Intent, RequestFilters
from bot.slack.blocks import Block, fallback, help_blocks, notice_blocks
from bot.slack.conversation import Assistant
from bot.slack.delivery import Delivery
from bot.slack.messages import NOT_ALLOWED, UNLINKED
from bot.slack.metrics import metrics_text
from tools.errors import InvalidInput
from tools.ids import case_id, member_id

log = logging.getLogger(__name__)

LOB_WORDS = {
    "ma": "medicare_advantage",
    "medicare": "medicare_advantage",
    "medicare_advantage": "medicare_advantage",
    "medicare-advantage": "medicare_advantage",
    "medicaid": "medicaid",
    "mcd": "medicaid",
    "commercial": "commercial",
    "com": "commercial",
}
LOB_NAMES = {
    "medicare_advantage": "Medicare Advantage",
    "medicaid": "Medicaid",
    "commercial": "commercial",
}
USAGE = {
    "criteria": "`/careassist criteria <service or code> [ma|medicaid|commercial]`",
    "member": "`/careassist member <member id>` (e.g. M1000001)",
    "case": "`/careassist case <case id>` (e.g. C2000001)",
    "deadline": "`/careassist deadline <case id>` (e.g. C2000001)",
    "metrics": "`/careassist metrics` (this month's UM figures, private)",
}


@dataclass(frozen=True)
class Command:
    """A parsed command: the words shown as the question, and what it states as fields."""

    kind: str
    text: str = ""
    lob: str | None = None
    needs_member_access: bool = False
    intent: Intent | None = None
    member_id: str | None = None
    case_id: str | None = None


def parse(raw: str) -> Command:
    """The agent request a command stands for; InvalidInput names the usage when malformed."""
    words = raw.split()
    if not words or words[0].lower() == "help":
        return Command("help")
    kind, args = words[0].lower(), words[1:]
    if kind == "criteria":
        lob = LOB_WORDS.get(args[-1].lower()) if args else None
        service = " ".join(args[:-1] if lob else args)
        if not service:
            raise InvalidInput(f"usage: {USAGE['criteria']}")
        where = f" for {LOB_NAMES[lob]}" if lob else ""
        text = f"Which criteria apply to {service}{where}?"
        return Command("criteria", text, lob, intent=Intent.criteria_lookup)
    if kind in {"member", "case", "deadline"}:
        if len(args) != 1:
            raise InvalidInput(f"usage: {USAGE[kind]}")
        if kind == "member":
            member = member_id(args[0])
            text = f"Show member {member}: plan, eligibility, PCP and open cases"
            return Command(kind, text, None, True, Intent.member_lookup, member_id=member)
        case = case_id(args[0])
        if kind == "case":
            return Command(kind, f"Show case {case}", None, True, Intent.case_lookup, case_id=case)
        text = f"When is the decision on case {case} due?"
        return Command(kind, text, None, True, Intent.deadline, case_id=case)
    if kind == "metrics":
        if args:
            raise InvalidInput(f"usage: {USAGE['metrics']}")
        return Command("metrics")
    raise InvalidInput(f"I don't know `{kind}`. Try `/careassist help`.")


@dataclass(frozen=True)
class CommandReply:
    """Command replies go through the response URL, always ephemeral."""

    respond: Respond
    delivery: Delivery

    def public(self, blocks: list[Block], text: str) -> None:
        self.private(blocks, text)

    def private(self, blocks: list[Block], text: str) -> None:
        self.delivery.send(
            "response_url",
            lambda: self.respond(
                blocks=blocks,
                text=fallback(text),
                response_type="ephemeral",
                replace_original=False,
            ),
        )

    def notice(self, text: str) -> None:
        self.private(notice_blocks(text), text)


class Commands:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def ack(self, ack: Ack, command: dict[str, Any]) -> None:
        """Within Slack's 3 s: help and usage errors are answered at once, the rest is queued."""
        try:
            parsed = parse(command.get("text", ""))
        except InvalidInput as exc:
            ack(response_type="ephemeral", blocks=notice_blocks(str(exc)), text=str(exc))
            return
        if parsed.kind == "help":
            ack(response_type="ephemeral", blocks=help_blocks(), text="How to use careassist")
            return
        ack(response_type="ephemeral", text=":hourglass_flowing_sand: Working on it…")

    def run(self, command: dict[str, Any], respond: Respond, context: BoltContext) -> None:
        """Lazy listener: the agent's answer, posted through the response URL."""
        try:
            parsed = parse(command.get("text", ""))
        except InvalidInput:
            return  # already answered by ack
        if parsed.kind == "help":
            return
        place = CommandReply(respond, self.assistant.svc.slack_delivery)
        try:
            caller = self.assistant.caller(command["user_id"], context.team_id)
            if parsed.kind == "metrics":
                # Figures straight from the report, not through the agent: nothing to compose.
                place.notice(metrics_text(self.assistant.svc.runtime, caller))
                return
            if parsed.needs_member_access and not caller.may_see_member_data:
                place.notice(NOT_ALLOWED if caller.linked else UNLINKED)
                return
            filters = RequestFilters(lob=parsed.lob)
            # The command states what it asks for; the router does not parse it back.
            self.assistant.answer(
                place,
                caller,
                parsed.text,
                None,
                filters,
                intent=parsed.intent,
                member_id=parsed.member_id,
                case_id=parsed.case_id,
            )
        except Exception as exc:
            log.error("slash command %s failed: %s", parsed.kind, describe_exception(exc))
