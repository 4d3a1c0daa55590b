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
    """Resumption filings of the organisations in the caller's scope, latest submitted first; the responsible
    person's phone masked. `to_review=true` keeps those waiting for the caller's own review (the commander: all
    waiting)."""
    return selectors.filing_list(actor=request.user, **filters.dict())


@router.post("/resumption/filings", response={201: FilingDetailOut, **ERRORS})
def filing_submit(request: ApiRequest, payload: FilingIn) -> Any:
    """File an organisation's resumption with its prevention plan; it waits for the competent department's review,
    whose officers are told. Only the admins of the organisation or of its parent, for an enterprise, building
    project, shop or market (403 otherwise). 409 `filing_exists` when it has filed already (amend that filing
    instead); 422 for a planned date before today."""
    data = payload.dict()
    organisation = organisation_access(actor=request.user, pk=data.pop("organisation_id"))
    filing = services.filing_submit(actor=request.user, organisation=organisation, data=data)
    return 201, selectors.filing_access(actor=request.user, pk=filing.pk)


@router.get("/resumption/filings/{pk}", response={200: FilingDetailOut, **ERRORS})
def filing_read(request: ApiRequest, pk: int = PK) -> Any:
    """One filing of an organisation in the caller's scope, with its history. The responsible person's phone is in
    full for its applicants, its reviewers and the commander, masked for others."""
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
    """Approve a filing waiting for review, or return it with a comment (required). Approved, the organisation
    counts as resumed from its planned date, or from the day of approval when that is later. Returning an
    approved filing withdraws the approval (a comment saying why is required). The commander and the officers of
    the departments that review the organisation's kind and sector (403 otherwise, and to an applicant); 409
    `filing_not_submitted` when it is not waiting for review (approving it again included)."""
    filing = selectors.filing_access(actor=request.user, pk=pk)
    services.filing_decide(
        actor=request.user, filing=filing, approve=payload.decision == "approve", comment=payload.comment
    )
    return selectors.filing_access(actor=request.user, pk=pk)


@router.get("/resumption/rates", response={200: RatesOut, **ERRORS})
def resumption_rates(request: ApiRequest, filters: Query[RatesFilters]) -> Any:
    """Resumption rate (resumed ÷ registered) and staff return rate (on duty ÷ total staff) on `day` (default
    today), overall and by kind, sector and community, over the active enterprises, building projects, shops and
    markets in the caller's scope. Staff on duty is the larger of the gates' count and the daily report's, capped
    at the registered staff."""
    return selectors.resumption_rates(
        actor=request.user, day=filters.day, kind=filters.kind.value if filters.kind else ""
    )
