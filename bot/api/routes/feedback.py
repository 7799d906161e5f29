"""Ratings of answers, stored for the people who tune the assistant."""

from fastapi import APIRouter, Depends, status

from bot.api.auth import authenticated
from bot.api.errors import ApiError
from bot.api.schemas import FeedbackBody, FeedbackReceipt
from bot.api.services import Services, services
from bot.faces.feedback import (
    AnswerNotFound,
    FeedbackEntry,
    NotYourAnswer,
    check_rater,
    record_feedback,
)
from bot.faces.tokens import Caller
from tools.context import utc_now

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post(
    "/feedback",
    response_model=FeedbackReceipt,
    status_code=status.HTTP_201_CREATED,
    summary="Rate an answer (a second rating of the same answer replaces the first)",
)
def feedback(
    body: FeedbackBody, caller: Caller = Depends(authenticated), svc: Services = Depends(services)
) -> FeedbackReceipt:
    user = caller.principal.user_id
    rater = f"api:{user}"
    try:
        check_rater(svc.db, body.answer_id, rater)
    except AnswerNotFound:
        raise ApiError(404, f"no answer {body.answer_id} was issued", "answer_not_found") from None
    except NotYourAnswer:
        raise ApiError(403, "only the user an answer was given to may rate it") from None
    entry_id = record_feedback(
        svc.db,
        FeedbackEntry(
            source="api",
            answer_id=body.answer_id,
            rater=rater,
            rating=body.rating,
            at=utc_now(),
            user_id=user,
            thread_id=body.thread_id,
            intent=body.intent.value if body.intent else None,
            comment=body.comment,
        ),
    )
    return FeedbackReceipt(id=entry_id, answer_id=body.answer_id, rating=body.rating)
