"""Socket Mode: the same Bolt app over a WebSocket Slack opens, for hosts Slack cannot reach."""

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.slack.app import build_bolt_app
from bot.slack.services import SlackServices


def socket_handler(svc: SlackServices, app_token: str) -> SocketModeHandler:
    """The handler, not yet connected (`.connect()` returns, `.start()` blocks)."""
    return SocketModeHandler(build_bolt_app(svc), app_token)


def run_socket_mode(svc: SlackServices, app_token: str) -> None:
    """Blocks until interrupted; reconnects by itself when the connection drops."""
    socket_handler(svc, app_token).start()
