"""The HTTP API: `create_app(runtime, settings)` builds it (see bot.api.app)."""
