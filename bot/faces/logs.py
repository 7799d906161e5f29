"""Logging for every serving process (API workers, Socket Mode): two streams, JSON access lines
on stdout, everything else (WARNING and up, plus careassist's own INFO) on stderr. Uvicorn's own
access log is off: it prints raw paths, and paths hold member and case ids.
"""

from typing import Any

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "bare": {"format": "%(message)s"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "bare",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "careassist.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "careassist": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "bm25s": {"level": "WARNING"},
    },
    # Tool modules log ids at INFO for the CLI; a shared service log keeps to WARNING.
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
