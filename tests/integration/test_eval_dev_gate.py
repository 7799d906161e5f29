"""The release gate CI applies: the dev dataset through the real offline engine over the shipped
corpus must meet evals/thresholds.yaml, and every decision request must be deferred."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.cli import app

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_dev_dataset_meets_the_release_thresholds(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(REPO / "evals" / "datasets" / "dev.yaml"),
            "--corpus",
            str(REPO / "corpus"),
            "--out",
            str(tmp_path),
        ],
    )
    assert (tmp_path / "report.html").is_file(), result.output
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert result.exit_code == 0, "gate failed:\n" + "\n".join(results["gate"]["failures"])
