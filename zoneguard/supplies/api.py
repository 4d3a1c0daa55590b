from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.accounts.models import User
from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import InvalidInput, NotFound
from zoneguard.registry.models import Sector
from zoneguard.registry.scoping import visible_organisations

from . import selectors, services
from .schemas import (
    AllocateIn,
    DepotIn,
    DepotOut,
    ItemIn,
    ItemOut,
    LedgerFilters,
    LedgerIn,
    LedgerOut,
    PriorityRuleIn,
    PriorityRuleOut,
    RefuseIn,
    RequestFilters,
    RequestIn,
    RequestOut,
    StockFilters,
    StockOut,
    ThresholdIn,
)

router = Router(tags=["supplies"])

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/supplies/items", response={200: list[ItemOut], **ERRORS})
@paginate(Paging)
def item_list(request: ApiRequest) -> Any:
    """The supply items (retired ones included), by category then name: for the commander, the officers of the
    departments that run supplies, organisation admins and depot keepers; an empty list for anyone else."""
    return selectors.item_list(actor=request.user)


@router.post("/supplies/items", response={201: ItemOut, **ERRORS})
def item_create(request: ApiRequest, payload: ItemIn) -> Any:
    """Those who run supplies add an item (masks by grade, alcohol, suits…) with its unit."""
    return 201, services.item_create(actor=request.user, **payload.dict())


@router.get("/supplies/depots", response={200: list[DepotOut], **ERRORS})
@paginate(Paging)
def depot_list(request: ApiRequest) -> Any:
    """The depots the caller runs: all for those who run supplies, a keeper's, an admin's own store."""
    return selectors.depot_list(actor=request.user)


@router.post("/supplies/depots", response={201: DepotOut, **ERRORS})
def depot_create(request: ApiRequest, payload: DepotIn) -> Any:
    """Open a depot: those who run supplies (the commander, the officers of the departments that run supplies) any,
    without `organisation_id` for the zone's own, kept by any active user but a device; an organisation admin only
    the store of an organisation they run, their own or a subsidiary's (404 otherwise), kept by an active account
    of that organisation, its parent or its subsidiaries. 422 when `organisation_id` is not an organisation the
    caller sees, beside `keeper_id` when the keeper is not one the caller may choose, beside `kind` when an admin
    opens anything but an `enterprise` store; nothing is created then."""
    organisation = None
    if payload.organisation_id is not None:
        organisation = visible_organisations(request.user).filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise InvalidInput.for_field("organisation_id", str(NotFound.default_message))
    keeper = None
    if payload.keeper_id is not None:
        keeper = User.objects.filter(pk=payload.keeper_id, is_active=True).first()
        if keeper is None:
            raise services.keeper_refused(request.user)
    depot = services.depot_create(
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        organisation=organisation,
        keeper=keeper,
        address=payload.address,
    )
    return 201, selectors.depot_access(actor=request.user, pk=depot.pk)


@router.get("/supplies/stock", response={200: list[StockOut], **ERRORS})
def stock_list(request: ApiRequest, filters: Query[StockFilters]) -> Any:
    """Stock per depot and item (the sum of the ledger), with the threshold and days of cover."""
    return selectors.stock_rows(actor=request.user, depot_id=filters.depot_id, item_id=filters.item_id)


@router.post("/supplies/stock/threshold", response={200: list[StockOut], **ERRORS})
def threshold_set(request: ApiRequest, payload: ThresholdIn) -> Any:
    """The low-stock threshold of an item in a depot; its keeper is told once when the stock falls below."""
    depot = selectors.depot_access(actor=request.user, pk=payload.depot_id)
    item = selectors.item_access(actor=request.user, pk=payload.item_id)
    services.threshold_set(actor=request.user, depot=depot, item=item, threshold=payload.threshold)
    return selectors.stock_rows(actor=request.user, depot_id=depot.pk, item_id=item.pk)


@router.get("/supplies/ledger", response={200: list[LedgerOut], **ERRORS})
@paginate(Paging)
def ledger_list(request: ApiRequest, filters: Query[LedgerFilters]) -> Any:
    """Ledger entries of the depots the caller runs, either leg of a transfer included, newest first; `depot_id` and
    `item_id` narrow the list. Those who run supplies see every depot, a keeper their depot, an organisation
    admin the stores of their organisation and those it is parent of."""
    return selectors.ledger_list(actor=request.user, depot_id=filters.depot_id, item_id=filters.item_id)


@router.post("/supplies/ledger", response={201: LedgerOut, **ERRORS})
def ledger_post(request: ApiRequest, payload: LedgerIn) -> Any:
    """A receipt (purchase or donation, with the donor), a transfer (two legs that balance), an
    issue (to an organisation or a person) or an adjustment after a count (with a reason). 409
    `insufficient_stock` when a depot would go below zero, with `errors.available`; nothing is
    written then. A retry with the same `client_id` answers the same entry."""
    actor = request.user
    depot = selectors.depot_access(actor=actor, pk=payload.depot_id)
    to_depot = selectors.depot_access(actor=actor, pk=payload.to_depot_id) if payload.to_depot_id else None
    recipient = None
    if payload.recipient_organisation_id is not None:
        recipient = visible_organisations(actor).filter(pk=payload.recipient_organisation_id).first()
        if recipient is None:
            raise InvalidInput.for_field("recipient_organisation_id", str(NotFound.default_message))
    post = services.Post(
        kind=payload.kind,
        item=selectors.item_access(actor=actor, pk=payload.item_id),
        quantity=payload.quantity,
        depot=depot,
        to_depot=to_depot,
        source=payload.source or "",
        donor=payload.donor,
        recipient_organisation=recipient,
        recipient_name=payload.recipient_name,
        reason=payload.reason,
        note=payload.note,
    )
    entry = services.ledger_post(actor=actor, post=post, client_id=payload.client_id)
    return 201, selectors.ledger_entry_access(actor=actor, pk=entry.pk)


@router.get("/supplies/requests", response={200: list[RequestOut], **ERRORS})
@paginate(Paging)
def request_list(request: ApiRequest, filters: Query[RequestFilters]) -> Any:
    """Requests in serving order: the priority table's rank, then the date needed by."""
    return selectors.request_queue(actor=request.user, status=filters.status)


@router.post("/supplies/requests", response={201: RequestOut, **ERRORS})
def request_create(request: ApiRequest, payload: RequestIn) -> Any:
    """An organisation asks for supplies. A retry with the same `client_id` answers the same request."""
    actor = request.user
    organisation = visible_organisations(actor).filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise NotFound()
    lines = [
        {"item": selectors.item_access(actor=actor, pk=line.item_id), "quantity": line.quantity}
        for line in payload.lines
    ]
    supply_request = services.request_create(
        actor=actor,
        organisation=organisation,
        needed_by=payload.needed_by,
        reason=payload.reason,
        lines=lines,
        client_id=payload.client_id,
    )
    return 201, selectors.request_access(actor=actor, pk=supply_request.pk)


@router.get("/supplies/requests/{pk}", response={200: RequestOut, **ERRORS})
def request_read(request: ApiRequest, pk: int = PK) -> Any:
    """One supplies request with its lines and allocations: any for those who run supplies; an organisation admin
    those of their organisation and those it is parent of; a depot keeper those allocated from their depot; 404
    otherwise."""
    return selectors.request_access(actor=request.user, pk=pk)


@router.post("/supplies/requests/{pk}/allocate", response={200: RequestOut, **ERRORS})
def request_allocate(request: ApiRequest, payload: AllocateIn, pk: int = PK) -> Any:
    """Allocate part or all of the request from one or more depots. 409 `insufficient_stock` with
    `errors.available` when a depot holds less (less what is allocated from it already)."""
    actor = request.user
    supply_request = selectors.request_access(actor=actor, pk=pk)
    allocations = [
        {
            "item": selectors.item_access(actor=actor, pk=a.item_id),
            "depot": selectors.depot_access(actor=actor, pk=a.depot_id),
            "quantity": a.quantity,
        }
        for a in payload.allocations
    ]
    services.request_allocate(actor=actor, request=supply_request, allocations=allocations)
    return selectors.request_access(actor=actor, pk=pk)


@router.post("/supplies/requests/{pk}/hand-over", response={200: RequestOut, **ERRORS})
def request_hand_over(request: ApiRequest, pk: int = PK) -> Any:
    """What was allocated leaves the depots as issues to the organisation."""
    services.request_hand_over(actor=request.user, request=selectors.request_access(actor=request.user, pk=pk))
    return selectors.request_access(actor=request.user, pk=pk)


@router.post("/supplies/requests/{pk}/acknowledge", response={200: RequestOut, **ERRORS})
def request_acknowledge(request: ApiRequest, pk: int = PK) -> Any:
    """The organisation's admin confirms receipt."""
    services.request_acknowledge(actor=request.user, request=selectors.request_access(actor=request.user, pk=pk))
    return selectors.request_access(actor=request.user, pk=pk)


@router.post("/supplies/requests/{pk}/refuse", response={200: RequestOut, **ERRORS})
def request_refuse(request: ApiRequest, payload: RefuseIn, pk: int = PK) -> Any:
    """Refuse a pending or allocated request with a `reason` (422 when blank): what was allocated and not handed
    over goes back to the depots, and the organisation's admins are told. Those who run supplies only (404 for
    others); 409 `invalid_transition` in any other state."""
    supply_request = selectors.request_access(actor=request.user, pk=pk)
    services.request_refuse(actor=request.user, request=supply_request, reason=payload.reason)
    return selectors.request_access(actor=request.user, pk=pk)


@router.post("/supplies/requests/{pk}/withdraw", response={200: RequestOut, **ERRORS})
def request_withdraw(request: ApiRequest, pk: int = PK) -> Any:
    """The organisation's admin takes back a request still pending or allocated."""
    services.request_withdraw(actor=request.user, request=selectors.request_access(actor=request.user, pk=pk))
    return selectors.request_access(actor=request.user, pk=pk)


@router.get("/supplies/priorities", response={200: list[PriorityRuleOut], **ERRORS})
def priority_list(request: ApiRequest) -> Any:
    """The priority table: requests are served by the rank of the first rule their organisation
    matches (kind, sector, workers on site), then by the date needed by."""
    return selectors.priority_rule_list(actor=request.user)


@router.post("/supplies/priorities", response={201: PriorityRuleOut, **ERRORS})
def priority_create(request: ApiRequest, payload: PriorityRuleIn) -> Any:
    """The commander adds a row to the priority table."""
    sector = None
    if payload.sector_id is not None:
        sector = Sector.objects.filter(pk=payload.sector_id).first()
        if sector is None:
            raise InvalidInput.for_field("sector_id", str(NotFound.default_message))
    rule = services.priority_rule_create(
        actor=request.user,
        rank=payload.rank,
        label=payload.label,
        organisation_kind=payload.organisation_kind or "",
        sector=sector,
        workers_on_site=payload.workers_on_site,
    )
    return 201, rule


@router.delete("/supplies/priorities/{pk}", response={204: None, **ERRORS})
def priority_delete(request: ApiRequest, pk: int = PK) -> Any:
    """Remove a row of the priority table: the commander only (404 for anyone else)."""
    rule = selectors.priority_rule_list(actor=request.user).filter(pk=pk).first()
    if rule is None:
        raise NotFound()
    services.priority_rule_delete(actor=request.user, rule=rule)
    return 204, None
