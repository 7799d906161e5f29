"""Staff users as the faces see them: the directory (tools.users) with each user's API tokens
and Slack links, which are the faces' own tables."""

from dataclasses import dataclass

import sqlalchemy as sa

from bot.service_models import ApiToken, SlackUserLink
from tools.context import utc_now
from tools.db import Database
from tools.plandata import open_plan_data
from tools.roles import Role


@dataclass(frozen=True)
class StaffUser:
    user_id: str
    role: Role
    display_name: str
    credentials: str | None
    active: bool
    active_tokens: int
    slack_user_ids: tuple[str, ...]


def list_staff(db: Database) -> list[StaffUser]:
    now = utc_now()
    with open_plan_data(db).reading() as reads:
        users = reads.staff()
    with db.read_only() as session:
        tokens = dict(
            session.execute(
                sa.select(ApiToken.user_id, sa.func.count())
                .where(
                    ApiToken.revoked_at.is_(None),
                    sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
                )
                .group_by(ApiToken.user_id)
            ).all()
        )
        links: dict[str, list[str]] = {}
        for link in session.scalars(sa.select(SlackUserLink)):
            links.setdefault(link.user_id, []).append(link.slack_user_id)
    return [
        StaffUser(
            user_id=u.user_id,
            role=Role(u.role),
            display_name=u.display_name,
            credentials=u.credentials,
            active=u.active,
            active_tokens=int(tokens.get(u.user_id, 0)),
            slack_user_ids=tuple(sorted(links.get(u.user_id, []))),
        )
        for u in users
    ]
