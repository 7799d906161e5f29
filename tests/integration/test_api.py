"""The HTTP API over real HTTP (uvicorn on 127.0.0.1): every endpoint, every role, and the
edges: 401, 403, 404, 413, 422, 429, malformed JSON, the error shape and the access log."""

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.api.ratelimit import RedisRateLimiter, SqlRateLimiter
from bot.errors import MessageTooLong
from bot.faces.tokens import TokenStore
from bot.server import create_app
from bot.service_models import Feedback
from bot.settings import BotSettings
from tests.integration.service_support import FakeRuntime, UvicornThread, make_db
from tools.context import utc_now
from tools.db import Database
from tools.models import AuditRecord
from tools.roles import Role

USERS = {
    Role.case_manager: "cm.alex",
    Role.um_reviewer: "ur.blake",
    Role.clinician: "dr.casey",
    Role.compliance: "co.dana",
    Role.admin: "ad.eli",
}


@dataclass
class Stack:
    url: str
    db: Database
    runtime: FakeRuntime
    tokens: dict[Role, str]
    store: TokenStore

    def client(self, role: Role | None = None, token: str | None = None) -> httpx.Client:
        headers = {}
        if role is not None or token is not None:
            headers["Authorization"] = f"Bearer {token or self.tokens[role]}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def settings(tmp: Path, **extra: object) -> BotSettings:
    values: dict[str, object] = {
        "state_dir": tmp,
        "api_token_cache_s": 0,
        "api_rate_limit": 10_000,
        "api_max_body_bytes": 4096,
        "slack_bot_token": None,
        "slack_signing_secret": None,
        "redis_url": None,
    }
    values.update(extra)
    return BotSettings(_env_file=None, **values)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("api")
    db = make_db(tmp)
    runtime = FakeRuntime(db)
    store = TokenStore(db, cache_s=0)
    tokens = {role: store.issue(user, "tests").token for role, user in USERS.items()}
    app = create_app(runtime, settings(tmp), tokens=store)
    with UvicornThread(app) as url:
        yield Stack(url, db, runtime, tokens, store)
    db.dispose()


def error_of(response: httpx.Response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]


# --- health -------------------------------------------------------------------------------


def test_healthz_answers_without_a_token(stack: Stack) -> None:
    with stack.client() as c:
        r = c.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_readyz_is_503_naming_the_check_that_failed(stack: Stack) -> None:
    with stack.client() as c:
        assert c.get("/readyz").json() == {
            "ready": True,
            "checks": {"index": True, "model": True, "database": True, "rate_limit_store": True},
            "failures": {"slack_deliveries": 0},
        }
        stack.runtime.readiness["index"] = False
        try:
            r = c.get("/readyz")
        finally:
            stack.runtime.readiness["index"] = True
    assert r.status_code == 503
    assert r.json()["checks"]["index"] is False


# --- authentication -----------------------------------------------------------------------


def test_ask_without_a_token_is_401_with_a_bearer_challenge(stack: Stack) -> None:
    with stack.client() as c:
        r = c.post("/v1/ask", json={"text": "expedited timeframe?"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert error_of(r)["code"] == "unauthorized"
    assert stack.runtime.agent.requests == [] or all(
        q.text != "expedited timeframe?" for q in stack.runtime.agent.requests
    )


@pytest.mark.parametrize(
    "token", ["nonsense", "ca_000000000000_" + "x" * 43, "Basic abc", "ca_short_secret"]
)
def test_unknown_or_malformed_tokens_are_401(stack: Stack, token: str) -> None:
    with stack.client(token=token) as c:
        r = c.post("/v1/ask", json={"text": "hello"})
    assert r.status_code == 401
    assert error_of(r)["code"] in {"invalid_token", "unauthorized"}


def test_a_revoked_token_is_refused_at_once(stack: Stack) -> None:
    issued = stack.store.issue("cm.sam", "to revoke")
    with stack.client(token=issued.token) as c:
        assert c.post("/v1/search", json={"query": "timeframes"}).status_code == 200
        assert stack.store.revoke("cm.sam", issued.token_id) == 1
        r = c.post("/v1/search", json={"query": "timeframes"})
    assert r.status_code == 401
    assert error_of(r)["code"] == "invalid_token"


def test_an_expired_token_is_refused(stack: Stack) -> None:
    past = TokenStore(stack.db, clock=lambda: utc_now() - timedelta(days=10))
    issued = past.issue("cm.sam", "expired", days=1)
    with stack.client(token=issued.token) as c:
        r = c.post("/v1/search", json={"query": "timeframes"})
    assert r.status_code == 401


def test_a_deactivated_users_token_is_refused(stack: Stack) -> None:
    from tools.users import add_user, deactivate

    add_user(stack.db, "cm.gone", Role.case_manager, "Gone Person")
    issued = stack.store.issue("cm.gone")
    deactivate(stack.db, "cm.gone")
    with stack.client(token=issued.token) as c:
        assert c.post("/v1/search", json={"query": "timeframes"}).status_code == 401


# --- answers ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(USERS))
def test_every_role_gets_a_cited_answer(stack: Stack, role: Role) -> None:
    with stack.client(role) as c:
        r = c.post("/v1/ask", json={"text": "How fast must an expedited request be decided?"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert "72 hours" in body["answer"]
    assert [c["citation"] for c in body["citations"]] == ["UM-101 §3.2", "UM-102 §3.2"]
    assert len(body["answer_id"]) == 32
    sent = stack.runtime.agent.requests[-1]
    assert (sent.user_id, sent.role, sent.channel) == (USERS[role], role.value, "api")


def test_ask_passes_filters_to_the_agent(stack: Stack) -> None:
    with stack.client(Role.um_reviewer) as c:
        r = c.post(
            "/v1/ask",
            json={"text": "timeframes", "filters": {"lob": "medicaid", "as_of": "2026-03-01"}},
        )
    assert r.status_code == 200
    sent = stack.runtime.agent.requests[-1]
    assert sent.filters.lob == "medicaid"
    assert str(sent.filters.as_of) == "2026-03-01"


def test_an_unknown_line_of_business_is_422(stack: Stack) -> None:
    with stack.client(Role.um_reviewer) as c:
        r = c.post("/v1/ask", json={"text": "timeframes", "filters": {"lob": "medicare"}})
    assert r.status_code == 422
    assert error_of(r)["code"] == "invalid_request"


def test_chat_follow_up_uses_the_threads_memory(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        first = c.post("/v1/chat", json={"text": "Medicare Advantage timeframes?"}).json()
        thread = first["thread_id"]
        second = c.post("/v1/chat", json={"text": "and for Medicaid?", "thread_id": thread})
    assert second.status_code == 200
    assert second.json()["thread_id"] == thread
    assert "Earlier in this thread: Medicare Advantage timeframes?" in second.json()["answer"]


def test_another_user_cannot_read_a_thread_by_its_id(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        thread = c.post("/v1/chat", json={"text": "question one"}).json()["thread_id"]
    with stack.client(Role.um_reviewer) as c:
        r = c.post("/v1/chat", json={"text": "what did they ask?", "thread_id": thread})
    assert "Earlier in this thread" not in r.json()["answer"]


def test_agent_errors_keep_their_status_and_message(stack: Stack) -> None:
    stack.runtime.agent.fail_with = MessageTooLong(
        "The message is 9,000 characters; the limit is 4,000."
    )
    try:
        with stack.client(Role.case_manager) as c:
            r = c.post("/v1/ask", json={"text": "x" * 100})
    finally:
        stack.runtime.agent.fail_with = None
    assert r.status_code == 413
    assert error_of(r) == {
        "code": "message_too_long",
        "message": "The message is 9,000 characters; the limit is 4,000.",
    }


def test_an_unexpected_error_is_a_500_and_its_text_stays_out_of_the_log(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    stack.runtime.agent.fail_with = RuntimeError("Pat Example, DOB 1950-01-01")
    try:
        with caplog.at_level(logging.INFO), stack.client(Role.case_manager) as c:
            r = c.post("/v1/ask", json={"text": "anything"})
    finally:
        stack.runtime.agent.fail_with = None
    assert r.status_code == 500
    error = error_of(r)
    assert error["code"] == "internal_error"
    assert r.headers["x-request-id"] in error["message"]
    assert "Pat Example" not in caplog.text
    assert "RuntimeError (message withheld)" in caplog.text


# --- search -------------------------------------------------------------------------------


def test_search_returns_cited_passages(stack: Stack) -> None:
    with stack.client(Role.admin) as c:
        r = c.post(
            "/v1/search",
            json={"query": "expedited", "k": 2, "lob": "medicaid", "doc_type": "policy"},
        )
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2
    assert body["hits"][0]["citation"] == "UM-101 §3.2"
    query, k, filters = stack.runtime.searcher.calls[-1]
    assert (query, k, filters.lob.value, filters.doc_types[0].value) == (
        "expedited",
        2,
        "medicaid",
        "policy",
    )


def test_search_rejects_a_k_out_of_range(stack: Stack) -> None:
    with stack.client(Role.admin) as c:
        r = c.post("/v1/search", json={"query": "expedited", "k": 500})
    assert r.status_code == 422
    assert error_of(r)["code"] == "invalid_request"


# --- members, cases, deadlines ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "phone_visible"),
    [
        (Role.case_manager, 200, True),
        (Role.um_reviewer, 200, False),
        (Role.clinician, 200, False),
        (Role.compliance, 200, False),
        (Role.admin, 403, False),
    ],
)
def test_member_lookup_follows_the_role_table(
    stack: Stack, role: Role, status: int, phone_visible: bool
) -> None:
    with stack.client(role) as c:
        r = c.get("/v1/members/M1000001")
    assert r.status_code == status, r.text
    if status == 403:
        assert error_of(r)["code"] == "permission_denied"
        return
    body = r.json()
    assert body["member_id"] == "M1000001"
    assert (body["phone"] is not None) is phone_visible
    assert ("phone" in body["withheld_fields"]) is not phone_visible


def test_member_lookup_is_audited_with_the_callers_purpose(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        r = c.get(
            "/v1/members/M1000002",
            params={"purpose": "care coordination call", "fields": ["plan_id", "eligible"]},
        )
    assert r.status_code == 200
    assert r.json()["phone"] is None
    with stack.db.read_only() as s:
        last = s.scalars(sa.select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert (last.user_id, last.member_id, last.channel, last.purpose) == (
        "cm.alex",
        "M1000002",
        "api",
        "care coordination call",
    )
    assert set(last.fields) == {"member_id", "plan_id", "eligible"}


def test_unknown_member_is_404_and_malformed_id_is_422(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        missing = c.get("/v1/members/M9999999")
        malformed = c.get("/v1/members/12345")
    assert missing.status_code == 404
    assert error_of(missing) == {
        "code": "member_not_found",
        "message": "no member with id M9999999",
    }
    assert malformed.status_code == 422


@pytest.mark.parametrize(
    ("role", "status", "notes_visible"),
    [
        (Role.um_reviewer, 200, True),
        (Role.clinician, 200, True),
        (Role.case_manager, 200, False),
        (Role.compliance, 200, False),
        (Role.admin, 403, False),
    ],
)
def test_case_lookup_follows_the_role_table(
    stack: Stack, role: Role, status: int, notes_visible: bool
) -> None:
    with stack.client(role) as c:
        r = c.get("/v1/cases/C2000001")
    assert r.status_code == status, r.text
    if status == 200:
        assert ("clinical_notes" in r.json()["withheld_fields"]) is not notes_visible


def test_unknown_case_is_404(stack: Stack) -> None:
    with stack.client(Role.um_reviewer) as c:
        r = c.get("/v1/cases/C9999999")
    assert r.status_code == 404
    assert error_of(r)["code"] == "case_not_found"


def test_deadline_from_attributes_is_open_to_every_role(stack: Stack) -> None:
    body = {
        "line_of_business": "medicare_advantage",
        "request_type": "pre_service",
        "urgency": "expedited",
        "received_at": "2026-11-20T09:00:00-05:00",
    }
    with stack.client(Role.admin) as c:
        r = c.post("/v1/deadlines", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["due_at"].startswith("2026-11-23T09:00:00")
    assert r.json()["rule"]["citation"]


def test_deadline_from_a_case_needs_case_access(stack: Stack) -> None:
    with stack.client(Role.um_reviewer) as c:
        ok = c.post("/v1/deadlines", json={"case_id": "C2000001"})
    with stack.client(Role.admin) as c:
        refused = c.post("/v1/deadlines", json={"case_id": "C2000001"})
    assert ok.status_code == 200, ok.text
    assert refused.status_code == 403


def test_deadline_needs_a_case_or_all_attributes(stack: Stack) -> None:
    with stack.client(Role.um_reviewer) as c:
        r = c.post("/v1/deadlines", json={"urgency": "expedited"})
        naive = c.post(
            "/v1/deadlines",
            json={
                "line_of_business": "medicaid",
                "request_type": "pre_service",
                "urgency": "standard",
                "received_at": "2026-11-20T09:00:00",
            },
        )
    assert r.status_code == 422
    assert naive.status_code == 422
    assert "time zone" in error_of(naive)["message"]


# --- feedback -----------------------------------------------------------------------------


def test_feedback_is_stored_and_a_second_rating_replaces_the_first(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        answer = c.post("/v1/ask", json={"text": "timeframes"}).json()
        first = c.post("/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "up"})
        second = c.post(
            "/v1/feedback",
            json={"answer_id": answer["answer_id"], "rating": "down", "comment": "cited v1"},
        )
    assert first.status_code == second.status_code == 201
    with stack.db.read_only() as s:
        rows = s.scalars(sa.select(Feedback).where(Feedback.answer_id == answer["answer_id"]))
        stored = [(f.rater, f.rating, f.comment, f.source) for f in rows]
    assert stored == [("api:cm.alex", "down", "cited v1", "api")]


def test_feedback_with_a_bad_rating_is_422(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        r = c.post("/v1/feedback", json={"answer_id": "a" * 32, "rating": "meh"})
    assert r.status_code == 422


# --- body limits, malformed input, unknown routes ------------------------------------------


def test_a_body_over_the_limit_is_413_before_the_agent_runs(stack: Stack) -> None:
    before = len(stack.runtime.agent.requests)
    with stack.client(Role.case_manager) as c:
        r = c.post("/v1/ask", json={"text": "x" * 10_000})
    assert r.status_code == 413
    assert error_of(r)["code"] == "payload_too_large"
    assert len(stack.runtime.agent.requests) == before


def test_a_chunked_body_over_the_limit_is_413(stack: Stack) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    with stack.client(Role.case_manager) as c:
        r = c.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_malformed_json_is_400_with_the_error_shape(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        r = c.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert error_of(r)["code"] == "malformed_json"


def test_unknown_routes_and_methods_get_json_errors(stack: Stack) -> None:
    with stack.client(Role.case_manager) as c:
        missing = c.get("/v1/nothing-here")
        wrong_method = c.get("/v1/ask")
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert error_of(wrong_method)["code"] == "method_not_allowed"


def test_openapi_documents_every_endpoint_and_the_bearer_scheme(stack: Stack) -> None:
    with stack.client() as c:
        spec = c.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/v1/ask",
        "/v1/chat",
        "/v1/search",
        "/v1/members/{member_id}",
        "/v1/cases/{case_id}",
        "/v1/deadlines",
        "/v1/feedback",
        "/v1/drafts",
        "/v1/drafts/{draft_id}",
        "/v1/drafts/{draft_id}/sign",
        "/healthz",
        "/readyz",
    } <= paths
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


# --- access log ---------------------------------------------------------------------------


def test_access_log_names_the_route_template_never_the_member_id(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="careassist.access"),
        stack.client(Role.case_manager) as c,
    ):
        r = c.get("/v1/members/M1000003", headers={"X-Request-ID": "req-123"})
    assert r.headers["x-request-id"] == "req-123"
    lines = [
        json.loads(rec.getMessage()) for rec in caplog.records if rec.name == "careassist.access"
    ]
    line = next(x for x in lines if x["request_id"] == "req-123")
    assert line["route"] == "/v1/members/{member_id}"
    assert (line["status"], line["user"], line["role"]) == (200, "cm.alex", "case_manager")
    assert not any(
        "M1000003" in rec.getMessage() for rec in caplog.records if rec.name == "careassist.access"
    )


# --- rate limit across workers ------------------------------------------------------------


def two_workers(
    tmp: Path, db: Database, limiter_for: object
) -> tuple[UvicornThread, UvicornThread]:
    apps = []
    for _ in range(2):
        runtime = FakeRuntime(db)
        apps.append(
            create_app(runtime, settings(tmp), tokens=TokenStore(db, 0), limiter=limiter_for())
        )
    return UvicornThread(apps[0]), UvicornThread(apps[1])


def assert_limit_shared(first: str, second: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    statuses = []
    for i in range(5):
        url = first if i % 2 == 0 else second
        r = httpx.post(f"{url}/v1/search", json={"query": "timeframes"}, headers=headers)
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["retry-after"]) >= 1
            assert error_of(r)["code"] == "rate_limited"
    assert statuses == [200, 200, 200, 429, 429]


def test_the_rate_limit_holds_across_workers_on_the_database(stack: Stack, tmp_path: Path) -> None:
    token = stack.store.issue("ur.morgan", "rate").token
    a, b = two_workers(tmp_path, stack.db, lambda: SqlRateLimiter(stack.db, 3, 3600))
    with a as first, b as second:
        assert_limit_shared(first, second, token)


def test_the_rate_limit_is_per_token(stack: Stack, tmp_path: Path) -> None:
    spent = stack.store.issue("ur.morgan", "spent").token
    fresh = stack.store.issue("ur.morgan", "fresh").token
    limiter = SqlRateLimiter(stack.db, 1, 3600)
    app = create_app(FakeRuntime(stack.db), settings(tmp_path), tokens=stack.store, limiter=limiter)
    with UvicornThread(app) as url:
        for token, expected in ((spent, 200), (spent, 429), (fresh, 200)):
            r = httpx.post(
                f"{url}/v1/search",
                json={"query": "x"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert r.status_code == expected


@pytest.mark.redis
def test_the_rate_limit_holds_across_workers_on_redis(
    stack: Stack, tmp_path: Path, redis_url: str
) -> None:
    token = stack.store.issue("ur.riley", "redis").token
    a, b = two_workers(tmp_path, stack.db, lambda: RedisRateLimiter(redis_url, 3, 3600))
    with a as first, b as second:
        assert_limit_shared(first, second, token)


# --- drafts -------------------------------------------------------------------------------

LETTER = {
    "kind": "denial_letter",
    "case_id": "C2000002",
    "reason": "MP-201 §2.2 criterion 2: six weeks of conservative therapy are not documented "
    "in the records received",
    "criteria_citations": ["MP-201 §2.2"],
    "reviewer_user_id": "dr.casey",
}


def create_letter(stack: Stack) -> dict:
    with stack.client(Role.um_reviewer) as c:
        r = c.post("/v1/drafts", json=LETTER)
    assert r.status_code == 201, r.text
    return r.json()


def test_a_reviewer_drafts_a_complete_denial_letter(stack: Stack) -> None:
    draft = create_letter(stack)
    assert draft["status"] == "draft"
    assert draft["kind"] == "denial_letter"
    assert draft["completeness"]["complete"] is True
    assert "DRAFT" in draft["text"]


def test_a_reviewer_drafts_a_case_note(stack: Stack) -> None:
    with stack.client(Role.um_reviewer) as c:
        r = c.post(
            "/v1/drafts",
            json={"kind": "case_note", "case_id": "C2000002", "reviewer_notes": "Reviewed."},
        )
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "case_note"


@pytest.mark.parametrize("role", [Role.case_manager, Role.compliance, Role.admin])
def test_roles_without_drafting_rights_get_403(stack: Stack, role: Role) -> None:
    with stack.client(role) as c:
        assert c.post("/v1/drafts", json=LETTER).status_code == 403
        assert c.get("/v1/drafts").status_code == 403


def test_drafts_are_listed_and_shown(stack: Stack) -> None:
    draft = create_letter(stack)
    with stack.client(Role.clinician) as c:
        listed = c.get("/v1/drafts", params={"case_id": "C2000002", "status": "draft"})
        shown = c.get(f"/v1/drafts/{draft['draft_id']}")
        missing = c.get("/v1/drafts/D9999999")
        malformed = c.get("/v1/drafts/nope")
    assert listed.status_code == 200
    assert draft["draft_id"] in [d["draft_id"] for d in listed.json()["drafts"]]
    assert shown.json()["draft_id"] == draft["draft_id"]
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "draft_not_found"
    assert malformed.status_code == 422


def test_a_draft_with_a_bad_kind_is_422(stack: Stack) -> None:
    with stack.client(Role.um_reviewer) as c:
        r = c.post("/v1/drafts", json={**LETTER, "kind": "approval"})
    assert r.status_code == 422


def test_only_a_clinician_signs_and_only_once(stack: Stack) -> None:
    draft_id = create_letter(stack)["draft_id"]
    with stack.client(Role.um_reviewer) as c:
        refused = c.post(f"/v1/drafts/{draft_id}/sign", json={"attest": True})
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "permission_denied"
    with stack.client(Role.clinician) as c:
        unattested = c.post(f"/v1/drafts/{draft_id}/sign", json={"attest": False})
        signed = c.post(f"/v1/drafts/{draft_id}/sign", json={"attest": True})
        again = c.post(f"/v1/drafts/{draft_id}/sign", json={"attest": True})
    assert unattested.status_code == 422
    assert signed.status_code == 200, signed.text
    body = signed.json()
    assert (body["status"], body["signed_by"], body["credentials"]) == ("signed", "dr.casey", "MD")
    assert again.status_code == 409
    assert error_of(again)["code"] == "sign_off_refused"
