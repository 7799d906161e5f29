"""Both HTML reports opened in headless Chromium: every chart is laid out and drawn, and the
files load nothing from the network."""

import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.conftest import require_chromium
from tools.context import ToolContext
from tools.db import Database
from tools.report_cms import cms_report
from tools.report_files import write_cms, write_um
from tools.report_um import um_report
from tools.seed import seed
from tools.users import principal_for

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--virtual-time-budget=5000",
    "--dump-dom",
]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report-html")
    db = Database.from_url(f"sqlite:///{folder}/r.db")
    db.migrate()
    seed(db, reference=NOW.date(), cases=6000, history_days=700)
    ctx = ToolContext(
        principal=principal_for(db, "co.dana"), db=db, purpose="browser test", clock=lambda: NOW
    )
    write_cms(cms_report(ctx, {"year": 2026}), folder / "cms")
    write_um(um_report(ctx, {"start": date(2025, 6, 1), "end": date(2026, 11, 24)}), folder / "um")
    db.dispose()
    return {"cms": folder / "cms" / "cms-0057-f.html", "um": folder / "um" / "report.html"}


@pytest.mark.parametrize(("which", "charts"), [("cms", 4), ("um", 7)])
def test_headless_chromium_draws_every_chart(
    written: dict[str, Path], which: str, charts: int
) -> None:
    browser = require_chromium()
    path = written[which]
    done = subprocess.run(
        [browser, *FLAGS, path.as_uri()], capture_output=True, text=True, timeout=120
    )
    dom = done.stdout
    drawn = [int(n) for n in re.findall(r'<svg class="chart"[^>]*data-rendered="(\d+)"', dom)]
    assert len(drawn) == charts, done.stderr[-2000:]
    assert all(n > 0 for n in drawn), drawn
    assert f'data-charts="{charts}"' in dom


@pytest.mark.parametrize("which", ["cms", "um"])
def test_the_reports_are_self_contained(written: dict[str, Path], which: str) -> None:
    html = written[which].read_text()
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html)
    assert "<svg" in html and "@import" not in html
