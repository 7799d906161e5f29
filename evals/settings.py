"""Harness settings, read once at the entry point (CAREASSIST_EVAL_ prefix) and passed down."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_THRESHOLDS = PACKAGE_DIR / "thresholds.yaml"


class EvalSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CAREASSIST_EVAL_", env_file=".env", extra="ignore"
    )

    thresholds: Path = Field(DEFAULT_THRESHOLDS, description="Thresholds file the gate applies")
    k: int = Field(5, ge=1, le=50, description="Cut-off k of retrieval recall@k and MRR")
    retrieved_k: int = Field(
        10,
        ge=1,
        le=100,
        description="Passages searched when a reply does not list what it retrieved; a cited "
        "passage outside them counts as not retrieved",
    )
    support_overlap: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Share of a cited sentence's content words the cited passages must contain",
    )
    judge: str | None = Field(
        None,
        description="Optional LLM judge (an init_chat_model spec); unset = no judge, the default",
    )
    user_prefix: str = Field("eval", description="Prefix of the user ids the harness asks as")
