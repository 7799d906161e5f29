"""Settings for the agent and its faces (CAREASSIST_ prefix; Slack's own names for Slack)."""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from retrieval import MAX_QUERY_CHARS


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREASSIST_", env_file=".env", extra="ignore")

    state_dir: Path = Field(
        Path(".careassist"),
        description="Local state (the sentence cache); conversation threads live in the database",
    )
    thread_ttl_days: int = Field(
        30,
        ge=1,
        description="A conversation thread idle for longer is forgotten and its checkpoints "
        "deleted (they may hold member data)",
    )
    llm: str | None = Field(
        None,
        description="Unset = offline engine. An init_chat_model spec such as "
        "'openai:gpt-4o-mini', or an OpenAI-compatible base URL (http://127.0.0.1:8080/v1)",
    )
    llm_model: str = Field("local-model", description="Model name sent to a base-URL endpoint")
    llm_api_key: SecretStr | None = Field(None, description="API key for the LLM endpoint")
    llm_timeout_s: float = Field(60.0, gt=0)
    max_message_chars: int = Field(
        MAX_QUERY_CHARS, ge=100, description="Longer messages are refused"
    )
    abstain_threshold: float | None = Field(
        None, description="Override the tuned abstention threshold of the offline composer"
    )
    warm_sentence_limit: int = Field(
        20_000,
        ge=0,
        description="At start-up, encode the sentences of an index of at most this many chunks "
        "so first answers are fast (0 = encode on first use)",
    )
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "CAREASSIST_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "CAREASSIST_SLACK_SIGNING_SECRET"),
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "CAREASSIST_SLACK_APP_TOKEN")
    )
    slack_api_url: str = Field(
        "https://slack.com/api/", description="Slack Web API base URL (tests point it at a fake)"
    )
    slack_working_reaction: str = Field(
        "hourglass_flowing_sand", description="Reaction shown on a message while it is answered"
    )
    slack_event_lease_s: float = Field(
        300.0,
        gt=0,
        description="A Slack retry of an event still being answered is dropped; after this "
        "long without an answer a retry takes the event over",
    )
    slack_post_retries: int = Field(
        4,
        ge=0,
        description="Retries of a Slack post (answer, notice) while Slack's Web API fails, with "
        "exponential backoff; then it is logged and counted in /readyz",
    )
    slack_retry_backoff_s: float = Field(
        1.0, gt=0, description="First wait before retrying a Slack post; doubles each retry"
    )
    redis_url: str | None = Field(
        None, description="Redis for the API rate limit (redis://host:6379/0); unset = database"
    )
    api_rate_limit: int = Field(
        120, ge=1, description="Requests each API token may make per rate window"
    )
    api_rate_window_s: int = Field(60, ge=1, description="Length of the rate window")
    api_max_body_bytes: int = Field(
        262_144, ge=1024, description="Larger request bodies are refused with 413"
    )
    api_token_cache_s: float = Field(
        5.0,
        ge=0,
        description="How long a worker trusts a verified token before asking the database "
        "again: the longest a revocation takes to reach every worker",
    )
    api_token_days: int = Field(90, ge=1, description="Lifetime of a new API token in days")
