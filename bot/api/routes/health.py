"""Liveness and readiness probes (no token: load balancers call them)."""

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from bot.api.schemas import Health, Readiness
from bot.api.services import Services, services

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is up")
def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Index, model, database and rate-limit store are ready",
    responses={503: {"model": Readiness}},
)
def readyz(svc: Services = Depends(services)) -> JSONResponse:
    checks = dict(svc.runtime.ready())
    checks["rate_limit_store"] = svc.limiter.healthy()
    ready = all(checks.values())
    # Counted, not checked: Slack being unreachable must not take the API out of service.
    failures = {name: count() for name, count in svc.failures.items()}
    body = Readiness(ready=ready, checks=checks, failures=failures)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)
