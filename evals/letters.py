"""Drafted letters and the product's completeness checker, behind the Letters protocol."""

from typing import Any

from evals.target import LetterCheck


def letter_check(program: str, text: str) -> LetterCheck:
    """tools.letters.check_letter's verdict: every element it requires and those it misses."""
    from tools.letters import check_letter

    report = check_letter(program, text)
    missing = tuple(m.id for m in report.missing)
    return LetterCheck(required=tuple(report.present) + missing, missing=missing)


class DraftLetters:
    """Reads a draft's program and body from the runtime's store."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime

    def text(self, draft_id: str) -> tuple[str, str] | None:
        from tools import drafts  # type: ignore[attr-defined]

        draft = drafts.load_draft(self.runtime.db, draft_id)
        if draft is None:
            return None
        return str(draft.program), str(draft.body)

    def check(self, program: str, text: str) -> LetterCheck:
        return letter_check(program, text)
