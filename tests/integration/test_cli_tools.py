"""The `careassist` tools commands end to end on a SQLite file: output, exit codes, audit."""

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

from bot.cli import app

REFERENCE = "2026-11-24"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("cli")
    values = {
        "CAREASSIST_DATABASE_URL": f"sqlite:///{folder}/nested/dir/cli.db",
        "CAREASSIST_USER": "",
    }
    result = CliRunner().invoke(app, ["seed", "--reference", REFERENCE], env=values)
    assert result.exit_code == 0, result.output
    return values


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) <= 3 and lines[0].startswith("error:"), result.output
    return " ".join(lines)


def test_seed_creates_the_database_directory_and_reports_counts(env: dict[str, str]) -> None:
    db_path = Path(env["CAREASSIST_DATABASE_URL"].removeprefix("sqlite:///"))
    assert db_path.is_file()


def test_seed_refuses_to_overwrite_without_replace(env: dict[str, str]) -> None:
    assert "--replace" in one_line_error(run(env, "seed", "--reference", REFERENCE))


def test_member_lookup_prints_json_for_the_callers_role(env: dict[str, str]) -> None:
    result = run(env, "member", "M1000001", "--user", "cm.alex", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["member_id"] == "M1000001" and record["phone"]
    result = run(env, "member", "M1000001", "--user", "co.dana", "--json")
    record = json.loads(result.output)
    assert record["first_name"] is None and "first_name" in record["withheld_fields"]


def test_member_search_by_name_and_date_of_birth(env: dict[str, str]) -> None:
    record = json.loads(run(env, "member", "M1000001", "--user", "ur.blake", "--json").output)
    result = run(
        env,
        "member",
        "--name",
        record["last_name"],
        "--dob",
        record["date_of_birth"],
        "--user",
        "ur.blake",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert "M1000001" in {c["member_id"] for c in json.loads(result.output)["candidates"]}


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["member", "M12", "--user", "cm.alex"], "not a member id"),
        (["member", "M9999999", "--user", "cm.alex"], "no member with id M9999999"),
        (["member", "M1000001", "--user", "ad.eli"], "may not use lookup_member"),
        (["member", "M1000001", "--user", "cm.alex", "--as", "clinician"], "not clinician"),
        (["member", "M1000001", "--user", "nobody.here"], "no staff user"),
        (["member", "M1000001"], "--user"),
        (["case", "C2000001' OR 1=1", "--user", "ur.blake"], "not a case id"),
        (
            ["case", "C2000001", "--user", "cm.alex", "--field", "clinical_notes"],
            "may not see case field",
        ),
        (["cases", "--user", "cm.alex"], "at least one filter"),
        (["cases", "--user", "cm.alex", "--due-before", "2026-11-30T12:00"], "no time zone"),
        (
            ["cases", "--user", "cm.alex", "--from", "2026-11-20", "--to", "2026-11-01"],
            "before it starts",
        ),
        (
            [
                "deadline",
                "--lob",
                "medicaid",
                "--type",
                "pre_service",
                "--received",
                "2026-03-01T10:00",
            ],
            "no time zone",
        ),
        (
            [
                "deadline",
                "--lob",
                "medicaid",
                "--type",
                "concurrent",
                "--received",
                "2026-03-01T10:00-05:00",
            ],
            "no decision timeframe",
        ),
        (["audit", "verify", "--user", "cm.alex"], "may not use audit_verify"),
        (
            [
                "audit",
                "export",
                "--since",
                "2026-11-20",
                "--until",
                "2026-11-01",
                "--user",
                "co.dana",
            ],
            "before it starts",
        ),
        (
            ["audit", "export", "--since", "2026-11-20", "--format", "xml", "--user", "co.dana"],
            "jsonl or csv",
        ),
    ],
)
def test_errors_are_one_clear_line_and_exit_2(
    env: dict[str, str], args: list[str], phrase: str
) -> None:
    assert phrase in one_line_error(run(env, *args))


def test_case_shows_clinical_notes_only_to_reviewers(env: dict[str, str]) -> None:
    reviewer = json.loads(run(env, "case", "C2000002", "--user", "ur.blake", "--json").output)
    manager = json.loads(run(env, "case", "C2000002", "--user", "cm.alex", "--json").output)
    assert reviewer["clinical_notes"] and manager["clinical_notes"] is None
    assert "clinical_notes" in manager["withheld_fields"]


def test_cases_lists_my_worklist(env: dict[str, str]) -> None:
    result = run(env, "cases", "--assignee", "me", "--user", "ur.blake", "--json")
    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert listing["cases"] and all(c["assigned_reviewer"] == "ur.blake" for c in listing["cases"])
    table = run(env, "cases", "--status", "received", "--limit", "3", "--user", "cm.alex")
    assert table.exit_code == 0 and "C2" in table.output


def test_deadline_from_arguments(env: dict[str, str]) -> None:
    result = run(
        env,
        "deadline",
        "--lob",
        "medicare_advantage",
        "--type",
        "pre_service",
        "--received",
        "2025-12-31T23:30-05:00",
        "--now",
        "2026-01-02T00:00Z",
        "--json",
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["rule"]["rule_id"] == "MA-PRE-STD-2024"
    assert out["due_at"] == "2026-01-14T23:30:00-05:00" and out["overdue"] is False
    human = run(
        env,
        "deadline",
        "--lob",
        "commercial",
        "--type",
        "pre_service",
        "--urgency",
        "expedited",
        "--received",
        "2028-02-28T12:00-05:00",
        "--now",
        "2028-03-05T00:00Z",
    )
    assert "Due 2028-03-02 12:00 EST" in human.output and "overdue by" in human.output
    assert "29 CFR 2560.503-1" in human.output


def test_deadline_for_a_stored_case_is_audited(env: dict[str, str]) -> None:
    export = run(env, "audit", "export", "--since", "2000-01-01", "--user", "co.dana")
    before = len(export.stdout.splitlines())
    result = run(env, "deadline", "--case", "C2000001", "--user", "ur.blake", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rule"]["rule_id"]
    after = run(env, "audit", "export", "--since", "2000-01-01", "--user", "co.dana")
    records = [json.loads(line) for line in after.stdout.splitlines()]
    assert len(records) == before + 1
    assert records[-1]["case_id"] == "C2000001" and records[-1]["channel"] == "cli"
    assert records[-1]["purpose"] == "CLI deadline for a case"


def test_network_status(env: dict[str, str]) -> None:
    result = run(env, "network", "9000000015", "--plan", "PLN-MCD-01", "--user", "ad.eli", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["status"] == "in_network"


def test_audit_export_csv_to_a_file(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "audit.csv"
    result = run(
        env,
        "audit",
        "export",
        "--since",
        "2000-01-01",
        "--format",
        "csv",
        "-o",
        str(target),
        "--user",
        "co.dana",
    )
    assert result.exit_code == 0, result.output
    lines = target.read_text().splitlines()
    assert lines[0].startswith("seq,recorded_at,user_id,role,tool") and len(lines) > 1


def test_audit_verify_passes_then_names_the_first_tampered_record(tmp_path: Path) -> None:
    env = {"CAREASSIST_DATABASE_URL": f"sqlite:///{tmp_path}/tamper.db", "CAREASSIST_USER": ""}
    assert run(env, "seed", "--reference", REFERENCE).exit_code == 0
    for member_id in ("M1000001", "M1000002", "M1000003"):
        assert run(env, "member", member_id, "--user", "cm.alex").exit_code == 0
    ok = run(env, "audit", "verify", "--user", "ad.eli")
    assert ok.exit_code == 0 and "intact" in ok.output
    anchor = ok.output.split("head")[1].split()[0].strip()
    assert run(env, "audit", "verify", "--anchor", anchor, "--user", "co.dana").exit_code == 0
    engine = sa.create_engine(env["CAREASSIST_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        conn.execute(sa.text("UPDATE audit_log SET member_id = 'M1234567' WHERE seq = 2"))
    engine.dispose()
    broken = run(env, "audit", "verify", "--user", "co.dana")
    assert broken.exit_code == 1
    assert "record 2" in broken.output and "BROKEN" in broken.output
