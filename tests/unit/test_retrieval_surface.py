"""retrieval's public surface: every name in __all__ resolves, and cheap names stay cheap."""

import subprocess
import sys

import retrieval
from tests.conftest import REPO


def test_every_public_name_resolves() -> None:
    missing = [name for name in retrieval.__all__ if getattr(retrieval, name, None) is None]
    assert missing == []


def test_the_tokenizer_loads_without_the_readers_or_the_search_stack() -> None:
    code = (
        "import sys; from retrieval import tokenize; "
        "print(sorted(m for m in sys.modules if m.startswith('retrieval.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "['retrieval.text']"


def test_all_names_exactly_the_lazily_loaded_names() -> None:
    assert sorted(retrieval.__all__) == sorted(retrieval._HOME)
