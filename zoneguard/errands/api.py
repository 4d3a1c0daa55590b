from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import InvalidInput
from zoneguard.isolation.selectors import case_access
from zoneguard.volunteers.selectors import community_volunteers

from . import selectors, services
from .schemas import ErrandAssignIn, ErrandCancelIn, ErrandFilters, ErrandIn, ErrandOut

router = Router(tags=["errands"])

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/errands", response={200: list[ErrandOut], **ERRORS})
@paginate(Paging)
def errand_list(request: ApiRequest, filters: Query[ErrandFilters]) -> Any:
    """Errands for residents in home isolation: a worker's community, the whole zone for the
    commander's officers; a volunteer sees those offered to them (open, in their community) and
    their own, and an address only once the errand is theirs. Pending ones first, oldest on top."""
    return selectors.errand_list(actor=request.user, **filters.dict(exclude_none=True))


@router.post("/errands", response={201: ErrandOut, **ERRORS})
def errand_request(request: ApiRequest, payload: ErrandIn) -> Any:
    """A worker asks for an errand for a resident in isolation; the community's volunteers are
    offered it. A retry with the same `client_id` answers the same errand."""
    case = case_access(actor=request.user, pk=payload.case_id)
    errand = services.errand_request(
        actor=request.user,
        case=case,
        lines=[line.dict() for line in payload.lines],
        note=payload.note,
        client_id=payload.client_id,
    )
    return 201, selectors.errand_access(actor=request.user, pk=errand.pk)


@router.get("/errands/{pk}", response={200: ErrandOut, **ERRORS})
def errand_read(request: ApiRequest, pk: int = PK) -> Any:
    """One errand the caller sees (as in `GET /errands`; 404 otherwise); the resident's name masked, the address
    empty for a volunteer until the errand is theirs."""
    return selectors.errand_access(actor=request.user, pk=pk)


@router.post("/errands/{pk}/accept", response={200: ErrandOut, **ERRORS})
def errand_accept(request: ApiRequest, pk: int = PK) -> Any:
    """A volunteer takes an open errand of their community; 409 when another was first."""
    services.errand_accept(actor=request.user, errand=selectors.errand_access(actor=request.user, pk=pk))
    return selectors.errand_access(actor=request.user, pk=pk)


@router.post("/errands/{pk}/assign", response={200: ErrandOut, **ERRORS})
def errand_assign(request: ApiRequest, payload: ErrandAssignIn, pk: int = PK) -> Any:
    """The worker gives the errand to an approved volunteer of the community."""
    errand = selectors.errand_access(actor=request.user, pk=pk)
    volunteer = community_volunteers(community_id=errand.community_id).filter(pk=payload.volunteer_id).first()
    if volunteer is None:
        raise InvalidInput.for_field("volunteer_id", _("Choose an approved volunteer of the community."))
    services.errand_assign(actor=request.user, errand=errand, volunteer=volunteer)
    return selectors.errand_access(actor=request.user, pk=pk)


@router.post("/errands/{pk}/deliver", response={200: ErrandOut, **ERRORS})
def errand_deliver(
    request: ApiRequest,
    amount: Form[Decimal],
    receipt: File[UploadedFile],
    pk: int = PK,
) -> Any:
    """Multipart: `amount` spent (yuan, to the cent) and `receipt`, a JPEG or PNG photo. 409 before
    the errand was accepted."""
    errand = selectors.errand_access(actor=request.user, pk=pk)
    services.errand_deliver(actor=request.user, errand=errand, amount=amount, receipt=receipt)
    return selectors.errand_access(actor=request.user, pk=pk)


@router.post("/errands/{pk}/confirm", response={200: ErrandOut, **ERRORS})
def errand_confirm(request: ApiRequest, pk: int = PK) -> Any:
    """The worker confirms, for the resident, that it arrived."""
    services.errand_confirm(actor=request.user, errand=selectors.errand_access(actor=request.user, pk=pk))
    return selectors.errand_access(actor=request.user, pk=pk)


@router.post("/errands/{pk}/settle", response={200: ErrandOut, **ERRORS})
def errand_settle(request: ApiRequest, pk: int = PK) -> Any:
    """The resident paid the amount back (recorded by the volunteer or the worker)."""
    services.errand_settle(actor=request.user, errand=selectors.errand_access(actor=request.user, pk=pk))
    return selectors.errand_access(actor=request.user, pk=pk)


@router.post("/errands/{pk}/cancel", response={200: ErrandOut, **ERRORS})
def errand_cancel(request: ApiRequest, payload: ErrandCancelIn, pk: int = PK) -> Any:
    """Cancel an errand before it is delivered, with an optional reason; a volunteer who had accepted it is told.
    The community's workers, the commander and the epidemic-control officers; 404 for others. 409 `out_of_order`
    unless it is open or accepted."""
    errand = selectors.errand_access(actor=request.user, pk=pk)
    services.errand_cancel(actor=request.user, errand=errand, reason=payload.reason)
    return selectors.errand_access(actor=request.user, pk=pk)
