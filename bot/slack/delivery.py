"""Posting to Slack when Slack's Web API may be down: retries with backoff, failures counted.

Answers are computed after Slack got its acknowledgement, so a post that fails cannot be
reported to Slack: it is retried, then logged (the method and error class only, never the
text) and counted for /readyz.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

# Slack's own "try again later" answers; every other API error (channel_not_found, ...) is final.
RETRYABLE_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def retryable(exc: BaseException) -> bool:
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 0) or 0
        return status >= 500 or status == 429 or exc.response.get("error") in RETRYABLE_ERRORS
    return isinstance(exc, OSError | TimeoutError)  # URLError, refused, reset, DNS


class Delivery:
    """One per process: every Slack post goes through `send`."""

    def __init__(
        self, retries: int, backoff_s: float, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.retries = retries
        self.backoff_s = backoff_s
        self.sleep = sleep
        self._lock = threading.Lock()
        self._failures = 0

    @property
    def failures(self) -> int:
        with self._lock:
            return self._failures

    def send(self, method: str, call: Callable[[], Any]) -> bool:
        """Run `call`, retrying transient errors; False (logged, counted) if it never succeeded."""
        for attempt in range(self.retries + 1):
            try:
                call()
                return True
            except Exception as exc:
                if attempt < self.retries and retryable(exc):
                    self.sleep(self.backoff_s * 2**attempt)
                    continue
                with self._lock:
                    self._failures += 1
                log.error(
                    "Slack delivery failed: %s after %d attempt(s): %s",
                    method,
                    attempt + 1,
                    type(exc).__name__,
                )
                return False
        return False
