"""Out-of-window receipt times: a 422 from POST /v1/deadlines, one line from the CLI."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app as cli_app
from bot.faces.tokens import TokenStore
from bot.server import create_app
from bot.settings import BotSettings
from tests.integration.service_support import FakeRuntime, UvicornThread, make_db

EDGES = ["9999-12-31T23:59:59Z", "0001-01-01T00:00+14:00"]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    tmp = tmp_path_factory.mktemp("deadline-api")
    db = make_db(tmp)
    store = TokenStore(db, cache_s=0)
    token = store.issue("ur.blake", "tests").token
    settings = BotSettings(
        _env_file=None,
        state_dir=tmp,
        api_token_cache_s=0,
        api_rate_limit=10_000,
        slack_bot_token=None,
        slack_signing_secret=None,
        redis_url=None,
    )
    with UvicornThread(create_app(FakeRuntime(db), settings, tokens=store)) as url:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            yield client
    db.dispose()


@pytest.mark.parametrize("received", EDGES)
def test_deadline_api_refuses_a_receipt_outside_1900_to_2200_with_422(
    api: httpx.Client, received: str
) -> None:
    r = api.post(
        "/v1/deadlines",
        json={
            "line_of_business": "medicare_advantage",
            "request_type": "pre_service",
            "urgency": "standard",
            "received_at": received,
        },
    )
    assert r.status_code == 422, r.text
    assert "between 1900 and 2200" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("option", "value"), [("--received", EDGES[0]), ("--received", EDGES[1]), ("--now", EDGES[0])]
)
def test_deadline_cli_prints_one_line_for_a_time_outside_the_window(
    tmp_path: Path, option: str, value: str
) -> None:
    args = ["deadline", "--lob", "commercial", "--type", "pre_service"]
    args += ["--received", "2026-11-20T09:00-05:00", option, value]
    env = {"CAREASSIST_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", "CAREASSIST_USER": ""}
    result = CliRunner().invoke(cli_app, args, env=env)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("error:") and len(lines) <= 2, result.output
    assert "between 1900 and 2200" in result.output and "Traceback" not in result.output
