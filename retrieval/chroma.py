"""Where each index generation's Chroma collection lives: embedded files or a Chroma server.

The index asks for the client of a generation and never builds one itself, so a caller chooses
the deployment by what it hands in: `EmbeddedChroma()` (a PersistentClient in each generation's
folder, swapped and pruned with it) or `ServerChroma(chromadb.HttpClient(...))` (one client, one
collection per generation, deleted when the generation is pruned).
"""

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Protocol

from retrieval.settings import RetrievalSettings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.config import Settings as ChromaSettings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def collection_name(generation: str) -> str:
    return f"careassist-{generation}"


def chroma_settings() -> "ChromaSettings":
    """Telemetry off and no reset: what every careassist client runs with."""
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class ChromaClients(Protocol):
    """Hands out the Chroma client that holds a generation's collection."""

    def client(self, generation_path: Path) -> "ClientAPI": ...

    def drop(self, generation: str) -> None:
        """Forget a pruned generation's collection (its folder is deleted by the index)."""


class EmbeddedChroma:
    """A persistent client per generation, in `<generation>/chroma`: the folder is the unit of
    swap and prune, so a reader on the old generation never sees the new one half-written."""

    def __init__(self, settings: "ChromaSettings | None" = None) -> None:
        self.settings = settings

    def client(self, generation_path: Path) -> "ClientAPI":
        import chromadb

        return chromadb.PersistentClient(
            path=str(generation_path / "chroma"), settings=self.settings or chroma_settings()
        )

    def drop(self, generation: str) -> None:
        """Nothing to do: the collection's files go with the generation's folder."""


class ServerChroma:
    """One injected client (normally `chromadb.HttpClient`) holding every generation.

    Give it the client, or `connect` to build it on first use: an HttpClient talks to the server
    when constructed, and a command that only reads CURRENT should not need the server up.
    """

    def __init__(
        self, client: "ClientAPI | None" = None, connect: "Callable[[], ClientAPI] | None" = None
    ) -> None:
        if (client is None) == (connect is None):
            raise ValueError("ServerChroma takes exactly one of client and connect")
        self._client = client
        self._connect = connect
        self._lock = Lock()

    def client(self, generation_path: Path) -> "ClientAPI":
        with self._lock:
            if self._client is None:
                assert self._connect is not None
                self._client = self._connect()
            return self._client

    def drop(self, generation: str) -> None:
        # Best effort: a collection left behind costs space, never correctness.
        with suppress(Exception):
            self.client(Path()).delete_collection(collection_name(generation))


def chroma_from_settings(settings: RetrievalSettings) -> ChromaClients:
    """The deployment the settings name: a Chroma server when `chroma_host` is set."""
    if not settings.chroma_host:
        return EmbeddedChroma()
    host, port, ssl = settings.chroma_host, settings.chroma_port, settings.chroma_ssl

    def connect() -> "ClientAPI":
        import chromadb

        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings())

    return ServerChroma(connect=connect)
