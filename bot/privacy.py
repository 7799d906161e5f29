"""Whether a reply carries member or case data, and whether a caller may see it.

Both derive from one declaration: what each tool discloses (tools.catalogue) and what each role
is granted (tools.roles.ACCESS). The agent's guard, the engines and every face ask here.
"""

from collections.abc import Iterable

from bot.schemas import AgentReply, Intent, ToolCallRecord
from tools.catalogue import catalogue
from tools.roles import Principal, ToolName, may_see_member_data

# The tool that answers each routed intent. A reply to an intent whose tool discloses member
# data carries it even when no tool result made it in (a lookup refused or not found names the
# id asked for). A deadline names a case only when asked about one, and then reads it through
# get_case, which sets the reply's own flag.
ANSWERED_BY: dict[Intent, ToolName] = {
    Intent.member_lookup: ToolName.lookup_member,
    Intent.case_lookup: ToolName.get_case,
    Intent.draft_case_note: ToolName.draft_case_note,
    Intent.draft_denial_letter: ToolName.draft_denial_letter,
    Intent.criteria_lookup: ToolName.find_criteria,
    Intent.decision_request: ToolName.find_criteria,
    Intent.deadline: ToolName.compute_decision_deadline,
}


def intent_discloses(intent: Intent) -> bool:
    tool = ANSWERED_BY.get(intent)
    return tool is not None and catalogue()[tool].discloses


def calls_disclose(calls: Iterable[ToolCallRecord]) -> bool:
    """True when a tool call that succeeded returned member or case data."""
    tools = catalogue()
    return any(c.ok and tools.discloses(c.name) for c in calls)


def carries_member_data(reply: AgentReply) -> bool:
    return reply.contains_member_data or intent_discloses(reply.intent)


def caller_may_see_member_data(principal: Principal | None) -> bool:
    return principal is not None and may_see_member_data(principal.role)
