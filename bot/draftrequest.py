"""What a chat or Slack request to draft a denial letter says, and the letter tool's arguments.

"draft a denial letter for C2000033: 6 weeks of conservative therapy not documented; reviewer
dr.casey; information needed: PT notes, home exercise log" gives the reason, the reviewing
clinician and the information that could change the decision, so a letter drafted in a
conversation can be complete (and signed) without leaving it.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from retrieval import Hit
from tools.letters import criterion_name, supporting_sections

PART_SPLIT_RE = re.compile(r"\s*(?:;|\n)\s*")
LEAD_RE = re.compile(r"^\s*(?:[:\u2014-]|\bbecause\b|\breason\b\s*:?)\s*", re.I)
REVIEWER_RE = re.compile(
    r"^(?:the\s+)?(?:reviewer|reviewed by|reviewing clinician)\s*(?:is|:|=)?\s*"
    r"([a-z][\w.-]{1,39})$",
    re.I,
)
INFO_RE = re.compile(
    r"^(?:information needed|info needed|missing information|needed information"
    r"|information that could change (?:this|the) decision)\s*(?::|=|is|are)?\s*(.+)$",
    re.I,
)
# Placeholder kept until a clinician writes the reason: the checker reports it, signing waits.
REASON_PLACEHOLDER = "[specific reason to be written by the reviewing clinician]"


@dataclass
class LetterRequest:
    reason: str = ""
    reviewer_user_id: str | None = None
    information_needed: list[str] = field(default_factory=list)


def parse_letter_request(text: str, case_id: str) -> LetterRequest:
    """The reason, reviewer and information needed typed after the case id."""
    tail = text.split(case_id, 1)[1] if case_id in text else ""
    out = LetterRequest()
    reason: list[str] = []
    for part in PART_SPLIT_RE.split(LEAD_RE.sub("", tail, count=1)):
        part = part.strip(" .")
        if not part:
            continue
        if m := REVIEWER_RE.match(part):
            out.reviewer_user_id = m.group(1).lower().rstrip(".")
        elif m := INFO_RE.match(part):
            out.information_needed += [i.strip(" .") for i in m.group(1).split(",") if i.strip()]
        else:
            reason.append(part)
    said = "; ".join(reason)
    out.reason = said if len(said.split()) >= 3 else ""
    return out


@dataclass
class LetterPlan:
    args: dict[str, Any]
    criteria: list[Hit]
    note: str


def heading_of(hit: Hit) -> str:
    return hit.heading_path[-1] if hit.heading_path else ""


def plan_letter(text: str, case_id: str, hits: list[Hit]) -> LetterPlan:
    """The draft_denial_letter arguments: the criteria cited are those whose text supports the
    stated reason, named by code and title; the note says when none does."""
    asked = parse_letter_request(text, case_id)
    note = ""
    if not asked.reason:
        chosen: list[Hit] = []
        note = "No reason was given, so no criteria are cited: write the specific reason first."
    else:
        picked = supporting_sections(asked.reason, [f"{heading_of(h)}\n{h.text}" for h in hits])
        chosen = [hits[i] for i in picked]
        if not chosen:
            note = (
                "None of the criteria sections found supports the stated reason: name the "
                "criterion relied on before the letter is signed."
            )
    args: dict[str, Any] = {
        "case_id": case_id,
        "reason": asked.reason or REASON_PLACEHOLDER,
        "criteria_citations": [criterion_name(h.citation, h.title, heading_of(h)) for h in chosen],
        "information_needed": asked.information_needed,
    }
    if asked.reviewer_user_id:
        args["reviewer_user_id"] = asked.reviewer_user_id
    return LetterPlan(args, chosen, note)
