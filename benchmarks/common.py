"""What every benchmark records beside its figures: the machine, the versions, the commit."""

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def version_of(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine_info(threads: int, packages: tuple[str, ...]) -> dict[str, Any]:
    import torch

    return {
        "cpu_count": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch_threads": torch.get_num_threads(),
        "careassist_torch_threads": threads,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "versions": {d: version_of(d) for d in packages},
    }


def git_state(*paths: str) -> dict[str, Any]:
    """The commit measured, and any uncommitted change to the code under test."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted_under_test": git("status", "--porcelain", "--", *paths).splitlines(),
    }
