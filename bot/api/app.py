"""The FastAPI application: built once per worker from a runtime and the bot settings.

The API alone; bot.server adds the Slack app to it, so the API never imports Slack.
"""

from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from bot.api import errors, openapi
from bot.api.access import AccessMiddleware
from bot.api.bodylimit import BodyLimitMiddleware
from bot.api.ratelimit import RateLimiter
from bot.api.routes import answers, drafts, feedback, health, plan, reports, search
from bot.api.services import Services, build_services
from bot.faces.tokens import TokenStore
from bot.runtime import Runtime
from bot.settings import BotSettings

DOCS_ASSETS = "/docs-assets"

DESCRIPTION = """Grounded, cited answers for utilization-management staff, member and case
look-ups behind role-based minimum necessary, decision deadlines, and drafts that only a
clinician can sign. Authenticate with `Authorization: Bearer <token>` (tokens come from
`careassist users add` / `careassist users token`). Errors are
`{"error": {"code": ..., "message": ...}}`."""


def package_version() -> str:
    try:
        return version("careassist")
    except PackageNotFoundError:
        return "0.0.0"


def create_api(
    runtime: Runtime,
    settings: BotSettings,
    *,
    tokens: TokenStore | None = None,
    limiter: RateLimiter | None = None,
    mount: Callable[[FastAPI, Services], None] | None = None,
) -> FastAPI:
    """`mount` adds routes of another face (Slack's events endpoint) before the middleware."""
    svc = build_services(runtime, settings, tokens, limiter)
    # /docs and /redoc load Swagger UI and ReDoc from the installed fastapi-offline package
    # (served under DOCS_ASSETS), so they render on a network without internet access.
    app = FastAPIOffline(
        title="careassist",
        version=package_version(),
        description=DESCRIPTION,
        static_url=DOCS_ASSETS,
    )
    app.state.services = svc
    errors.install(app)
    for module in (answers, search, plan, drafts, feedback, reports, health):
        app.include_router(module.router)
    openapi.install(app)
    if mount is not None:
        mount(app, svc)
    # Added last = outermost: the access log sees every response, including 413s.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api_max_body_bytes)
    app.add_middleware(AccessMiddleware)
    return app
