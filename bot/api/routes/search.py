"""Hybrid search over the indexed documents (no member data, so every role may search)."""

from fastapi import APIRouter, Depends

from bot.api.auth import authenticated
from bot.api.schemas import SearchBody, SearchResult
from bot.api.services import Services, services
from bot.faces.tokens import Caller
from retrieval.filters import Filters

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search", response_model=SearchResult, summary="Search policies, contracts, rules")
def search(
    body: SearchBody, _: Caller = Depends(authenticated), svc: Services = Depends(services)
) -> SearchResult:
    filters = Filters(
        lob=body.lob,
        doc_types=(body.doc_type,) if body.doc_type else (),
        as_of=body.as_of or svc.runtime.today(),
    )
    hits = svc.runtime.searcher.search(body.query, k=body.k, filters=filters)
    return SearchResult(count=len(hits), hits=hits)
