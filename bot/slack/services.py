"""What every Slack listener shares in a process: the runtime, the settings, and the one
Delivery that retries Slack posts (HTTP mode and Socket Mode alike)."""

from dataclasses import dataclass

from bot.runtime import Runtime
from bot.settings import BotSettings
from bot.slack.delivery import Delivery
from tools.db import Database


@dataclass
class SlackServices:
    runtime: Runtime
    settings: BotSettings
    # Slack posts made after the acknowledgement: retried, and their final failures counted.
    slack_delivery: Delivery

    @property
    def db(self) -> Database:
        return self.runtime.db


def build_slack_services(runtime: Runtime, settings: BotSettings | None = None) -> SlackServices:
    settings = settings or runtime.bot
    return SlackServices(
        runtime=runtime,
        settings=settings,
        slack_delivery=Delivery(settings.slack_post_retries, settings.slack_retry_backoff_s),
    )
