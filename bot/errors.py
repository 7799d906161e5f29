"""Errors the agent raises before any work is done; faces convert them like tool errors."""


class BotError(Exception):
    exit_code = 2
    http_status = 400


class MessageRejected(BotError):
    """Empty, oversized or otherwise unusable message text."""


class MessageTooLong(MessageRejected):
    http_status = 413


class UnknownRole(BotError):
    http_status = 403


class EngineUnavailable(BotError):
    """The configured LLM cannot be reached or built."""

    exit_code = 1
    http_status = 503
