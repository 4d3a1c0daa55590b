from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.registry.selectors import organisation_access

from . import selectors, services
from .schemas import (
    DecisionIn,
    FilingDetailOut,
    FilingFilters,
    FilingIn,
    FilingOut,
    FilingPatch,
    RatesFilters,
    RatesOut,
)

router = Router(tags=["resumption"])

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/resumption/filings", response={200: list[FilingOut], **ERRORS})
@paginate(Paging)
def filing_list(request: ApiRequest, filters: Query[FilingFilters]) -> Any:
    return selectors.filing_list(actor=request.user, **filters.dict())


@router.post("/resumption/filings", response={201: FilingDetailOut, **ERRORS})
def filing_submit(request: ApiRequest, payload: FilingIn) -> Any:
    data = payload.dict()
    organisation = organisation_access(actor=request.user, pk=data.pop("organisation_id"))
    filing = services.filing_submit(actor=request.user, organisation=organisation, data=data)
    return 201, selectors.filing_access(actor=request.user, pk=filing.pk)


@router.get("/resumption/filings/{pk}", response={200: FilingDetailOut, **ERRORS})
def filing_read(request: ApiRequest, pk: int = PK) -> Any:
    return selectors.filing_access(actor=request.user, pk=pk)


@router.patch("/resumption/filings/{pk}", response={200: FilingDetailOut, **ERRORS})
def filing_amend(request: ApiRequest, payload: FilingPatch, pk: int = PK) -> Any:
    """Amend a filing waiting for review or returned for changes: it goes back to review."""
    filing = selectors.filing_access(actor=request.user, pk=pk)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.filing_amend(actor=request.user, filing=filing, data=data)
    return selectors.filing_access(actor=request.user, pk=pk)


@router.post("/resumption/filings/{pk}/decision", response={200: FilingDetailOut, **ERRORS})
def filing_decide(request: ApiRequest, payload: DecisionIn, pk: int = PK) -> Any:
    filing = selectors.filing_access(actor=request.user, pk=pk)
    services.filing_decide(
        actor=request.user, filing=filing, approve=payload.decision == "approve", comment=payload.comment
    )
    return selectors.filing_access(actor=request.user, pk=pk)


@router.get("/resumption/rates", response={200: RatesOut, **ERRORS})
def resumption_rates(request: ApiRequest, filters: Query[RatesFilters]) -> Any:
    return selectors.resumption_rates(
        actor=request.user, day=filters.day, kind=filters.kind.value if filters.kind else ""
    )
