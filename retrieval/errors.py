"""Errors raised by the retrieval layer; the CLI, API and Slack faces convert them."""


class RetrievalError(Exception):
    """Base class for every retrieval failure a user can act on."""


class DocumentSkipped(RetrievalError):
    """A source file could not be ingested; the message is the one-line reason."""


class ModelIntegrityError(RetrievalError):
    """The bundled embedding model is missing or its checksum does not match."""


class IndexNotFound(RetrievalError):
    """No complete index exists at the configured location."""


class BadQuery(RetrievalError):
    """A search query or filter that cannot be answered as given."""
