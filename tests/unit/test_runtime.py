"""The composition root builds each part on first use, once, and a database-only command never
loads the embedding model."""

import json
import subprocess
import sys
from pathlib import Path

from bot.runtime import Runtime
from tests.conftest import REPO
from tools.settings import ToolsSettings

PROBE = """
import json, sys
from bot.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": sorted(
    m for m in ("sentence_transformers", "torch", "chromadb", "fastapi", "slack_bolt")
    if m in sys.modules)}))
"""


def test_careassist_seed_never_imports_the_embedding_model(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "HF_HUB_OFFLINE": "1",
        "CAREASSIST_DATABASE_URL": f"sqlite:///{tmp_path / 'plan.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "seed", "--reference", "2026-11-24"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "loaded": []}, done.stderr


def test_parts_are_built_on_first_use_once_and_given_parts_are_used_as_is(
    tmp_path: Path,
) -> None:
    tools = ToolsSettings(database_url=f"sqlite:///{tmp_path / 'plan.db'}")
    given = object()
    rt = Runtime(tools=tools, embedder=given, migrate=False)  # type: ignore[arg-type]
    assert not rt.built("db")
    db = rt.db
    assert rt.db is db and rt.built("db")
    assert rt.embedder is given
    assert not rt.built("searcher") and not rt.built("agent")
    rt.close()
