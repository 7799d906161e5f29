"""Sign-off is strict: only JSON true attests, and the name and credentials on a signature come
from the staff directory, never from what the signer types (tool, API and CLI)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app as cli_app
from tests.integration.api_stack import ApiStack, api_stack
from tests.integration.service_support import make_db
from tools.context import ToolContext
from tools.db import Database
from tools.draft_kinds import draft_denial_letter
from tools.errors import InvalidInput, SignOffRefused
from tools.models import Draft, User
from tools.roles import Principal, Role
from tools.signoff import ATTESTATION, sign_draft

LETTER = {
    "case_id": "C2000002",
    "reason": "MP-201 §2.2 criterion 2: six weeks of conservative therapy are not documented "
    "in the records received",
    "criteria_citations": ["MP-201 §2.2"],
    "reviewer_user_id": "dr.casey",
}
CLINICIAN = Principal("dr.casey", Role.clinician, "Casey Clinicianne", "MD")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiStack]:
    with api_stack(tmp_path_factory.mktemp("sign-api")) as s:
        yield s


def ctx(db: Database, principal: Principal = CLINICIAN) -> ToolContext:
    return ToolContext(principal=principal, db=db, purpose="test sign-off", channel="test")


def new_letter(db: Database) -> str:
    return draft_denial_letter(ctx(db), LETTER).draft_id


def signature(db: Database, draft_id: str) -> tuple[str, str | None, str | None]:
    with db.read_only() as s:
        draft = s.get(Draft, draft_id)
        assert draft is not None
        return draft.status.value, draft.signer_name, draft.credentials


def test_the_signature_takes_name_and_credentials_from_the_staff_directory(
    tmp_path: Path,
) -> None:
    db = make_db(tmp_path)
    draft_id = new_letter(db)
    # The principal a face built may carry stale or forged details; the directory decides.
    forged = Principal("dr.casey", Role.clinician, "Nobel Laureate", "Chief of Everything")
    out = sign_draft(ctx(db, forged), {"draft_id": draft_id, "attestation": ATTESTATION})
    assert (out.signer_name, out.credentials) == ("Casey Clinicianne", "MD")
    assert out.text.splitlines()[0].startswith("SIGNED by Casey Clinicianne, MD (dr.casey)")
    db.dispose()


@pytest.mark.parametrize(
    "extra",
    [
        {"credentials": "Nobel Laureate, Chief of Everything"},
        {"signer_name": "Someone Else"},
        {"credentials": "MD"},
    ],
)
def test_sign_draft_refuses_typed_names_or_credentials(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    db = make_db(tmp_path)
    draft_id = new_letter(db)
    with pytest.raises(InvalidInput):
        sign_draft(ctx(db), {"draft_id": draft_id, "attestation": ATTESTATION, **extra})
    assert signature(db, draft_id) == ("draft", None, None)
    db.dispose()


def test_a_clinician_without_credentials_on_file_cannot_sign(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    draft_id = new_letter(db)
    with db.transaction() as s:
        user = s.get(User, "dr.casey")
        assert user is not None
        user.credentials = None
    with pytest.raises(SignOffRefused, match="no credentials on file"):
        sign_draft(ctx(db), {"draft_id": draft_id, "attestation": ATTESTATION})
    assert signature(db, draft_id) == ("draft", None, None)
    db.dispose()


@pytest.mark.parametrize("attest", ["yes", "1", "on", "true", 1, 1.0, "True", [True], None])
def test_the_api_signs_only_on_json_true(stack: ApiStack, attest: Any) -> None:
    draft_id = new_letter(stack.db)
    with stack.client("dr.casey") as c:
        r = c.post(f"/v1/drafts/{draft_id}/sign", json={"attest": attest})
    assert r.status_code == 422, r.text
    assert set(r.json()) == {"error"}
    assert signature(stack.db, draft_id) == ("draft", None, None)


def test_the_api_refuses_typed_credentials_and_signs_with_the_directorys(
    stack: ApiStack,
) -> None:
    draft_id = new_letter(stack.db)
    with stack.client("dr.casey") as c:
        typed = c.post(
            f"/v1/drafts/{draft_id}/sign",
            json={"attest": True, "credentials": "Nobel Laureate, Chief of Everything"},
        )
        assert typed.status_code == 422, typed.text
        assert signature(stack.db, draft_id) == ("draft", None, None)
        signed = c.post(f"/v1/drafts/{draft_id}/sign", json={"attest": True})
    assert signed.status_code == 200, signed.text
    assert (signed.json()["signer_name"], signed.json()["credentials"]) == (
        "Casey Clinicianne",
        "MD",
    )


def test_the_cli_signs_with_the_directorys_name_and_credentials(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    draft_id = new_letter(db)
    db.dispose()
    env = {"CAREASSIST_DATABASE_URL": f"sqlite:///{tmp_path / 'careassist.db'}"}
    run = CliRunner().invoke
    base = ["drafts", "sign", draft_id, "--attest", "--user", "dr.casey"]
    typed = run(cli_app, [*base, "--credentials", "Nobel Laureate"], env=env)
    assert typed.exit_code == 2, typed.output
    named = run(cli_app, [*base, "--name", "Someone Else"], env=env)
    assert named.exit_code == 2, named.output
    signed = run(cli_app, [*base, "--json"], env=env)
    assert signed.exit_code == 0, signed.output
    assert '"signer_name": "Casey Clinicianne"' in signed.output
    assert '"credentials": "MD"' in signed.output
