"""Applications to defer taxes, their decisions and the summary of what was granted."""

from typing import Any

from ninja import File, Path, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging

from .. import selectors, services
from ..schemas.common import AttachmentOut
from ..schemas.deferrals import (
    DeferralDecisionIn,
    DeferralFilters,
    DeferralIn,
    DeferralOut,
    SummaryFilters,
    SummaryOut,
)

router = Router()

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/tax/deferrals", response={200: list[DeferralOut], **ERRORS})
@paginate(Paging)
def deferral_list(request: ApiRequest, filters: Query[DeferralFilters]) -> Any:
    """An enterprise sees its own applications; tax officers see all."""
    data = filters.dict()
    return selectors.deferral_list(
        actor=request.user, status=data["status"] or "", organisation_id=data["organisation_id"]
    )


@router.post("/tax/deferrals", response={201: DeferralOut, **ERRORS})
def deferral_apply(request: ApiRequest, payload: DeferralIn) -> Any:
    """Apply to defer taxes for 1 to 3 months; amounts are strings with at most two decimals.
    Invalid input answers 422 and writes nothing."""
    organisation = selectors.taxpayer_access(actor=request.user, pk=payload.organisation_id)
    deferral = services.deferral_apply(
        actor=request.user,
        organisation=organisation,
        months=payload.months,
        reason=payload.reason,
        items=[(item.tax_type, item.amount) for item in payload.items],
        period=payload.period,
        due_on=payload.due_on,
    )
    return 201, selectors.deferral_access(actor=request.user, pk=deferral.pk)


@router.get("/tax/deferrals/summary", response={200: SummaryOut, **ERRORS})
def deferral_summary(request: ApiRequest, filters: Query[SummaryFilters]) -> Any:
    """Approved deferrals decided from `from` to `to` (inclusive, either may be left out): the
    number of enterprises and the exact totals, overall and by tax type."""
    return selectors.deferral_summary(actor=request.user, date_from=filters.date_from, date_to=filters.date_to)


@router.get("/tax/deferrals/{pk}", response={200: DeferralOut, **ERRORS})
def deferral_read(request: ApiRequest, pk: int = PK) -> Any:
    """One deferral application with its taxes, the decision and the evidence: an enterprise's own (and those of the
    organisations it is parent of), the commander any, tax officers those their department serves; 404 otherwise."""
    return selectors.deferral_access(actor=request.user, pk=pk)


@router.post("/tax/deferrals/{pk}/decision", response={200: DeferralOut, **ERRORS})
def deferral_decide(request: ApiRequest, payload: DeferralDecisionIn, pk: int = PK) -> Any:
    """Approve (possibly fewer months, smaller amounts per tax type) or refuse with a note (tax officers)."""
    deferral = selectors.deferral_access(actor=request.user, pk=pk)
    services.deferral_decide(
        actor=request.user,
        deferral=deferral,
        approve=payload.decision == "approve",
        months=payload.months,
        amounts=payload.amounts,
        note=payload.note,
    )
    return selectors.deferral_access(actor=request.user, pk=pk)


@router.post("/tax/deferrals/{pk}/evidence", response={201: AttachmentOut, **ERRORS})
def deferral_evidence_add(request: ApiRequest, pk: int = PK, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    """Upload a hardship evidence file (PDF, Word, Excel, OFD, text or image)."""
    deferral = selectors.deferral_access(actor=request.user, pk=pk)
    return 201, services.deferral_evidence_add(actor=request.user, deferral=deferral, file=file)
