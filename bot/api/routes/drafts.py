"""Drafts of case notes and denial letters; only a clinician signs (tools.signoff enforces it too).

Nothing here sends or finalises anything: a signed letter is a signed draft for people to send.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from bot.api.auth import require_tool
from bot.api.errors import ApiError
from bot.api.services import Services, services
from bot.faces.tokens import Caller
from tools.draft_kinds import (
    DraftCaseNoteInput,
    DraftDenialLetterInput,
    draft_case_note,
    draft_denial_letter,
)
from tools.drafts import (
    DraftId,
    DraftKind,
    DraftList,
    DraftOut,
    DraftStatus,
    get_draft,
    list_drafts,
)
from tools.ids import CaseId
from tools.roles import ToolName
from tools.signoff import ATTESTATION, sign_draft

router = APIRouter(prefix="/v1", tags=["drafts"])


class CaseNoteCreate(DraftCaseNoteInput):
    kind: Literal["case_note"]


class DenialLetterCreate(DraftDenialLetterInput):
    kind: Literal["denial_letter"]


DraftCreate = Annotated[CaseNoteCreate | DenialLetterCreate, Field(discriminator="kind")]


class SignBody(BaseModel):
    """Only the attestation: the name and credentials signed come from the staff directory."""

    model_config = ConfigDict(extra="forbid")

    # Strict: "yes", "1", 1 or "on" are not an attestation a clinician made on purpose.
    attest: StrictBool = Field(
        description=f"Must be JSON true: you attest that {ATTESTATION[0].lower()}{ATTESTATION[1:]}"
    )


@router.post(
    "/drafts",
    response_model=DraftOut,
    status_code=status.HTTP_201_CREATED,
    summary="Draft a case note or a denial letter for clinician review",
)
def create(
    body: DraftCreate,
    caller: Caller = Depends(require_tool(ToolName.get_draft)),
    svc: Services = Depends(services),
) -> DraftOut:
    ctx = svc.runtime.tool_context(caller.principal, "api", f"draft {body.kind} via API")
    values = body.model_dump(exclude={"kind"})
    if body.kind == DraftKind.case_note.value:
        return draft_case_note(ctx, values)
    return draft_denial_letter(ctx, values)


@router.get("/drafts", response_model=DraftList, summary="List drafts, newest first")
def index(
    case_id: CaseId | None = Query(None),
    status_: DraftStatus | None = Query(None, alias="status"),
    kind: DraftKind | None = Query(None),
    limit: int = Query(50, ge=1, le=200),
    caller: Caller = Depends(require_tool(ToolName.list_drafts)),
    svc: Services = Depends(services),
) -> DraftList:
    ctx = svc.runtime.tool_context(caller.principal, "api", "list drafts via API")
    return list_drafts(ctx, {"case_id": case_id, "status": status_, "kind": kind, "limit": limit})


@router.get("/drafts/{draft_id}", response_model=DraftOut, summary="Show one draft")
def show(
    draft_id: DraftId,
    caller: Caller = Depends(require_tool(ToolName.get_draft)),
    svc: Services = Depends(services),
) -> DraftOut:
    ctx = svc.runtime.tool_context(caller.principal, "api", "show draft via API")
    return get_draft(ctx, {"draft_id": draft_id})


@router.post(
    "/drafts/{draft_id}/sign",
    response_model=DraftOut,
    summary="Sign a complete draft (clinicians only); it becomes immutable",
)
def sign(
    draft_id: DraftId,
    body: SignBody,
    caller: Caller = Depends(require_tool(ToolName.sign_draft)),
    svc: Services = Depends(services),
) -> DraftOut:
    principal = caller.principal
    if body.attest is not True:
        raise ApiError(
            422, "signing needs the attestation: send attest=true", "attestation_missing"
        )
    ctx = svc.runtime.tool_context(principal, "api", "clinician sign-off via API")
    return sign_draft(ctx, {"draft_id": draft_id, "attestation": ATTESTATION})
