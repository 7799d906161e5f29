"""The HTTP API: `create_api(runtime, settings)` builds it (bot.api.app); bot.server adds Slack."""
