"""Who is speaking in Slack: a linked staff principal, or a guest limited to policy answers."""

import re
from dataclasses import dataclass

from bot.faces.links import principal_for
from bot.privacy import caller_may_see_member_data
from tools.db import Database
from tools.ids import CASE_ID_RE, MEMBER_ID_RE
from tools.roles import Principal, Role

# The agent needs a role for every turn. An unlinked Slack user gets admin's grant: the only
# role with no member or case fields, so the tools themselves refuse any member data.
GUEST_ROLE = Role.admin
ID_MENTION_RE = re.compile(
    rf"\b({MEMBER_ID_RE.pattern.strip('^$')}|{CASE_ID_RE.pattern.strip('^$')})\b", re.I
)


@dataclass(frozen=True)
class SlackCaller:
    slack_user_id: str
    team_id: str | None
    principal: Principal | None

    @property
    def linked(self) -> bool:
        return self.principal is not None

    @property
    def may_see_member_data(self) -> bool:
        return caller_may_see_member_data(self.principal)

    @property
    def is_clinician(self) -> bool:
        return self.principal is not None and self.principal.role is Role.clinician

    def agent_principal(self) -> Principal:
        if self.principal is not None:
            return self.principal
        return Principal(user_id=f"slack.{self.slack_user_id.lower()}", role=GUEST_ROLE)


def resolve(db: Database, slack_user: str, team_id: str | None) -> SlackCaller:
    return SlackCaller(slack_user, team_id, principal_for(db, slack_user, team_id))


def asks_for_member_data(text: str) -> bool:
    return ID_MENTION_RE.search(text) is not None
