"""Drafted letters and the product's completeness checker, behind the Letters protocol."""

from typing import Any

from evals.target import LetterCheck

CASE_NOTE = "case_note"


def letter_check(program: str, text: str) -> LetterCheck:
    """The product checker's verdict on the text alone: every element it requires for the
    program and those it cannot find. Reading the text (not the stored fields or the stored
    report) is what catches a letter edited by hand after drafting."""
    if program == CASE_NOTE:
        from tools.casenotes import check_case_note

        report = check_case_note(text)
    else:
        from tools.completeness import check_letter

        report = check_letter(program, text)
    missing = tuple(m.id for m in report.missing)
    return LetterCheck(required=tuple(report.present) + missing, missing=missing)


class DraftLetters:
    """Reads drafts straight from the run's private store: going through get_draft would add
    audit records the harness did not need, and a role check the harness is not subject to."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def text(self, draft_id: str) -> tuple[str, str] | None:
        from tools.models import Draft, DraftKind

        with self.db.read_only() as session:
            draft = session.get(Draft, draft_id)
            if draft is None:
                return None
            program = CASE_NOTE if draft.kind is DraftKind.case_note else str(draft.program)
            return program, draft.text()

    def check(self, program: str, text: str) -> LetterCheck:
        return letter_check(program, text)
