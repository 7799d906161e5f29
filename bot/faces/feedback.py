"""Ratings of answers from the API and from Slack buttons, one per rater and answer.

A second click (or a changed mind) replaces the first, so the table counts opinions, not clicks.
Only the person an answer was given to may rate it: every answer id is recorded with its
recipient when issued, so made-up ids and other people's answers are refused, not counted.
Neither the question nor the answer is stored: an answer id, the thread and the intent are
enough to find the conversation while keeping member data out of this table.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.service_models import Feedback, IssuedAnswer
from tools.db import Database

Rating = Literal["up", "down"]
Source = Literal["api", "slack"]


@dataclass(frozen=True)
class FeedbackEntry:
    source: Source
    answer_id: str
    rater: str
    rating: Rating
    at: datetime
    user_id: str | None = None
    thread_id: str | None = None
    intent: str | None = None
    comment: str | None = None


class AnswerNotFound(Exception):
    """No answer with this id was ever issued."""


class NotYourAnswer(Exception):
    """The answer was issued to someone else."""


def issue_answer(db: Database, answer_id: str, issued_to: str, at: datetime) -> None:
    """Record that `answer_id` was given to `issued_to` (a rater name such as "api:cm.alex")."""
    with db.transaction() as session:
        session.add(IssuedAnswer(answer_id=answer_id, issued_to=issued_to, issued_at=at))


def check_rater(db: Database, answer_id: str, rater: str) -> None:
    """Raise unless `answer_id` was issued to `rater`."""
    with db.read_only() as session:
        issued = session.get(IssuedAnswer, answer_id)
        if issued is None:
            raise AnswerNotFound(answer_id)
        if issued.issued_to != rater:
            raise NotYourAnswer(answer_id)


def record_feedback(db: Database, entry: FeedbackEntry) -> int:
    values = {
        "created_at": entry.at,
        "source": entry.source,
        "answer_id": entry.answer_id,
        "rater": entry.rater,
        "user_id": entry.user_id,
        "thread_id": entry.thread_id,
        "intent": entry.intent,
        "rating": entry.rating,
        "comment": entry.comment,
    }
    insert = pg_insert if db.dialect == "postgresql" else sqlite_insert
    stmt = insert(Feedback).values(**values)
    upsert = stmt.on_conflict_do_update(
        index_elements=[Feedback.answer_id, Feedback.rater],
        set_={
            "rating": stmt.excluded.rating,
            "comment": stmt.excluded.comment,
            "created_at": stmt.excluded.created_at,
        },
    ).returning(Feedback.id)
    with db.transaction() as session:
        return int(session.execute(upsert).scalar_one())
