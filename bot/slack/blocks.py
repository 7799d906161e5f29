"""Block Kit for replies: pure functions from the agent's reply to Slack's JSON.

Slack's limits shape this module: a section holds at most 3,000 characters, a context block 10
elements, a message 50 blocks, a button value 2,000 characters.
"""

import json
import re
from typing import Any

from bot.schemas import AgentReply, Citation

SECTION_MAX = 2900
CONTEXT_MAX = 10
MESSAGE_BLOCKS_MAX = 50
FALLBACK_MAX = 300

Block = dict[str, Any]

HELP = """*careassist* answers questions about UM policies, criteria, contracts and regulations \
with citations, looks up members and cases for staff whose role allows it, and drafts case \
notes and denial letters for a clinician to sign. It never makes a coverage decision.

• Mention me in a channel or send me a direct message; I answer in the thread and remember it.
• `/careassist criteria <service or code> [ma|medicaid|commercial]`: which criteria apply
• `/careassist member <member id>`: a member's plan, eligibility and open cases (private)
• `/careassist case <case id>`: a UM case (private)
• `/careassist deadline <case id>`: when the decision on a case is due (private)
• `/careassist metrics`: this month's UM figures (private; UM reviewers, compliance, admin)
• `/careassist help`: this message

Member and case details are shown only to you (privately or in a direct message), and only if \
your Slack account is linked to a staff user whose role may see them."""


def escape(text: str) -> str:
    """Slack's three control characters; everything else is shown as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)  # Markdown bold -> Slack bold
    return re.sub(r"^#{1,6}\s*(.+)$", r"*\1*", text, flags=re.M)


def split_text(text: str, limit: int = SECTION_MAX) -> list[str]:
    """Split at paragraph, then line, then word boundaries so no piece exceeds the limit."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind(sep, 0, limit) for sep in ("\n\n", "\n", " "))
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(texts: list[str]) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": t[:2000]} for t in texts[:CONTEXT_MAX]],
    }


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def source_line(c: Citation) -> str:
    effective = f" · effective {c.effective_date}" if c.effective_date else ""
    return f"*[{c.n}]* {escape(c.title)} · `{escape(c.citation)}`{effective}"


def sources_block(citations: list[Citation]) -> Block:
    shown = citations[: CONTEXT_MAX - 1]
    lines = ["*Sources*", *(source_line(c) for c in shown)]
    if len(citations) > len(shown):
        lines[-1] += f" (+{len(citations) - len(shown)} more)"
    return context(lines)


def feedback_value(answer_id: str, thread_id: str | None, intent: str) -> str:
    return json.dumps({"a": answer_id, "t": thread_id, "i": intent}, separators=(",", ":"))


def feedback_block(answer_id: str, thread_id: str | None, intent: str) -> Block:
    value = feedback_value(answer_id, thread_id, intent)
    return {
        "type": "actions",
        "block_id": f"feedback:{answer_id}",
        "elements": [
            button(":thumbsup: Helpful", "feedback_up", value),
            button(":thumbsdown: Not helpful", "feedback_down", value),
        ],
    }


def answer_blocks(
    reply: AgentReply,
    answer_id: str,
    thread_id: str | None,
    extra: list[Block] | None = None,
) -> list[Block]:
    tail: list[Block] = []
    if reply.notices:
        tail.append(context([f":information_source: {escape(n)}" for n in reply.notices]))
    if reply.citations:
        tail.append(sources_block(reply.citations))
    tail.extend(extra or [])
    tail.append(feedback_block(answer_id, thread_id, reply.intent.value))
    # An over-long answer loses its end, never its sources, notices or buttons.
    body = [section(piece) for piece in split_text(to_mrkdwn(reply.answer))]
    room = MESSAGE_BLOCKS_MAX - len(tail)
    if len(body) > room:
        body = [*body[: room - 1], context(["(answer shortened to fit Slack)"])]
    return body + tail


def fallback(text: str) -> str:
    """Notification text: the first line of the answer, short."""
    first = text.strip().splitlines()[0] if text.strip() else "careassist"
    return first if len(first) <= FALLBACK_MAX else first[: FALLBACK_MAX - 1] + "…"


def notice_blocks(text: str) -> list[Block]:
    return [section(escape(text))]


def help_blocks() -> list[Block]:
    return [section(escape(HELP))]
