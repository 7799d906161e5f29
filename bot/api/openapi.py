"""The OpenAPI document as the API behaves: every error status an operation can return, with the
real {"error": {...}} body, and the patterns of the ids in paths and queries.

FastAPI documents only the success status and a 422 shaped like its own default handler, which
errors.py replaces. The statuses below are derived from what each operation has (a token, a
body, parameters) plus what its tools can refuse, kept beside the routes so a new route that
forgets them fails tests/integration/test_openapi_truth.py.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from tools.drafts import DRAFT_ID_RE
from tools.ids import CASE_ID_RE, MEMBER_ID_RE

ERROR_REF = "#/components/schemas/ErrorResponse"
DESCRIPTIONS = {
    400: "The body is not valid JSON, or the query cannot be searched",
    401: "No valid bearer token",
    403: "Your role may not do this, or the item is not yours",
    404: "No such item",
    409: "The draft cannot be signed as it stands (already signed, replaced or incomplete)",
    413: "The body is larger than the configured limit",
    422: "The request is not valid; details name where, never the rejected value",
    429: "Too many requests for this token; retry after the Retry-After seconds",
    503: "A dependency (document index, model or database) is not ready",
}
# What each operation's tools can refuse, beyond what its shape implies.
REFUSALS: dict[tuple[str, str], set[int]] = {
    ("post", "/v1/ask"): {503},
    ("post", "/v1/chat"): {503},
    ("post", "/v1/search"): {400, 503},
    ("get", "/v1/members/{member_id}"): {403, 404, 503},
    ("get", "/v1/cases/{case_id}"): {403, 404, 503},
    ("post", "/v1/deadlines"): {403, 404, 503},
    ("post", "/v1/drafts"): {403, 404, 503},
    ("get", "/v1/drafts"): {403, 503},
    ("get", "/v1/drafts/{draft_id}"): {403, 404, 503},
    ("post", "/v1/drafts/{draft_id}/sign"): {403, 404, 409, 503},
    ("post", "/v1/feedback"): {403, 404},
    ("get", "/v1/reports/cms-0057-f"): {403, 503},
    ("get", "/v1/reports/um"): {403, 503},
}
# Ids are matched case-insensitively (the validators upper-case them), with ASCII digits only.
ID_PATTERNS = {
    "member_id": MEMBER_ID_RE.pattern.replace("^M", "^[Mm]"),
    "case_id": CASE_ID_RE.pattern.replace("^C", "^[Cc]"),
    "draft_id": DRAFT_ID_RE.pattern.replace("^D", "^[Dd]"),
}
ERROR_SCHEMAS = {
    "ErrorDetail": {
        "title": "ErrorDetail",
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "description": "Stable snake_case name to branch on"},
            "message": {"type": "string", "description": "What went wrong, free of PHI"},
            "details": {
                "type": "array",
                "description": "For 400 and 422: where the request is invalid",
                "items": {
                    "type": "object",
                    "properties": {
                        "loc": {"type": "array", "items": {"type": "string"}},
                        "msg": {"type": "string"},
                    },
                },
            },
        },
    },
    "ErrorResponse": {
        "title": "ErrorResponse",
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}},
    },
}


def statuses_of(method: str, path: str, op: dict[str, Any]) -> set[int]:
    found = set(REFUSALS.get((method, path), set()))
    if op.get("security"):
        found |= {401, 429}
    if op.get("requestBody"):
        found |= {400, 413, 422}
    if op.get("parameters"):
        found.add(422)
    return found


def error_response(status: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error statuses and id patterns to a generated OpenAPI document (in place)."""
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            responses = op.setdefault("responses", {})
            for status in sorted(statuses_of(method, path, op)):
                if str(status) not in responses or status == 422:
                    responses[str(status)] = error_response(status)
            for param in op.get("parameters", []):
                pattern = ID_PATTERNS.get(param.get("name", ""))
                if pattern:
                    _set_pattern(param["schema"], pattern)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    components.update(ERROR_SCHEMAS)
    return schema


def _set_pattern(schema: dict[str, Any], pattern: str) -> None:
    # An optional query id is anyOf [string, null]: the pattern belongs on the string branch.
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            branch["pattern"] = pattern


def install(app: FastAPI) -> None:
    """Serve the truthful document at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
