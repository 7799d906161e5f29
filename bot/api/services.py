"""What the API's routes share in a worker: the runtime and the API's own stores."""

from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request

from bot.api.ratelimit import RateLimiter, build_rate_limiter
from bot.faces.tokens import TokenStore
from bot.runtime import Runtime
from bot.settings import BotSettings
from tools.db import Database


def _no_failures() -> int:
    return 0


@dataclass
class Services:
    runtime: Runtime
    settings: BotSettings
    tokens: TokenStore
    limiter: RateLimiter
    # Counted in /readyz, never checked: name -> how many so far. The server composition
    # points slack_deliveries at the Slack app's Delivery when Slack is mounted.
    failures: dict[str, Callable[[], int]] = field(
        default_factory=lambda: {"slack_deliveries": _no_failures}
    )

    @property
    def db(self) -> Database:
        return self.runtime.db


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
        tokens=tokens or TokenStore(db, settings.api_token_cache_s),
        limiter=limiter
        or build_rate_limiter(
            db, settings.redis_url, settings.api_rate_limit, settings.api_rate_window_s
        ),
    )


def services(request: Request) -> Services:
    return request.app.state.services
