"""The tools the agent may call, and how their results read in a reply.

Tool functions live in tools/; this module only names them for the engines and phrases their
typed results as short sentences (ids, dates and codes; minimum necessary).
"""

import re
from datetime import datetime
from typing import Any

from retrieval import Hit
from tools.cases import CaseList, CaseRecord, get_case, list_cases
from tools.criteria import find_criteria
from tools.deadlines import DeadlineResult, compute_decision_deadline
from tools.draft_kinds import draft_case_note, draft_denial_letter
from tools.drafts import DraftOut
from tools.members import MemberRecord, find_members, lookup_member
from tools.providers import check_network_status, get_contract_terms

__all__ = [
    "check_network_status",
    "compute_decision_deadline",
    "draft_case_note",
    "draft_denial_letter",
    "find_criteria",
    "find_members",
    "get_case",
    "get_contract_terms",
    "list_cases",
    "lookup_member",
]


REASON_RE = re.compile(r"(?:[:;\u2014-]|\bbecause\b|\breason\b:?)\s*(.+)$", re.I | re.S)
# The offline engine never invents a denial reason: without one the letter keeps this
# placeholder, the completeness check reports it, and signing stays refused until a clinician
# writes the specific reason.
REASON_PLACEHOLDER = "[specific reason to be written by the reviewing clinician]"


def stated_reason(text: str, case_id: str) -> str:
    """The reason or notes a user typed after the case id (\"... C2000001: no PT documented\")."""
    tail = text.split(case_id, 1)[1] if case_id in text else ""
    m = REASON_RE.search(tail)
    return m.group(1).strip() if m and len(m.group(1).split()) >= 3 else ""


def create_draft(turn: Any, kind: str, case_id: str, criteria: list[Hit]) -> DraftOut:
    """Draft through the typed draft tools; the draft is stored with status `draft`."""
    said = stated_reason(turn.request.text, case_id)
    if kind == "case_note":
        args: dict[str, Any] = {
            "case_id": case_id,
            "reviewer_notes": said,
            "criteria": [
                {"citation": h.citation, "title": h.title, "text": h.text} for h in criteria
            ],
        }
        return turn.runner.call("draft_case_note", draft_case_note, args)
    args = {
        "case_id": case_id,
        "reason": said or REASON_PLACEHOLDER,
        "criteria_citations": [h.citation for h in criteria],
    }
    return turn.runner.call("draft_denial_letter", draft_denial_letter, args)


def describe_draft(d: DraftOut) -> str:
    kind = d.kind.value.replace("_", " ")
    lob = d.line_of_business.value.replace("_", " ")
    text = (
        f"Draft {d.draft_id} ({kind}, {lob}, version {d.version}) is stored for {d.case_id} with "
        f"status {d.status.value}: it requires clinician review and signature; nothing was sent."
    )
    report = d.completeness
    if report.complete:
        text += f" Completeness check: all {len(report.present)} required elements are present."
    else:
        missing = "; ".join(m.description for m in report.missing[:6])
        text += (
            f" Completeness check: missing {len(report.missing)}: {missing}. "
            "It cannot be signed until these are fixed."
        )
    return text


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z") if value else "not set"


def describe_member(m: MemberRecord) -> str:
    parts = [f"Member {m.member_id}"]
    if m.first_name or m.last_name:
        parts[0] += f" ({' '.join(x for x in (m.first_name, m.last_name) if x)})"
    if m.plan_name or m.plan_id:
        lob = f", {m.line_of_business.value.replace('_', ' ')}" if m.line_of_business else ""
        parts.append(f"plan {m.plan_name or m.plan_id}{lob}")
    if m.eligible is not None:
        state = "eligible" if m.eligible else "not eligible"
        parts.append(f"{state} on {m.as_of.isoformat()}")
    if m.pcp_name or m.pcp_npi:
        parts.append(f"PCP {m.pcp_name or ''} (NPI {m.pcp_npi})".replace("PCP  ", "PCP "))
    if m.open_cases is not None:
        ids = ", ".join(c.case_id for c in m.open_cases) or "none"
        parts.append(f"open cases: {ids}")
    text = "; ".join(parts) + "."
    if m.withheld_fields:
        text += f" Withheld for your role: {', '.join(sorted(m.withheld_fields))}."
    return text


def describe_case(c: CaseRecord) -> str:
    parts = [f"Case {c.case_id}"]
    if c.status:
        parts.append(f"status {c.status.value}")
    if c.line_of_business:
        parts.append(c.line_of_business.value.replace("_", " "))
    if c.request_type and c.urgency:
        parts.append(f"{c.urgency.value} {c.request_type.value.replace('_', '-')} request")
    if c.service_codes:
        parts.append(f"codes {', '.join(c.service_codes)}")
    if c.received_at:
        parts.append(f"received {_when(c.received_at)}")
    if c.due_at:
        parts.append(f"due {_when(c.due_at)}" + (" (OVERDUE)" if c.overdue else ""))
    if c.assigned_reviewer:
        parts.append(f"assigned to {c.assigned_reviewer}")
    return "; ".join(parts) + "."


def describe_case_list(listing: CaseList) -> str:
    cases = listing.cases
    if not cases:
        return "No cases match."
    lines = [
        f"{c.case_id} {c.status.value if c.status else ''} due {_when(c.due_at)}"
        + (" OVERDUE" if c.overdue else "")
        for c in cases[:15]
    ]
    more = f" (and {len(cases) - 15} more)" if len(cases) > 15 else ""
    return f"{len(cases)} case(s){more}: " + "; ".join(lines) + "."


def describe_evidence(c: CaseRecord) -> str:
    if c.clinical_notes:
        return f"Clinical information on file for {c.case_id}: {c.clinical_notes}"
    if "clinical_notes" in c.withheld_fields:
        return "The case's clinical notes are not available to your role."
    return f"No clinical notes are on file for {c.case_id}: that documentation is missing."


def deadline_args_from_case(c: CaseRecord, now: datetime) -> dict[str, Any]:
    return {
        "line_of_business": c.line_of_business.value if c.line_of_business else None,
        "request_type": c.request_type.value if c.request_type else None,
        "urgency": c.urgency.value if c.urgency else None,
        "received_at": c.received_at.isoformat() if c.received_at else None,
        "extension_taken": bool(c.extension_taken),
        "now": now.isoformat(),
    }


def describe_deadline(r: DeadlineResult, case_ids: tuple[str, ...]) -> str:
    who = f"{case_ids[0]} " if case_ids else "A request "
    lob = r.line_of_business.value.replace("_", " ")
    kind = f"{r.urgency.value} {r.request_type.value.replace('_', '-')}"
    text = (
        f"{who}({lob}, {kind}, received {_when(r.received_at)}) is due by {_when(r.due_at)}: "
        f"{r.time_remaining_text}. Rule: {r.rule.text} ({r.rule.citation})."
    )
    if r.extension_allowed and not r.extension_taken:
        text += f" An extension of up to {r.extension_days} days is allowed where the rule permits."
    if r.rule.verification_note:
        text += f" Note: {r.rule.verification_note}"
    return text
