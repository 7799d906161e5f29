"""OpenAPI tells the truth: every operation documents the statuses it returns with the real
{"error": {...}} body, ids carry their patterns, and loose types are refused as the spec says."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.api_stack import ApiStack, api_stack

ERROR_REF = "#/components/schemas/ErrorResponse"
# (method, path) -> statuses it must document beyond its success status.
EXPECTED = {
    ("post", "/v1/ask"): {400, 401, 413, 422, 429, 503},
    ("post", "/v1/chat"): {400, 401, 413, 422, 429, 503},
    ("post", "/v1/search"): {400, 401, 413, 422, 429, 503},
    ("get", "/v1/members/{member_id}"): {401, 403, 404, 422, 429, 503},
    ("get", "/v1/cases/{case_id}"): {401, 403, 404, 422, 429, 503},
    ("post", "/v1/deadlines"): {400, 401, 403, 404, 413, 422, 429, 503},
    ("post", "/v1/drafts"): {400, 401, 403, 404, 413, 422, 429, 503},
    ("get", "/v1/drafts"): {401, 403, 422, 429, 503},
    ("get", "/v1/drafts/{draft_id}"): {401, 403, 404, 422, 429, 503},
    ("post", "/v1/drafts/{draft_id}/sign"): {400, 401, 403, 404, 409, 413, 422, 429, 503},
    ("post", "/v1/feedback"): {400, 401, 403, 404, 413, 422, 429},
    ("get", "/readyz"): {503},
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiStack]:
    with api_stack(tmp_path_factory.mktemp("openapi")) as s:
        yield s


@pytest.fixture(scope="module")
def spec(stack: ApiStack) -> dict[str, Any]:
    with stack.client() as c:
        return c.get("/openapi.json").json()


def test_every_operation_documents_the_statuses_it_returns(spec: dict[str, Any]) -> None:
    for (method, path), statuses in EXPECTED.items():
        documented = {int(s) for s in spec["paths"][path][method]["responses"] if s.isdigit()}
        assert statuses <= documented, (method, path, sorted(statuses - documented))


def test_error_statuses_use_the_real_error_body(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["error"]
    inner = spec["components"]["schemas"]["ErrorDetail"]
    assert set(inner["required"]) == {"code", "message"}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if status.isdigit() and int(status) >= 400 and path != "/readyz":
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == ERROR_REF, (method, path, status)
    assert "HTTPValidationError" not in spec["components"]["schemas"]


@pytest.mark.parametrize(
    ("path", "name", "sample"),
    [
        ("/v1/members/{member_id}", "member_id", "M1000001"),
        ("/v1/cases/{case_id}", "case_id", "C2000001"),
        ("/v1/drafts/{draft_id}", "draft_id", "D0000001"),
    ],
)
def test_path_ids_carry_their_patterns(
    spec: dict[str, Any], path: str, name: str, sample: str
) -> None:
    import re

    param = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name)
    pattern = param["schema"]["pattern"]
    assert re.match(pattern, sample) and not re.match(pattern, sample[0] + "١" * 7)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/search", {"query": "timeframes", "k": True}),
        ("/v1/search", {"query": "timeframes", "k": "5"}),
        ("/v1/search", {"query": "timeframes", "as_of": 0}),
        ("/v1/ask", {"text": "timeframes", "filters": {"as_of": 0}}),
        (
            "/v1/deadlines",
            {
                "line_of_business": "medicaid",
                "request_type": "pre_service",
                "urgency": "standard",
                "received_at": "2026-11-20T09:00:00-05:00",
                "extension_taken": "yes",
            },
        ),
        (
            "/v1/deadlines",
            {
                "line_of_business": "medicaid",
                "request_type": "pre_service",
                "urgency": "standard",
                "received_at": 1700000000,
            },
        ),
    ],
)
def test_loose_types_are_refused_with_422(stack: ApiStack, path: str, body: dict[str, Any]) -> None:
    with stack.client("ur.blake") as c:
        r = c.post(path, json=body)
    assert r.status_code == 422, r.text
    assert set(r.json()) == {"error"}


@pytest.mark.parametrize(
    "path", ["/v1/members/M١٠٠٠٠٠١", "/v1/cases/C٢٠٠٠٠٠١", "/v1/drafts/D٠٠٠٠٠٠١"]
)
def test_unicode_digits_in_an_id_are_422(stack: ApiStack, path: str) -> None:
    with stack.client("ur.blake") as c:
        r = c.get(path)
    assert r.status_code == 422, r.text
