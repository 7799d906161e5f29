"""Bearer-token authentication, the per-token rate limit, and role checks, as dependencies.

Order matters: an unknown token is refused (401) before it can spend anyone's rate budget, and
the rate limit (429) applies before any role check or work.
"""

from collections.abc import Callable

from fastapi import Depends, Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.api.access import STATE_KEY, AccessInfo
from bot.api.errors import ApiError
from bot.api.services import Services, services
from bot.faces.tokens import Caller
from tools.catalogue import catalogue
from tools.errors import PermissionDenied
from tools.roles import ToolName

bearer = HTTPBearer(
    auto_error=False,
    description="An API token from `careassist users add` or `careassist users token`",
)
CHALLENGE = {"WWW-Authenticate": "Bearer"}


def authenticated(
    request: Request,
    response: Response,
    credentials: HTTPAuthorizationCredentials | None = Security(bearer),
    svc: Services = Depends(services),
) -> Caller:
    if credentials is None:
        raise ApiError(
            401, "an API token is required: Authorization: Bearer <token>", headers=CHALLENGE
        )
    caller = svc.tokens.verify(credentials.credentials)
    if caller is None:
        raise ApiError(
            401,
            "the API token is not valid (unknown, expired or revoked)",
            code="invalid_token",
            headers=CHALLENGE,
        )
    info: AccessInfo | None = getattr(request.state, STATE_KEY, None)
    if info is not None:
        info.user, info.role, info.token = (
            caller.principal.user_id,
            caller.principal.role.value,
            caller.token_id,
        )
    decision = svc.limiter.hit(caller.token_id)
    limits = {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
        "X-RateLimit-Reset": str(decision.reset_s),
    }
    if not decision.allowed:
        raise ApiError(
            429,
            f"rate limit of {decision.limit} requests per {svc.settings.api_rate_window_s} s "
            f"reached; retry in {decision.reset_s} s",
            headers={**limits, "Retry-After": str(decision.reset_s)},
        )
    response.headers.update(limits)
    return caller


def require_tool(tool: ToolName) -> Callable[[Caller], Caller]:
    """Refuse (403) before the query or body is validated when the caller may not use the tool
    behind an endpoint: the catalogue's own check (tools.catalogue.ToolSpec.check), which the
    tool runs again when called, with the API's short refusal."""
    spec = catalogue()[tool]

    def check(caller: Caller = Depends(authenticated)) -> Caller:
        try:
            spec.check(caller.principal)
        except PermissionDenied:
            raise ApiError(
                403,
                f"role {caller.principal.role.value} may not use {tool.value} (minimum necessary)",
                code="permission_denied",
            ) from None
        return caller

    return check
