"""Feedback counts only for an answer the API gave to the same user: 404 for an id never issued,
403 for someone else's answer, and nothing is stored for either."""

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.service_models import Feedback
from tests.integration.api_stack import ApiStack, api_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiStack]:
    with api_stack(tmp_path_factory.mktemp("feedback-api")) as s:
        yield s


def stored(stack: ApiStack, answer_id: str) -> list[tuple[str, str]]:
    with stack.db.read_only() as s:
        rows = s.scalars(sa.select(Feedback).where(Feedback.answer_id == answer_id))
        return [(f.rater, f.rating) for f in rows]


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/chat"])
def test_feedback_on_my_own_answer_is_stored(stack: ApiStack, path: str) -> None:
    with stack.client("cm.alex") as c:
        answer = c.post(path, json={"text": "timeframes"}).json()
        r = c.post("/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "up"})
    assert r.status_code == 201, r.text
    assert stored(stack, answer["answer_id"]) == [("api:cm.alex", "up")]


def test_feedback_on_an_answer_never_issued_is_404(stack: ApiStack) -> None:
    with stack.client("cm.alex") as c:
        r = c.post("/v1/feedback", json={"answer_id": "a" * 32, "rating": "down"})
    assert r.status_code == 404, r.text
    assert r.json()["error"]["code"] == "answer_not_found"
    assert stored(stack, "a" * 32) == []


def test_feedback_on_another_users_answer_is_403(stack: ApiStack) -> None:
    with stack.client("cm.alex") as c:
        answer = c.post("/v1/ask", json={"text": "timeframes"}).json()
    with stack.client("ur.blake") as c:
        r = c.post("/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "down"})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "forbidden"
    assert stored(stack, answer["answer_id"]) == []
