"""The per-process objects the API and the Slack app share, built once per worker."""

from dataclasses import dataclass, field

from fastapi import Request

from bot.api.ports import Runtime
from bot.api.ratelimit import RateLimiter, build_rate_limiter
from bot.api.tokens import TokenStore
from bot.settings import BotSettings
from bot.slack.delivery import Delivery
from tools.db import Database


@dataclass
class Services:
    runtime: Runtime
    settings: BotSettings
    db: Database
    tokens: TokenStore
    limiter: RateLimiter
    # Slack posts made after the acknowledgement: retried, and their final failures counted.
    slack_delivery: Delivery = field(default_factory=lambda: Delivery(4, 1.0))


def build_services(
    runtime: Runtime,
    settings: BotSettings,
    tokens: TokenStore | None = None,
    limiter: RateLimiter | None = None,
) -> Services:
    db = runtime.db
    return Services(
        runtime=runtime,
        settings=settings,
        db=db,
        tokens=tokens or TokenStore(db, settings.api_token_cache_s),
        limiter=limiter
        or build_rate_limiter(
            db, settings.redis_url, settings.api_rate_limit, settings.api_rate_window_s
        ),
        slack_delivery=Delivery(settings.slack_post_retries, settings.slack_retry_backoff_s),
    )


def services(request: Request) -> Services:
    return request.app.state.services
