"""The staff directory: who a face's caller is, and adding, updating and deactivating staff."""

from dataclasses import replace

from tools.db import Database
from tools.errors import InvalidInput, PermissionDenied, UserNotFound
from tools.ids import person_name
from tools.ids import user_id as valid_user_id
from tools.plandata import open_plan_data
from tools.plandata.records import StaffRow
from tools.roles import Principal, Role


def principal_for(db: Database, user_id: str | None, as_role: Role | None = None) -> Principal:
    """The Principal for a staff user id; `as_role`, when given, must be the user's role.

    Authentication is the face's job (API tokens, Slack identity, the OS account for the CLI);
    this only maps an authenticated id to its role and credentials.
    """
    if not user_id:
        raise InvalidInput("say who you are: --user ID (or set CAREASSIST_USER)")
    uid = valid_user_id(user_id)
    with open_plan_data(db).reading() as reads:
        user = reads.staff_user(uid)
    if user is None:
        raise UserNotFound(uid)
    if not user.active:
        raise PermissionDenied(f"staff user {uid} is deactivated")
    principal = principal_of(user)
    if as_role is not None and Role(as_role) is not principal.role:
        raise PermissionDenied(
            f"user {uid} has role {principal.role.value}, not {Role(as_role).value}"
        )
    return principal


def principal_of(user: StaffRow) -> Principal:
    """The Principal a staff directory entry acts as (whether it is active is the caller's
    check)."""
    return Principal(
        user_id=user.user_id,
        role=Role(user.role),
        display_name=user.display_name,
        credentials=user.credentials,
    )


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
