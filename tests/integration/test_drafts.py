"""Drafts in a real store (SQLite, and PostgreSQL when reachable): what is stored, who may sign,
and what never changes once signed."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tools import audit
from tools.catalogue import catalogue
from tools.completeness import DRAFT_BANNER, LetterProgram, required_elements
from tools.context import ToolContext
from tools.db import Database
from tools.draft_kinds import draft_case_note, draft_denial_letter, revise_draft
from tools.drafts import get_draft, list_drafts
from tools.enums import CaseStatus, LineOfBusiness, ProviderKind, RequestType, Urgency
from tools.errors import (
    CaseNotFound,
    DraftConflict,
    DraftNotFound,
    InvalidInput,
    PermissionDenied,
    SignOffRefused,
)
from tools.ids import npi_check_digit
from tools.models import (
    AuditHead,
    AuditRecord,
    Case,
    Draft,
    DraftStatus,
    EligibilitySpan,
    Member,
    Plan,
    Provider,
    User,
)
from tools.roles import Principal, Role
from tools.settings import ToolsSettings
from tools.signoff import ATTESTATION, sign_draft

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
NPI = "123456789" + str(npi_check_digit("123456789"))
SPECIFIC_REASON = (
    "The records show 3 weeks of physical therapy; MP-201 §2.2 criterion 2 asks for at least "
    "6 weeks of conservative therapy before a lumbar MRI."
)
MRI_CRITERIA = {
    "citation": "MP-201 §2.2",
    "title": "Lumbar spine MRI after failed conservative therapy",
    "text": (
        "For low back pain without red flags, lumbar spine MRI is considered medically necessary "
        "when all of the following are met:\n"
        "1. Symptoms have lasted at least 6 weeks.\n"
        "2. The member has completed at least 6 weeks of physician-directed conservative "
        "therapy, including physical therapy.\n"
        "3. Symptoms persist or worsen despite that therapy, documented at a follow-up visit.\n"
        "4. The result will be used to plan treatment, such as an epidural steroid injection."
    ),
}
CLINICAL = (
    "Low back pain with left leg radiculopathy for 10 weeks. Completed 3 weeks of physical "
    "therapy and NSAIDs. Symptoms persist at the follow-up visit on 2026-11-15."
)

USERS = (
    ("dr.casey", Role.clinician, "Casey Clinicianne", "MD", True),
    ("dr.jordan", Role.clinician, "Jordan Clinicianne", "DO", True),
    ("dr.gone", Role.clinician, "Gone Clinicianne", "MD", False),
    ("ur.blake", Role.um_reviewer, "Blake Reviewson", "RN", True),
    ("cm.alex", Role.case_manager, "Alex Casewell", None, True),
    ("co.dana", Role.compliance, "Dana Auditwell", None, True),
    ("ad.eli", Role.admin, "Eli Adminson", None, True),
)
# case id -> (member id, plan id, request type, assigned reviewer)
CASES = {
    "C2000001": ("M1000001", "PLN-MA-01", RequestType.pre_service, "dr.casey"),
    "C2000002": ("M1000002", "PLN-MCD-01", RequestType.concurrent, "dr.casey"),
    "C2000003": ("M1000003", "PLN-COM-01", RequestType.pre_service, "dr.casey"),
    "C2000004": ("M1000001", "PLN-MA-01", RequestType.part_b_drug, "dr.casey"),
    "C2000005": ("M1000001", "PLN-MA-01", RequestType.post_service, "dr.casey"),
    "C2000006": ("M1000001", "PLN-MA-01", RequestType.pre_service, "ur.blake"),
}
PROGRAM_OF_CASE = {
    "C2000001": LetterProgram.medicare_advantage,
    "C2000002": LetterProgram.medicaid,
    "C2000003": LetterProgram.commercial,
    "C2000004": LetterProgram.medicare_part_b_drug,
    "C2000005": LetterProgram.medicare_advantage,
}


def populate(db: Database) -> None:
    with db.transaction() as s:
        s.add_all(
            [
                Plan(
                    plan_id="PLN-MA-01",
                    name="Sunrise Synthetic Medicare Advantage HMO",
                    line_of_business=LineOfBusiness.medicare_advantage,
                ),
                Plan(
                    plan_id="PLN-MCD-01",
                    name="Sunrise Synthetic Medicaid Managed Care",
                    line_of_business=LineOfBusiness.medicaid,
                ),
                Plan(
                    plan_id="PLN-COM-01",
                    name="Sunrise Synthetic Commercial PPO (ERISA)",
                    line_of_business=LineOfBusiness.commercial,
                ),
            ]
        )
        s.add_all(
            User(user_id=u, role=r, display_name=n, credentials=c, active=a)
            for u, r, n, c, a in USERS
        )
        s.add(
            Provider(
                npi=NPI,
                name="Example Imaging Center",
                kind=ProviderKind.organization,
                specialty="Radiology",
                city="Springfield",
                state="ST",
                phone="555-0100",
            )
        )
        s.flush()
        for n, plan in enumerate(("PLN-MA-01", "PLN-MCD-01", "PLN-COM-01"), 1):
            member_id = f"M100000{n}"
            s.add(
                Member(
                    member_id=member_id,
                    first_name="Test",
                    last_name=f"Member{n}",
                    date_of_birth=date(1950, 1, n),
                    sex="F",
                    phone="555-0101",
                    email=f"m{n}@example.invalid",
                    address_line="1 Example St",
                    city="Springfield",
                    state="ST",
                    postal_code="00001",
                    preferred_language="en",
                )
            )
            s.flush()
            s.add(EligibilitySpan(member_id=member_id, plan_id=plan, start_date=date(2026, 1, 1)))
        s.flush()
        for case_id, (member_id, plan, kind, reviewer) in CASES.items():
            drug = kind is RequestType.part_b_drug
            s.add(
                Case(
                    case_id=case_id,
                    member_id=member_id,
                    plan_id=plan,
                    requesting_npi=NPI,
                    service_codes=["J1745"] if drug else ["72148"],
                    diagnosis_codes=["M54.16"],
                    service_description="Infliximab infusion"
                    if drug
                    else "Lumbar spine MRI without contrast",
                    request_type=kind,
                    urgency=Urgency.standard,
                    received_at=datetime(2026, 11, 20, 14, tzinfo=UTC),
                    status=CaseStatus.in_review,
                    assigned_reviewer=reviewer,
                    clinical_notes=CLINICAL,
                    extension_taken=False,
                    updated_at=NOW,
                )
            )


def make_db(url: str) -> Database:
    db = Database.from_url(url)
    db.migrate()
    populate(db)
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = make_db(url)
    yield database
    database.dispose()


def ctx_for(db: Database, user_id: str, role: Role) -> ToolContext:
    return ToolContext(
        principal=Principal(user_id, role),
        db=db,
        purpose="prior auth review",
        channel="test",
        clock=lambda: NOW,
    )


def letter(db: Database, case_id: str = "C2000001", **extra: Any) -> str:
    request = {"case_id": case_id, "reason": SPECIFIC_REASON, "criteria_citations": ["MP-201 §2.2"]}
    return draft_denial_letter(ctx_for(db, "ur.blake", Role.um_reviewer), request | extra).draft_id


def sign(db: Database, draft_id: str, user_id: str = "dr.casey", role: Role = Role.clinician):
    return sign_draft(
        ctx_for(db, user_id, role),
        {"draft_id": draft_id, "attestation": ATTESTATION},
    )


def stored(db: Database, draft_id: str) -> Draft:
    with db.read_only() as s:
        draft = s.get(Draft, draft_id)
        assert draft is not None
        s.expunge(draft)
        return draft


def audit_tools(db: Database) -> list[str]:
    with db.read_only() as s:
        return list(s.scalars(sa.select(AuditRecord.tool).order_by(AuditRecord.seq)))


@pytest.mark.parametrize("case_id", sorted(PROGRAM_OF_CASE))
def test_denial_letter_draft_contains_every_required_element_for_its_line_of_business(
    db: Database, case_id: str
) -> None:
    out = draft_denial_letter(
        ctx_for(db, "ur.blake", Role.um_reviewer),
        {"case_id": case_id, "reason": SPECIFIC_REASON, "criteria_citations": ["MP-201 §2.2"]},
    )
    program = PROGRAM_OF_CASE[case_id]
    payment = CASES[case_id][2] is RequestType.post_service
    expected = {e.id for e in required_elements(program) if e.applies(payment)}
    assert out.program == program
    assert out.status is DraftStatus.draft
    assert out.completeness.complete, out.completeness.missing
    assert set(out.completeness.present) == expected
    assert out.text.splitlines()[0] == DRAFT_BANNER
    assert "Reviewed by: Casey Clinicianne, MD" in out.text
    assert "Member ID: M100000" in out.text
    assert out.fields["payment"] is payment


def test_drafting_a_letter_is_audited_as_a_read_of_member_and_case_data(db: Database) -> None:
    draft_id = letter(db)
    with db.read_only() as s:
        record = s.scalars(sa.select(AuditRecord)).one()
        assert audit.verify(s).ok
    assert (record.tool, record.user_id, record.case_id, record.member_id) == (
        "draft_denial_letter",
        "ur.blake",
        "C2000001",
        "M1000001",
    )
    assert record.detail["draft_id"] == draft_id
    assert "member_name" in record.fields


def test_a_crash_after_a_drafts_audit_leaves_neither_the_draft_nor_its_audit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = audit.record

    def record_then_crash(conn: Any, **kwargs: Any) -> list[int]:
        real(conn, **kwargs)
        raise RuntimeError("process killed before commit")

    monkeypatch.setattr(audit, "record", record_then_crash)
    with pytest.raises(RuntimeError):
        letter(db)
    with db.read_only() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditRecord)) == 0


def test_drafting_and_signing_leave_a_signed_checkpoint_of_the_audit_head(tmp_path: Path) -> None:
    settings = ToolsSettings(
        database_url=f"sqlite:///{tmp_path / 'store.db'}",
        audit_key="an-audit-key-that-lives-outside-the-database",
        audit_checkpoint_file=tmp_path / "audit-checkpoints.jsonl",
    )
    db = Database(settings)
    db.migrate()
    populate(db)
    try:
        sign(db, letter(db))
        with db.read_only() as s:
            head = s.get(AuditHead, 1)
            assert head is not None and head.seq == 2
            report = audit.verify_latest(s, db.anchor)
        checkpoint = db.anchor.latest() if db.anchor else None
        assert checkpoint is not None and (checkpoint.seq, checkpoint.hash) == (2, head.hash)
        assert report.ok and report.checkpoint_seq == 2
    finally:
        db.dispose()


def test_denial_draft_cannot_be_signed_by_case_manager(db: Database) -> None:
    draft_id = letter(db)
    with pytest.raises(PermissionDenied, match="only a clinician"):
        sign(db, draft_id, "cm.alex", Role.case_manager)
    assert stored(db, draft_id).status is DraftStatus.draft
    assert "sign_draft" not in audit_tools(db)


@pytest.mark.parametrize("role", [Role.um_reviewer, Role.compliance, Role.admin])
def test_denial_draft_cannot_be_signed_by_any_role_but_clinician(db: Database, role: Role) -> None:
    draft_id = letter(db)
    with pytest.raises(PermissionDenied):
        sign(db, draft_id, "ur.blake", role)
    assert stored(db, draft_id).status is DraftStatus.draft


def test_system_principal_cannot_sign_even_when_it_claims_the_clinician_role(
    db: Database,
) -> None:
    draft_id = letter(db)
    for user_id in ("careassist", "assistant", "system"):
        with pytest.raises(PermissionDenied, match="never signs"):
            sign(db, draft_id, user_id, Role.clinician)
    # A clinician role claimed for a directory user who is not an active clinician is refused.
    for user_id in ("ur.blake", "dr.gone", "dr.nobody"):
        with pytest.raises(PermissionDenied, match="not an active clinician"):
            sign(db, draft_id, user_id, Role.clinician)
    assert stored(db, draft_id).status is DraftStatus.draft


def test_sign_is_never_offered_to_the_agent() -> None:
    clinician = Principal("dr.casey", Role.clinician)
    offered = {spec.name.value for spec in catalogue().for_agent(clinician)}
    assert "draft_denial_letter" in offered
    assert not any("sign" in name for name in offered)


def test_signing_records_name_credentials_attestation_and_time_and_is_audited(
    db: Database,
) -> None:
    draft_id = letter(db)
    out = sign(db, draft_id)
    assert out.status is DraftStatus.signed
    assert (out.signed_by, out.signer_name, out.credentials) == (
        "dr.casey",
        "Casey Clinicianne",
        "MD",
    )
    assert out.attestation == ATTESTATION
    assert out.signed_at == NOW
    assert DRAFT_BANNER not in out.text
    assert out.text.splitlines()[0].startswith("SIGNED by Casey Clinicianne, MD (dr.casey)")
    # Only the banner line changed: the body the clinician reviewed is kept as it was.
    assert out.text.splitlines()[1:] == stored(db, draft_id).body.splitlines()[1:]
    assert audit_tools(db) == ["draft_denial_letter", "sign_draft"]
    with db.read_only() as s:
        assert audit.verify(s).ok


def test_incomplete_draft_is_refused_for_signing_until_revised(db: Database) -> None:
    draft_id = letter(db, reason="Not medically necessary.", criteria_citations=[])
    draft = stored(db, draft_id)
    missing = {m["id"] for m in draft.completeness["missing"]}
    assert missing == {"specific_reason", "criteria_relied_on"}
    with pytest.raises(SignOffRefused, match="specific_reason") as refused:
        sign(db, draft_id)
    assert "criteria_relied_on" in str(refused.value)
    assert stored(db, draft_id).status is DraftStatus.draft

    fixed = revise_draft(
        ctx_for(db, "dr.casey", Role.clinician),
        {"draft_id": draft_id, "reason": SPECIFIC_REASON, "criteria_citations": ["MP-201 §2.2"]},
    )
    assert fixed.completeness.complete
    assert sign(db, fixed.draft_id).status is DraftStatus.signed


def test_draft_with_an_element_deleted_by_hand_cannot_be_signed(db: Database) -> None:
    draft_id = letter(db, "C2000002")
    body = stored(db, draft_id).body
    edited = "\n".join(
        line for line in body.splitlines() if "state fair hearing" not in line.lower()
    )
    revised = revise_draft(
        ctx_for(db, "dr.casey", Role.clinician), {"draft_id": draft_id, "body": edited}
    )
    assert [m.id for m in revised.completeness.missing] == ["state_fair_hearing"]
    with pytest.raises(SignOffRefused, match="state_fair_hearing"):
        sign(db, revised.draft_id)


def test_second_sign_of_the_same_draft_is_refused(db: Database) -> None:
    draft_id = letter(db)
    sign(db, draft_id)
    with pytest.raises(SignOffRefused, match="already signed"):
        sign(db, draft_id, "dr.jordan")
    assert stored(db, draft_id).signed_by == "dr.casey"
    assert audit_tools(db).count("sign_draft") == 1


def test_signed_draft_is_immutable_and_a_revision_makes_a_new_version(db: Database) -> None:
    draft_id = letter(db)
    signed = sign(db, draft_id)
    before = stored(db, draft_id)

    new = revise_draft(
        ctx_for(db, "dr.casey", Role.clinician),
        {"draft_id": draft_id, "information_needed": ["Physical therapy notes with dates"]},
    )
    assert new.draft_id != draft_id
    assert (new.version, new.supersedes, new.status) == (2, draft_id, DraftStatus.draft)
    assert new.text.splitlines()[0] == DRAFT_BANNER
    after = stored(db, draft_id)
    assert (after.body, after.fields, after.status, after.signed_at) == (
        before.body,
        before.fields,
        before.status,
        before.signed_at,
    )
    shown = get_draft(ctx_for(db, "dr.casey", Role.clinician), {"draft_id": draft_id})
    assert shown.text == signed.text
    assert shown.superseded_by == new.draft_id
    with pytest.raises(DraftConflict, match=new.draft_id):
        revise_draft(
            ctx_for(db, "dr.casey", Role.clinician), {"draft_id": draft_id, "reason": "x" * 40}
        )


def test_the_database_refuses_to_change_or_delete_a_signed_draft(db: Database) -> None:
    draft_id = letter(db)
    sign(db, draft_id)
    for statement in (
        "UPDATE drafts SET body = 'approved' WHERE draft_id = :id",
        "UPDATE drafts SET status = 'draft' WHERE draft_id = :id",
        "DELETE FROM drafts WHERE draft_id = :id",
    ):
        refused = pytest.raises(sa.exc.DBAPIError, match="drafts: a signed draft")
        with refused, db.transaction() as s:
            s.execute(sa.text(statement), {"id": draft_id})
    assert stored(db, draft_id).status is DraftStatus.signed


def test_the_database_refuses_to_rewrite_an_unsigned_draft_in_place(db: Database) -> None:
    draft_id = letter(db)
    with pytest.raises(sa.exc.DBAPIError, match="only by a new version"), db.transaction() as s:
        s.execute(sa.text("UPDATE drafts SET body = 'x' WHERE draft_id = :id"), {"id": draft_id})


def test_superseded_version_cannot_be_signed(db: Database) -> None:
    draft_id = letter(db)
    newer = revise_draft(
        ctx_for(db, "dr.casey", Role.clinician), {"draft_id": draft_id, "reason": SPECIFIC_REASON}
    )
    with pytest.raises(SignOffRefused, match=f"replaced by {newer.draft_id}"):
        sign(db, draft_id)


def test_letter_naming_another_reviewer_is_signed_only_by_that_clinician(db: Database) -> None:
    draft_id = letter(db)
    with pytest.raises(SignOffRefused, match=r"names dr\.casey"):
        sign(db, draft_id, "dr.jordan")
    renamed = revise_draft(
        ctx_for(db, "dr.jordan", Role.clinician),
        {"draft_id": draft_id, "reviewer_user_id": "dr.jordan"},
    )
    assert "Reviewed by: Jordan Clinicianne, DO" in renamed.text
    assert sign(db, renamed.draft_id, "dr.jordan").signed_by == "dr.jordan"


def test_letter_without_a_clinician_reviewer_is_incomplete(db: Database) -> None:
    out = draft_denial_letter(
        ctx_for(db, "ur.blake", Role.um_reviewer),
        {"case_id": "C2000006", "reason": SPECIFIC_REASON, "criteria_citations": ["MP-201"]},
    )
    assert [m.id for m in out.completeness.missing] == ["reviewer"]
    with pytest.raises(InvalidInput, match="not an active clinician"):
        revise_draft(
            ctx_for(db, "ur.blake", Role.um_reviewer),
            {"draft_id": out.draft_id, "reviewer_user_id": "ur.blake"},
        )


def test_draft_for_unknown_case_is_not_found_and_nothing_is_stored(db: Database) -> None:
    with pytest.raises(CaseNotFound, match="C2999999"):
        letter(db, "C2999999")
    with pytest.raises(CaseNotFound, match="C2999999"):
        draft_case_note(ctx_for(db, "ur.blake", Role.um_reviewer), {"case_id": "C2999999"})
    with db.read_only() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Draft)) == 0
    assert audit_tools(db) == []


def test_unknown_draft_is_not_found(db: Database) -> None:
    with pytest.raises(DraftNotFound, match="D0999999"):
        get_draft(ctx_for(db, "dr.casey", Role.clinician), {"draft_id": "D0999999"})
    with pytest.raises(DraftNotFound):
        sign(db, "D0999999")
    with pytest.raises(InvalidInput, match="not a draft id"):
        get_draft(ctx_for(db, "dr.casey", Role.clinician), {"draft_id": "1; DROP TABLE drafts"})


def test_case_note_marks_each_criterion_and_leaves_the_determination_to_the_clinician(
    db: Database,
) -> None:
    out = draft_case_note(
        ctx_for(db, "ur.blake", Role.um_reviewer),
        {
            "case_id": "C2000001",
            "reviewer_notes": "MRI to plan an epidural steroid injection.",
            "criteria": [MRI_CRITERIA],
        },
    )
    assert out.kind == "case_note"
    assert out.completeness.complete, out.completeness.missing
    statuses = [f["status"] for f in out.fields["findings"][0]["findings"]]
    assert statuses == ["met", "not met", "met", "met"]
    assert "  2. [not met] The member has completed at least 6 weeks" in out.text
    assert "Criteria applied: MP-201 §2.2 Lumbar spine MRI" in out.text
    assert "It is not a clinical judgment: the clinician decides." in out.text
    assert out.text.rstrip().endswith("Determination: pending clinician review")
    # Minimum necessary: ids, not the member's name or date of birth.
    assert "Member2" not in out.text and "Test Member" not in out.text
    assert "1950" not in out.text


def test_case_note_without_criteria_is_incomplete_until_revised(db: Database) -> None:
    out = draft_case_note(ctx_for(db, "ur.blake", Role.um_reviewer), {"case_id": "C2000001"})
    assert [m.id for m in out.completeness.missing] == ["criteria_applied", "criterion_status"]
    with pytest.raises(SignOffRefused):
        sign(db, out.draft_id)
    revised = revise_draft(
        ctx_for(db, "ur.blake", Role.um_reviewer),
        {"draft_id": out.draft_id, "criteria": [MRI_CRITERIA]},
    )
    assert revised.completeness.complete
    assert revised.fields["clinical_notes"] == CLINICAL
    assert sign(db, revised.draft_id).status is DraftStatus.signed


def test_case_manager_cannot_draft_or_read_a_case_note(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        draft_case_note(ctx_for(db, "cm.alex", Role.case_manager), {"case_id": "C2000001"})
    note = draft_case_note(ctx_for(db, "ur.blake", Role.um_reviewer), {"case_id": "C2000001"})
    with pytest.raises(PermissionDenied):
        get_draft(ctx_for(db, "cm.alex", Role.case_manager), {"draft_id": note.draft_id})


def test_drafts_are_listed_by_case_with_status_and_versions(db: Database) -> None:
    first = letter(db)
    second = revise_draft(
        ctx_for(db, "dr.casey", Role.clinician), {"draft_id": first, "reason": SPECIFIC_REASON}
    ).draft_id
    sign(db, second)
    letter(db, "C2000003")
    listed = list_drafts(ctx_for(db, "dr.casey", Role.clinician), {"case_id": "C2000001"})
    assert [(d.draft_id, d.version, d.status) for d in listed.drafts] == [
        (second, 2, DraftStatus.signed),
        (first, 1, DraftStatus.draft),
    ]
    assert listed.drafts[1].superseded_by == second
    signed = list_drafts(ctx_for(db, "dr.casey", Role.clinician), {"status": "signed"})
    assert [d.draft_id for d in signed.drafts] == [second]


def test_cli_drafts_a_letter_refuses_a_case_manager_and_records_the_clinician_signature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from bot.cli import app

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    make_db(url).dispose()
    monkeypatch.setenv("CAREASSIST_DATABASE_URL", url)
    run = CliRunner().invoke

    drafted = run(
        app,
        ["draft", "denial-letter", "C2000003", "--reason", SPECIFIC_REASON,
         "--criteria", "MP-201 §2.2", "--user", "ur.blake", "--json"],
    )  # fmt: skip
    assert drafted.exit_code == 0, drafted.output
    assert '"status": "draft"' in drafted.output and '"complete": true' in drafted.output

    sign_args = ["drafts", "sign", "D0000001"]
    refused = run(app, [*sign_args, "--attest", "--user", "cm.alex"])
    assert refused.exit_code == 2
    assert "only a clinician may sign" in refused.output
    unattested = run(app, [*sign_args, "--user", "dr.casey"])
    assert unattested.exit_code == 2 and "--attest" in unattested.output

    signed = run(app, [*sign_args, "--attest", "--user", "dr.casey"])
    assert signed.exit_code == 0, signed.output
    assert "SIGNED by Casey Clinicianne, MD (dr.casey)" in signed.output
    again = run(app, [*sign_args, "--attest", "--user", "dr.jordan"])
    assert again.exit_code == 2 and "already signed" in again.output

    listed = run(app, ["drafts", "list", "--case", "C2000003", "--user", "dr.casey", "--json"])
    assert listed.exit_code == 0 and '"signed_by": "dr.casey"' in listed.output
    missing = run(app, ["drafts", "show", "D0000042", "--user", "dr.casey"])
    assert missing.exit_code == 2 and "no draft with id D0000042" in missing.output
