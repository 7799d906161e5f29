"""Denial-letter rendering per line of business: plan contacts, the letter's fields, the
templates, the signed text, and the criteria a stated reason rests on.

What a letter must contain, and the checker that reads it back, live in tools.completeness.
"""

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

import jinja2
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.completeness import (
    CASE_NOTE,
    DRAFT_BANNER,
    TEMPLATES_DIR,
    LetterDraft,
    LetterProgram,
    program_name,
)
from tools.errors import InvalidInput

NOTHING_MORE_NEEDED = (
    "We do not need more information to review this claim. You may send any records you want "
    "us to see with your appeal."
)


def _one_line(value: str) -> str:
    # A value spanning lines could forge or hide a "Label:" line the checker reads.
    return " ".join(value.split())


class PlanContact(BaseModel):
    """How members reach one plan; from templates/plan_contacts.yaml."""

    model_config = ConfigDict(extra="forbid")

    phone: str
    tty: str
    hours: str
    appeals_address: str
    appeals_fax: str = ""
    peer_to_peer_phone: str
    plan_provisions: list[str] = Field(default_factory=list)


@cache
def plan_contacts() -> dict[str, PlanContact]:
    raw = yaml.safe_load((TEMPLATES_DIR / "plan_contacts.yaml").read_text(encoding="utf-8"))
    return {plan_id: PlanContact.model_validate(v) for plan_id, v in (raw or {}).items()}


class LetterFields(BaseModel):
    """Everything a denial letter says that varies; stored with the draft as its fields."""

    model_config = ConfigDict(extra="forbid")

    notice_date: date
    plan_id: str
    plan_name: str
    member_id: str
    member_name: str
    case_id: str
    service: str
    provider_name: str = ""
    payment: bool = False
    reason: str = ""
    criteria: list[str] = Field(default_factory=list)
    reviewer: str = ""
    reviewer_user_id: str | None = None
    information_needed: list[str] = Field(default_factory=list)
    effective_date: date | None = None
    plan_phone: str = ""
    plan_tty: str = ""
    plan_hours: str = ""
    appeals_address: str = ""
    appeals_fax: str = ""
    peer_to_peer_phone: str = ""
    plan_provisions: list[str] = Field(default_factory=list)

    @field_validator("*", mode="before")
    @classmethod
    def _single_lines(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _one_line(value)
        if isinstance(value, list):
            items = [_one_line(v) if isinstance(v, str) else v for v in value]
            return [v for v in items if v != ""]
        return value

    def with_contact(self, contact: PlanContact | None) -> "LetterFields":
        if contact is None:
            return self
        return self.model_copy(
            update={
                "plan_phone": contact.phone,
                "plan_tty": contact.tty,
                "plan_hours": contact.hours,
                "appeals_address": contact.appeals_address,
                "appeals_fax": contact.appeals_fax,
                "peer_to_peer_phone": contact.peer_to_peer_phone,
                "plan_provisions": list(contact.plan_provisions),
            }
        )


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # plain-text letters; values are made single-line instead
    )


def _view(f: LetterFields) -> dict[str, Any]:
    """Template variables: lines assembled here so an empty value leaves an empty slot."""
    call = f"{f.plan_phone} (TTY {f.plan_tty}), {f.plan_hours}" if f.plan_phone else ""
    appeals = f.appeals_address + (f". Fax {f.appeals_fax}" if f.appeals_fax else "")
    return {
        "banner": DRAFT_BANNER,
        "f": f,
        "call_us": call,
        "appeals_to": appeals if f.appeals_address else "",
        "phone_or_above": f.plan_phone or "the number above",
        "effective_date_text": (
            f"by {f.effective_date.isoformat()} (the date the change takes effect)"
            if f.effective_date
            else "by the date the change takes effect"
        ),
    }


def render_letter(program: LetterProgram | str, fields: LetterFields) -> LetterDraft:
    """Render the denial-letter draft for a program; the text carries the DRAFT banner."""
    name = program_name(program)
    if name == CASE_NOTE:
        raise InvalidInput("case notes are drafted by tools.casenotes, not as a letter")
    # Validate again: model_copy() skips validators, and every value must be one line.
    fields = LetterFields.model_validate(fields.model_dump())
    if name == LetterProgram.commercial and not fields.information_needed:
        # ERISA asks for a description of any information needed; "none" must still be said.
        fields = fields.model_copy(update={"information_needed": [NOTHING_MORE_NEEDED]})
    template = environment().get_template(f"letter_{name}.txt.j2")
    body = template.render(**_view(fields))
    body = re.sub(r"\n{3,}", "\n\n", body)
    return LetterDraft(
        program=name, payment=fields.payment, fields=fields.model_dump(mode="json"), body=body
    )


def signed_text(body: str, signature: str) -> str:
    """The letter as signed: the DRAFT banner replaced by the signature line, nothing else."""
    if DRAFT_BANNER not in body:
        raise InvalidInput("the draft has no DRAFT banner to replace")
    return body.replace(DRAFT_BANNER, signature, 1)


# ----- the criteria a stated reason rests on ----------------------------------------------

STOP_WORDS = frozenset(
    "a an and are as at be been by for from has have in is it its no not of on or that the this "
    "to was were with without any all than then there these those which who whom per".split()
)
REASON_NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    out = set()
    for word in words:
        word = REASON_NUMBER_WORDS.get(word, word)
        if word in STOP_WORDS or (len(word) < 3 and not word.isdigit()):
            continue
        for suffix in ("ation", "ing", "ed", "es", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        out.add(word)
    return out


def supporting_sections(
    reason: str, sections: Sequence[str], limit: int = 2, min_share: float = 0.5
) -> list[int]:
    """Indexes of the criteria sections whose text supports a stated reason, best first: the
    share of the reason's content words each contains (none when no section reaches
    `min_share`, or shares fewer than two words)."""
    wanted = _stems(reason)
    if not wanted:
        return []
    scored = []
    for i, text in enumerate(sections):
        shared = wanted & _stems(text)
        if len(shared) >= 2 and len(shared) / len(wanted) >= min_share:
            scored.append((len(shared) / len(wanted), i))
    scored.sort(key=lambda s: (-s[0], s[1]))
    if not scored:
        return []
    best = scored[0][0]
    return [i for share, i in scored if share >= 0.85 * best][:limit]


def criterion_name(citation: str, title: str, heading: str = "") -> str:
    """How a letter names a criterion: its code and section with the policy's title."""
    heading = re.sub(r"^\d+(\.\d+)*\.?\s*", "", heading).strip()
    named = f"{title} ({citation})" if title else citation
    return f"{named}: {heading}" if heading and heading.lower() != title.lower() else named
