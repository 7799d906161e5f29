"""The import direction of DESIGN.md: bot -> tools -> retrieval; evals may import all; nothing
imports evals; only bot/ touches fastapi or slack_bolt."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

FORBIDDEN = {
    "retrieval": {"bot", "tools", "evals", "fastapi", "slack_bolt", "slack_sdk"},
    "tools": {"bot", "evals", "fastapi", "slack_bolt", "slack_sdk"},
    "bot": {"evals"},
    "benchmarks": {"evals"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_only_point_down(package: str) -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (REPO / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_careassist_eval_runs_the_harness_in_its_own_process() -> None:
    exe = Path(sys.executable).with_name("careassist")
    done = subprocess.run(
        [str(exe), "eval", "schema"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    schema = json.loads(done.stdout)
    assert "cases" in json.dumps(schema)
