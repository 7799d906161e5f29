"""Provider tools: network participation on a date, and contract terms with cited passages."""

import logging
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from retrieval import DocType, Filters, Hit, RetrievalError
from tools.catalogue import tool
from tools.context import ToolContext
from tools.enums import NetworkStatus, PaymentModel
from tools.errors import ContractNotFound, PlanNotFound, ProviderNotFound, ServiceUnavailable
from tools.ids import Npi, PlanId
from tools.plandata import PlanReads
from tools.plandata.records import PlanRow, ProviderRow
from tools.roles import ToolName

log = logging.getLogger(__name__)


class NetworkStatusInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    npi: Npi = Field(description="The provider's 10-digit NPI")
    plan_id: PlanId = Field(description="Plan id, e.g. PLN-MA-01, PLN-MCD-01, PLN-COM-01")
    on_date: date | None = Field(None, description="Date to check (YYYY-MM-DD); today if omitted")


class NetworkStatusResult(BaseModel):
    npi: str
    provider_name: str
    specialty: str
    plan_id: str
    plan_name: str
    on_date: date
    status: NetworkStatus
    basis: str = Field(
        description="Why: the participation span found, or that none covers the date"
    )
    span_start: date | None = None
    span_end: date | None = None
    contract_ids: list[str] = Field(
        default_factory=list, description="Contracts with this plan in force on the date"
    )


def _provider_and_plan(reads: PlanReads, npi: str, plan_id: str) -> tuple[ProviderRow, PlanRow]:
    provider = reads.provider(npi)
    if provider is None:
        raise ProviderNotFound(npi)
    plan = reads.plan(plan_id)
    if plan is None:
        raise PlanNotFound(plan_id)
    return provider, plan


@tool(
    ToolName.check_network_status,
    NetworkStatusInput,
    NetworkStatusResult,
    discloses=False,
    agent=True,
)
def check_network_status(ctx: ToolContext, req: NetworkStatusInput) -> NetworkStatusResult:
    """Check whether a provider (by NPI) is in network for a plan on a date, with the
    participation span that says so and the contracts in force. A provider with no
    participation record for the date is out of network."""
    on = req.on_date or ctx.today()
    with ctx.plandata.reading() as reads:
        provider, plan = _provider_and_plan(reads, req.npi, req.plan_id)
        span = reads.network_span(req.npi, req.plan_id, on)
        contracts = reads.contracts(req.npi, req.plan_id, on)
    if span is None:
        status, basis = NetworkStatus.out_of_network, f"no participation record covers {on}"
    else:
        status = span.status
        until = span.end_date.isoformat() if span.end_date else "open-ended"
        basis = f"participation span {span.start_date} to {until}: {span.status.value}"
    return NetworkStatusResult(
        npi=provider.npi,
        provider_name=provider.name,
        specialty=provider.specialty,
        plan_id=plan.plan_id,
        plan_name=plan.name,
        on_date=on,
        status=status,
        basis=basis,
        span_start=span.start_date if span else None,
        span_end=span.end_date if span else None,
        contract_ids=[c.contract_id for c in contracts],
    )


class ContractTermsInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    npi: Npi = Field(description="The provider's 10-digit NPI")
    plan_id: PlanId = Field(description="Plan id, e.g. PLN-MA-01")
    topic: str | None = Field(
        None,
        min_length=2,
        max_length=300,
        description="What you want to know, e.g. 'admission notification' or 'stop-loss'; "
        "selects the contract passages returned",
    )
    on_date: date | None = Field(
        None, description="Date the contract must be in force; today if omitted"
    )
    k: int = Field(4, ge=1, le=10, description="How many contract passages to return")


class ContractTerms(BaseModel):
    contract_id: str
    doc_id: str = Field(description="The corpus document holding the contract's text")
    payment_model: PaymentModel
    effective_date: date
    end_date: date | None
    timely_filing_days: int
    admission_notification_business_days: int | None
    prior_auth_required: bool
    delegated_um: bool
    terms: dict[str, Any]


class ContractTermsResult(BaseModel):
    npi: str
    provider_name: str
    plan_id: str
    plan_name: str
    on_date: date
    contracts: list[ContractTerms]
    passages: list[Hit] = Field(description="Cited passages from the contract documents")
    warnings: list[str] = Field(default_factory=list)


DEFAULT_TOPIC = "payment terms rates prior authorization notification timely filing"


@tool(
    ToolName.get_contract_terms,
    ContractTermsInput,
    ContractTermsResult,
    discloses=False,
    agent=True,
)
def get_contract_terms(ctx: ToolContext, req: ContractTermsInput) -> ContractTermsResult:
    """Get the terms of a provider's contract with a plan in force on a date: payment model,
    key terms (rates, timely filing, admission notification, prior authorization, delegation)
    and the cited passages of the contract document that bear on your topic."""
    on = req.on_date or ctx.today()
    with ctx.plandata.reading() as reads:
        provider, plan = _provider_and_plan(reads, req.npi, req.plan_id)
        contracts = reads.contracts(req.npi, req.plan_id, on)
    if not contracts:
        raise ContractNotFound(
            f"no contract between NPI {req.npi} and plan {req.plan_id} is in force on {on}"
        )
    terms = [
        ContractTerms(
            contract_id=c.contract_id,
            doc_id=c.doc_id,
            payment_model=c.payment_model,
            effective_date=c.effective_date,
            end_date=c.end_date,
            timely_filing_days=c.timely_filing_days,
            admission_notification_business_days=c.admission_notification_business_days,
            prior_auth_required=c.prior_auth_required,
            delegated_um=c.delegated_um,
            terms=dict(c.terms),
        )
        for c in contracts
    ]
    passages: list[Hit] = []
    warnings: list[str] = []
    if ctx.searcher is None:
        warnings.append("the document index is not available: no contract passages")
    else:
        doc_ids = tuple(dict.fromkeys(c.doc_id for c in contracts))
        filters = Filters(doc_types=(DocType.contract,), doc_ids=doc_ids, as_of=on)
        try:
            hits = ctx.searcher.search(req.topic or DEFAULT_TOPIC, k=req.k, filters=filters)
        except RetrievalError as exc:
            raise ServiceUnavailable(f"contract passages could not be searched: {exc}") from exc
        passages = hits
        if not passages:
            warnings.append(
                f"no indexed passage of {', '.join(doc_ids)} is in force on {on}; check that the "
                "contract documents are ingested"
            )
    log.info(
        "get_contract_terms %s/%s: %d contract(s), %d passage(s)",
        req.npi,
        req.plan_id,
        len(terms),
        len(passages),
    )
    return ContractTermsResult(
        npi=provider.npi,
        provider_name=provider.name,
        plan_id=plan.plan_id,
        plan_name=plan.name,
        on_date=on,
        contracts=terms,
        passages=passages,
        warnings=warnings,
    )
