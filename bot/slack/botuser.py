"""The bot's own identity, resolved once and cached, so no request waits on auth.test.

Bolt's default authorization calls auth.test on a request until it succeeds; while Slack's Web
API is unreachable every request then fails. Here auth.test runs in the background until it
answers once, and `authorize` always returns at once (the bot user id is None until then; the
listeners also drop messages carrying a bot_id, so the bot still never answers itself).
"""

import logging
import threading
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

log = logging.getLogger(__name__)

MAX_WAIT_S = 300.0


class BotIdentity:
    def __init__(self, client: WebClient, token: str | None, first_wait_s: float = 1.0) -> None:
        self.client = client
        self.token = token
        self.first_wait_s = first_wait_s
        self.user_id: str | None = None
        self.bot_id: str | None = None
        self._stop = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._resolve, name="slack-identity", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _resolve(self) -> None:
        wait = self.first_wait_s
        while not self._stop.is_set():
            try:
                answer = self.client.auth_test()
            except Exception as exc:
                log.warning(
                    "Slack auth.test failed (%s); retrying in %.0f s", type(exc).__name__, wait
                )
            else:
                self.user_id, self.bot_id = answer.get("user_id"), answer.get("bot_id")
                log.info("Slack bot identity resolved")
                return
            self._stop.wait(wait)
            wait = min(wait * 2, MAX_WAIT_S)

    def authorizer(self) -> Callable[..., AuthorizeResult]:
        """Bolt's `authorize=`: a plain function (Bolt passes arguments by parameter name)."""

        def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            return AuthorizeResult(
                enterprise_id=enterprise_id,
                team_id=team_id,
                bot_token=self.token,
                bot_user_id=self.user_id,
                bot_id=self.bot_id,
            )

        return authorize
