"""The import direction of DESIGN.md: bot -> tools -> retrieval; evals may import all; nothing
imports evals; only bot/ touches fastapi or slack_bolt; the faces (bot.api, bot.slack) never
import each other and share only bot.faces, which imports neither web framework."""

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


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(files: list[Path], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(REPO)): sorted(
            m
            for m in imported_modules(path)
            if any(m == f or m.startswith(f + ".") for f in forbidden)
        )
        for path in files
    }
    return {k: v for k, v in found.items() if v}


FACES = {
    "bot/slack": ("bot.api", "bot.server"),
    "bot/api": ("bot.slack", "bot.server"),
    "bot/faces": ("bot.api", "bot.slack", "bot.server", "fastapi", "starlette", "slack_bolt"),
}


@pytest.mark.parametrize("folder", sorted(FACES))
def test_the_faces_never_import_each_other(folder: str) -> None:
    assert offenders(sorted((REPO / folder).rglob("*.py")), FACES[folder]) == {}


def test_the_cli_reaches_the_api_only_through_the_server_composition() -> None:
    # `careassist users ...` manages tokens and Slack links through bot.faces, not the API.
    assert offenders(sorted((REPO / "bot").glob("cli*.py")), ("bot.api", "bot.slack.app")) == {}


def test_socket_mode_runs_without_fastapi() -> None:
    probe = "import sys, bot.slack.socket; print('fastapi' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "False", done.stderr


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
