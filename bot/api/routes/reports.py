"""The reports as JSON: aggregates only, role-checked and audited like any other read."""

from datetime import date

from fastapi import APIRouter, Depends, Query

from bot.api.auth import require_tool
from bot.api.services import Services, services
from bot.faces.tokens import Caller
from tools.report_cms import CmsReport, cms_report
from tools.report_um import UmReport, um_report
from tools.roles import ToolName

router = APIRouter(prefix="/v1/reports", tags=["reports"])
Purpose = Query(None, min_length=1, max_length=200, description="Why you need the report (audited)")


@router.get("/cms-0057-f", response_model=CmsReport, summary="CMS-0057-F prior-auth metrics")
def cms(
    year: int = Query(..., description="Reporting year, 2025 or later", ge=1900, le=2200),
    purpose: str | None = Purpose,
    caller: Caller = Depends(require_tool(ToolName.report_cms_0057_f)),
    svc: Services = Depends(services),
) -> CmsReport:
    ctx = svc.runtime.tool_context(caller.principal, "api", purpose or "CMS-0057-F report via API")
    # The real runtime lists the items from its indexed criteria; a runtime without one falls
    # back to the case service catalogue (the report says which).
    index_dir = getattr(getattr(svc.runtime, "retrieval", None), "index_dir", None)
    return cms_report(ctx, {"year": year}, index_dir=index_dir)


@router.get("/um", response_model=UmReport, summary="UM performance report")
def um(
    start: date = Query(..., alias="from", description="First receipt date (inclusive)"),
    end: date = Query(..., alias="to", description="Last receipt date (inclusive)"),
    purpose: str | None = Purpose,
    caller: Caller = Depends(require_tool(ToolName.report_um)),
    svc: Services = Depends(services),
) -> UmReport:
    ctx = svc.runtime.tool_context(caller.principal, "api", purpose or "UM report via API")
    return um_report(ctx, {"start": start, "end": end})
