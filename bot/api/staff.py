"""Staff users as the service sees them: add or update one, list them with tokens and links."""

from dataclasses import dataclass, replace

import sqlalchemy as sa

from bot.service_models import ApiToken, SlackUserLink
from tools.context import utc_now
from tools.db import Database
from tools.errors import InvalidInput
from tools.ids import person_name
from tools.ids import user_id as valid_user_id
from tools.plandata import open_plan_data
from tools.plandata.records import StaffRow
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


def add_user(
    db: Database,
    user_id: str,
    role: Role,
    display_name: str,
    credentials: str | None = None,
    update: bool = False,
) -> bool:
    """Create a staff user; returns False when it existed (and was updated if `update`)."""
    uid = valid_user_id(user_id)
    name = person_name(display_name)
    if credentials is not None and not 1 <= len(credentials.strip()) <= 40:
        raise InvalidInput("credentials must be 1-40 characters, e.g. MD or RN")
    with open_plan_data(db).changing() as writes:
        user = writes.staff_user(uid)
        if user is None:
            writes.put_staff(StaffRow(uid, role, name, credentials, active=True))
            return True
        if not update and (user.role != role or not user.active):
            raise InvalidInput(
                f"staff user {uid} exists with role {Role(user.role).value}"
                f"{'' if user.active else ' (deactivated)'}; pass --update to change it"
            )
        if update:
            changed = replace(user, role=role, display_name=name, active=True)
            if credentials is not None:
                changed = replace(changed, credentials=credentials)
            writes.put_staff(changed)
        return False


def deactivate(db: Database, user_id: str) -> None:
    uid = valid_user_id(user_id)
    with open_plan_data(db).changing() as writes:
        user = writes.staff_user(uid)
        if user is not None:
            writes.put_staff(replace(user, active=False))


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
