"""Which staff user each Slack account speaks for. Unlinked Slack users get policy answers only."""

import re

import sqlalchemy as sa

from bot.service_models import SlackUserLink
from tools.context import utc_now
from tools.db import Database, rows_changed
from tools.errors import InvalidInput, NotFound
from tools.ids import user_id as valid_user_id
from tools.plandata import open_plan_data
from tools.roles import Principal
from tools.users import principal_of

SLACK_USER_RE = re.compile(r"^[UW][A-Z0-9]{2,31}$")
SLACK_TEAM_RE = re.compile(r"^[TE][A-Z0-9]{2,31}$")


def slack_user_id(value: str) -> str:
    text = value.strip().upper()
    if not SLACK_USER_RE.match(text):
        raise InvalidInput(f"{value!r} is not a Slack user id (e.g. U024BE7LH)")
    return text


def link(db: Database, user_id: str, slack_user: str, team_id: str | None = None) -> None:
    """Link a Slack account to a staff user, replacing any earlier link of that account."""
    uid, sid = valid_user_id(user_id), slack_user_id(slack_user)
    if team_id is not None and not SLACK_TEAM_RE.match(team_id):
        raise InvalidInput(f"{team_id!r} is not a Slack team id (e.g. T024BE7LD)")
    with open_plan_data(db).reading() as reads:
        if reads.staff_user(uid) is None:
            raise NotFound(f"no staff user with id {uid}; add one with `careassist users add`")
    with db.transaction() as session:
        existing = session.get(SlackUserLink, sid)
        if existing is None:
            session.add(
                SlackUserLink(slack_user_id=sid, team_id=team_id, user_id=uid, linked_at=utc_now())
            )
        else:
            existing.user_id, existing.team_id, existing.linked_at = uid, team_id, utc_now()


def unlink(db: Database, *, user_id: str | None = None, slack_user: str | None = None) -> int:
    query = sa.delete(SlackUserLink)
    if slack_user is not None:
        query = query.where(SlackUserLink.slack_user_id == slack_user_id(slack_user))
    elif user_id is not None:
        query = query.where(SlackUserLink.user_id == valid_user_id(user_id))
    else:
        raise InvalidInput("name a staff user or a Slack user to unlink")
    with db.transaction() as session:
        return rows_changed(session.execute(query))


def principal_for(db: Database, slack_user: str, team_id: str | None) -> Principal | None:
    """The staff principal behind a Slack account, or None (unlinked, other team, inactive)."""
    if not SLACK_USER_RE.match(slack_user or ""):
        return None
    with db.read_only() as session:
        linked = session.get(SlackUserLink, slack_user)
    if linked is None or (linked.team_id is not None and linked.team_id != team_id):
        return None
    with open_plan_data(db).reading() as reads:
        user = reads.staff_user(linked.user_id)
    if user is None or not user.active:
        return None
    return principal_of(user)
