"""find_criteria: which medical-policy sections apply to a service or code, with citations."""

import logging
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from retrieval import DocType, Filters, Hit, LineOfBusiness, RetrievalError, codes_in
from tools.catalogue import tool
from tools.context import ToolContext
from tools.enums import PlanLine
from tools.errors import InvalidInput, ServiceUnavailable
from tools.roles import ToolName

log = logging.getLogger(__name__)

CANDIDATES = 12
CRITERIA_HEADING_RE = re.compile(r"criteria|medically necessary|indications|coverage", re.I)
CODES_HEADING_RE = re.compile(r"\bcodes?\b", re.I)


class FindCriteriaInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_or_code: str = Field(
        min_length=2,
        max_length=300,
        description="A CPT/HCPCS or ICD-10 code (e.g. 72148, E0601, G47.33) or the service in "
        "words (e.g. 'lumbar fusion')",
    )
    line_of_business: PlanLine | None = Field(
        None,
        description="medicare_advantage, medicaid or commercial: the member's line of business; "
        "omit to search policies of every line of business",
    )
    as_of: date | None = Field(
        None,
        description="Date the policy must be in force (e.g. the date of service); today if omitted",
    )
    k: int = Field(5, ge=1, le=15, description="How many policy sections to return")

    @field_validator("service_or_code")
    @classmethod
    def _words(cls, value: str) -> str:
        text = " ".join(value.split())
        if not re.search(r"\w", text):
            raise InvalidInput("service_or_code needs a code or some words to search for")
        return text


class PolicyRef(BaseModel):
    doc_id: str
    title: str
    version: str
    effective_date: str | None


class CriteriaSection(Hit):
    """A retrieved passage as search returned it (every field kept, so the engines and the
    citation get the same passage), with what the section holds."""

    kind: str = Field(description="criteria, codes or other: what the section holds")


class CriteriaResult(BaseModel):
    query: str
    line_of_business: LineOfBusiness | None
    as_of: date
    codes: list[str] = Field(description="Codes recognised in the query")
    policies: list[PolicyRef] = Field(description="Medical policies that apply, best first")
    sections: list[CriteriaSection]
    note: str | None = None


def mentions(text: str, code: str) -> bool:
    return re.search(rf"(?<![0-9A-Za-z.]){re.escape(code)}(?![0-9A-Za-z])", text, re.I) is not None


def kind_of(hit: Any) -> str:
    headings = " ".join(hit.heading_path)
    if CODES_HEADING_RE.search(headings):
        return "codes"
    if CRITERIA_HEADING_RE.search(headings):
        return "criteria"
    return "other"


@tool(ToolName.find_criteria, FindCriteriaInput, CriteriaResult, discloses=False, agent=True)
def find_criteria(ctx: ToolContext, req: FindCriteriaInput) -> CriteriaResult:
    """Find the medical policy sections whose criteria apply to a service or code for a line of
    business on a date, each with a citation to check (e.g. 'MP-202 §2.1'). With a code, only
    policies that list that code are returned. States criteria; never decides a case."""
    searcher = ctx.require_searcher()
    as_of = req.as_of or ctx.today()
    base = Filters(lob=req.line_of_business, doc_types=(DocType.criteria,), as_of=as_of)
    codes = codes_in(req.service_or_code)
    try:
        first = searcher.search(req.service_or_code, k=CANDIDATES, filters=base)
        if codes:
            # A policy applies to a code only if it lists it; similar-sounding policies that
            # do not would be wrong answers, not near misses.
            doc_ids = _ranked_docs(h for h in first if any(mentions(h.text, c) for c in codes))
        else:
            doc_ids = _ranked_docs(first)[:2]
        if not doc_ids:
            return _empty(req, as_of, codes)
        focused = searcher.search(
            f"{req.service_or_code} coverage criteria medically necessary",
            k=CANDIDATES,
            filters=Filters(
                lob=base.lob, doc_types=base.doc_types, as_of=as_of, doc_ids=tuple(doc_ids)
            ),
        )
    except RetrievalError as exc:
        raise ServiceUnavailable(f"medical policies could not be searched: {exc}") from exc
    hits = {h.chunk_id: h for h in [*focused, *first] if h.doc_id in doc_ids}
    order = {"criteria": 0, "other": 1, "codes": 2}
    ranked = sorted(
        hits.values(), key=lambda h: (doc_ids.index(h.doc_id), order[kind_of(h)], -h.score)
    )
    sections = [CriteriaSection(**dict(h), kind=kind_of(h)) for h in ranked[: req.k]]
    policies: dict[str, PolicyRef] = {}
    for h in ranked:
        policies.setdefault(
            h.doc_id,
            PolicyRef(
                doc_id=h.doc_id, title=h.title, version=h.version, effective_date=h.effective_date
            ),
        )
    log.info(
        "find_criteria: %d code(s), %d policy(ies), %d section(s)",
        len(codes),
        len(policies),
        len(sections),
    )
    return CriteriaResult(
        query=req.service_or_code,
        line_of_business=req.line_of_business,
        as_of=as_of,
        codes=codes,
        policies=[policies[d] for d in doc_ids if d in policies],
        sections=sections,
    )


def _ranked_docs(hits: Any) -> list[str]:
    return list(dict.fromkeys(h.doc_id for h in hits))


def _empty(req: FindCriteriaInput, as_of: date, codes: list[str]) -> CriteriaResult:
    what = f"code {', '.join(codes)}" if codes else f"'{req.service_or_code}'"
    return CriteriaResult(
        query=req.service_or_code,
        line_of_business=req.line_of_business,
        as_of=as_of,
        codes=codes,
        policies=[],
        sections=[],
        note=f"no indexed {req.line_of_business.value + ' ' if req.line_of_business else ''}"
        f"medical policy in force on {as_of} "
        f"covers {what}; the indexed documents do not say",
    )
