"""The HTTP server's composition: the API, with the Slack app at /slack/events when Slack is
configured. The one module that knows both faces; each face alone knows neither the other.

Uvicorn workers import `app_from_environment`: settings read once, the runtime built, the app
returned.
"""

import logging

from fastapi import FastAPI

from bot.api.app import create_api
from bot.api.ratelimit import RateLimiter
from bot.api.services import Services
from bot.faces.errors import describe_exception
from bot.faces.tokens import TokenStore
from bot.runtime import Runtime
from bot.settings import BotSettings

log = logging.getLogger("careassist.serve")


def slack_enabled(settings: BotSettings) -> bool:
    return settings.slack_bot_token is not None and settings.slack_signing_secret is not None


def create_app(
    runtime: Runtime,
    settings: BotSettings | None = None,
    *,
    tokens: TokenStore | None = None,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    settings = settings or runtime.bot
    if not slack_enabled(settings):
        return create_api(runtime, settings, tokens=tokens, limiter=limiter)
    from bot.slack.mount import mount_slack
    from bot.slack.services import build_slack_services

    slack = build_slack_services(runtime, settings)

    def mount(app: FastAPI, svc: Services) -> None:
        svc.failures["slack_deliveries"] = lambda: slack.slack_delivery.failures
        mount_slack(app, slack)
        log.info("Slack app enabled at /slack/events")

    return create_api(runtime, settings, tokens=tokens, limiter=limiter, mount=mount)


def app_from_environment() -> FastAPI:
    try:
        runtime = Runtime().start()
        return create_app(runtime, runtime.bot)
    except Exception as exc:
        # Uvicorn restarts a dead worker without saying why; say it once per attempt.
        log.error("worker failed to start: %s", describe_exception(exc))
        raise
