"""The README's main command, as a newcomer runs it: index, seed, serve, answer over HTTP."""

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_scripts_run_serves_a_cited_answer_on_the_sample_data(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CAREASSIST_PORT": str(free_port()),
        "CAREASSIST_INDEX_DIR": str(tmp_path / "index"),
        "CAREASSIST_DATABASE_URL": f"sqlite:///{tmp_path}/careassist.db",
        "CAREASSIST_STATE_DIR": str(tmp_path / "state"),
    }
    done = subprocess.run(
        [str(REPO / "scripts" / "run"), "--smoke"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "export TOKEN=ca_" in done.stdout
    reply = json.loads(done.stdout.strip().splitlines()[-1])
    assert not reply["abstained"]
    assert "72 hours" in reply["answer"]
    assert reply["citations"][0]["doc_id"] in {"UM-104", "REG-301"}
