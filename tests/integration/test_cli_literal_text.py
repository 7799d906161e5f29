"""Terminal output keeps literal text such as `[synthetic]`: user data is never read as Rich
markup, in tables, answers or one-line errors."""

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from tests.integration.service_support import make_db


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("cli-literal")
    make_db(folder).dispose()
    return {"CAREASSIST_DATABASE_URL": f"sqlite:///{folder / 'careassist.db'}"}


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def test_a_case_table_keeps_the_synthetic_marker(env: dict[str, str]) -> None:
    result = run(env, "case", "C2000002", "--user", "ur.blake")
    assert result.exit_code == 0, result.output
    assert "[synthetic]" in result.output


def test_a_case_table_shows_times_in_the_plan_time_zone(env: dict[str, str]) -> None:
    result = run(env, "case", "C2000002", "--user", "ur.blake")
    assert result.exit_code == 0, result.output
    received = next(line for line in result.output.splitlines() if "received_at" in line)
    assert ("EST" in received or "EDT" in received) and "+00:00" not in received, received


def test_an_error_keeps_bracketed_input_literally(env: dict[str, str]) -> None:
    result = run(env, "case", "C2000002", "--user", "[bold]x")
    assert result.exit_code == 2
    assert "[bold]x" in result.output


def test_the_deadline_rule_keeps_its_verification_tags(env: dict[str, str]) -> None:
    result = run(
        env,
        "deadline",
        "--lob",
        "commercial",
        "--type",
        "pre_service",
        "--received",
        "2026-11-20T09:00-05:00",
        "--now",
        "2026-11-21T09:00-05:00",
    )
    assert result.exit_code == 0, result.output
    assert "primary text [P]" in result.output and "secondary source [S]" in result.output


def test_signed_drafts_show_the_signature_time_in_plan_time(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from tools.context import ToolContext
    from tools.draft_kinds import draft_denial_letter
    from tools.roles import Principal, Role
    from tools.signoff import ATTESTATION, sign_draft

    db = make_db(tmp_path)
    clinician = Principal("dr.casey", Role.clinician, "Casey Clinicianne", "MD")
    at = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
    ctx = ToolContext(clinician, db, "test", "test", clock=lambda: at)
    draft = draft_denial_letter(
        ctx,
        {
            "case_id": "C2000002",
            "reason": "MP-201 §2.2 criterion 2: six weeks of conservative therapy are not "
            "documented in the records received",
            "criteria_citations": ["MP-201 §2.2"],
            "reviewer_user_id": "dr.casey",
        },
    )
    out = sign_draft(ctx, {"draft_id": draft.draft_id, "attestation": ATTESTATION})
    assert "on 2026-11-24 09:30 EST" in out.text.splitlines()[0]
    db.dispose()
