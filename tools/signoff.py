"""The clinician sign-off gate: the only way a draft becomes signed.

- only an active user with the clinician role in the staff directory may sign, never the
  assistant (sign_draft is not among the tools offered to the agent, and machine user ids are
  refused outright);
- signing records name, credentials, attestation and time, is audited, and is refused while the
  completeness checker reports a missing element;
- a signed draft is never signed twice, and only the latest version may be signed.
"""

import hashlib
import logging
import re

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from tools.catalogue import tool
from tools.context import ToolContext
from tools.db import rows_changed
from tools.drafts import (
    Draft,
    DraftId,
    DraftKind,
    DraftOut,
    DraftStatus,
    completeness_of,
    disclose,
    draft_out,
    drafting,
    load_draft,
    successor_of,
)
from tools.errors import PermissionDenied, SignOffRefused
from tools.plandata.records import StaffRow
from tools.roles import Principal, Role, ToolName

log = logging.getLogger(__name__)

CREDENTIALS_RE = re.compile(r"^[A-Za-z][A-Za-z.\-]*(?:,? [A-Za-z][A-Za-z.\-]*){0,5}$")
# Ids the assistant or other automation might run under: none of them ever signs.
MACHINE_USER_IDS = frozenset({"careassist", "assistant", "system", "agent", "bot", "automation"})
ATTESTATION = (
    "I reviewed this draft, the case record and the criteria cited. The determination is my "
    "own clinical judgment and I take responsibility for it."
)


class SignDraftInput(BaseModel):
    """What a signer supplies. Name and credentials are not among it: they are read from the
    staff directory, so a signature cannot claim a qualification the plan has not recorded."""

    model_config = ConfigDict(extra="forbid")

    draft_id: DraftId
    attestation: str = Field(min_length=20, max_length=1000)


def _directory_credentials(user: StaffRow) -> str:
    value = " ".join((user.credentials or "").split())
    if not value:
        raise SignOffRefused(
            f"no credentials on file for {user.user_id} in the staff directory; an admin records "
            "them (careassist users add --update --credentials ...) before you sign"
        )
    if not CREDENTIALS_RE.match(value):
        raise SignOffRefused(
            f"the credentials on file for {user.user_id} do not look like 'MD', 'DO' or "
            "'MD, FACP'; an admin corrects them before you sign"
        )
    return value


def _admit_signer(principal: Principal) -> None:
    """Refuse the assistant and non-clinicians in words, before the access table does."""
    if principal.user_id.lower() in MACHINE_USER_IDS:
        raise PermissionDenied("careassist never signs a draft: a clinician signs it in person")
    if Role(principal.role) is not Role.clinician:
        raise PermissionDenied(
            f"only a clinician may sign a draft; role {Role(principal.role).value} may not"
        )


@tool(
    ToolName.sign_draft, SignDraftInput, DraftOut, discloses=True, agent=False, admit=_admit_signer
)
def sign_draft(ctx: ToolContext, req: SignDraftInput) -> DraftOut:
    """A clinician signs a complete draft: records name and credentials (from the staff
    directory), attestation and time, and makes the draft immutable. Refused for anyone but an
    active clinician or one without credentials on file, for the assistant, for an incomplete
    draft, a signed one or one that a newer version replaced. Not an agent tool: only a person
    signs, through the CLI, the API or Slack. Audited."""
    principal = ctx.principal
    now = ctx.now()
    with drafting(ctx) as (reads, session):
        user = reads.staff_user(principal.user_id)
        if user is None or not user.active or Role(user.role) is not Role.clinician:
            raise PermissionDenied(
                f"user {principal.user_id} is not an active clinician in the staff directory"
            )
        credentials = _directory_credentials(user)
        draft = load_draft(session, principal, req.draft_id)
        _refuse_unsignable(session, principal, draft)
        done = session.execute(
            sa.update(Draft)
            .where(Draft.draft_id == draft.draft_id, Draft.status == DraftStatus.draft)
            .values(
                status=DraftStatus.signed,
                signed_by=principal.user_id,
                signer_name=user.display_name,
                credentials=credentials,
                attestation=req.attestation,
                signed_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if rows_changed(done) != 1:
            raise SignOffRefused(f"draft {draft.draft_id} was signed by someone else meanwhile")
        session.refresh(draft)
        disclose(
            reads.audit,
            ctx,
            ToolName.sign_draft,
            [draft],
            action="signed",
            body_sha256=hashlib.sha256(draft.body.encode()).hexdigest(),
        )
        out = draft_out(session, draft, ctx.zone)
    log.info("draft %s signed by %s", out.draft_id, principal.user_id)
    return out


def _refuse_unsignable(session: Session, principal: Principal, draft: Draft) -> None:
    if draft.status is DraftStatus.signed:
        when = draft.signed_at.isoformat() if draft.signed_at else "earlier"
        raise SignOffRefused(
            f"draft {draft.draft_id} was already signed by {draft.signed_by} at {when}; a signed "
            "draft is never signed again (revise it to make a new version)"
        )
    newer = successor_of(session, draft.draft_id)
    if newer:
        raise SignOffRefused(
            f"draft {draft.draft_id} was replaced by {newer}; review and sign the latest version"
        )
    named = draft.fields.get("reviewer_user_id")
    if draft.kind is DraftKind.denial_letter and named and named != principal.user_id:
        raise SignOffRefused(
            f"the letter names {named} as the reviewing clinician; {named} signs it, or revise "
            "it to name you"
        )
    report = completeness_of(draft)
    if not report.complete:
        missing = "; ".join(f"{m.id} ({m.citation})" for m in report.missing)
        raise SignOffRefused(
            f"draft {draft.draft_id} cannot be signed while the checker reports missing "
            f"elements: {missing}. Revise it first."
        )
