from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging

from . import selectors, services
from .schemas import NoticeDetailOut, NoticeFilters, NoticeIn, NoticeOut, PublishedOut, ReadOut, ReceiptOut

router = Router(tags=["notices"])

PK = Path(..., ge=1, le=MAX_ID)


@router.get("/notices", response={200: list[NoticeOut], **ERRORS})
@paginate(Paging)
def notice_list(request: ApiRequest, filters: Query[NoticeFilters]) -> Any:
    """Notices the caller sees, by publication then creation, newest first, with how many recipients have read each:
    the commander all; an officer those they wrote and their department's; anyone those published to an
    organisation in their scope or to them by name."""
    status = filters.status.value if filters.status else ""
    return selectors.notice_list(actor=request.user, status=status)


@router.post("/notices", response={201: NoticeDetailOut, **ERRORS})
def notice_create(request: ApiRequest, payload: NoticeIn) -> Any:
    """Write a draft; publish it with `POST /notices/{id}/publish`."""
    notice = services.notice_create(
        actor=request.user,
        title=payload.title,
        body=payload.body,
        kinds=[k.value for k in payload.kinds],
        sectors=payload.sector_ids,
        communities=payload.community_ids,
        organisations=payload.organisation_ids,
    )
    return 201, selectors.notice_list(actor=request.user).get(pk=notice.pk)


@router.get("/notices/{pk}", response={200: NoticeDetailOut, **ERRORS})
def notice_read(request: ApiRequest, pk: int = PK) -> Any:
    """One notice the caller sees (as in `GET /notices`; 404 otherwise), with its recipients' counts."""
    selectors.notice_access(actor=request.user, pk=pk)
    return selectors.notice_list(actor=request.user).get(pk=pk)


@router.put("/notices/{pk}", response={200: NoticeDetailOut, **ERRORS})
def notice_update(request: ApiRequest, payload: NoticeIn, pk: int = PK) -> Any:
    """Rewrite a draft, its text and recipients, before it is published (409 once published)."""
    notice = selectors.notice_access(actor=request.user, pk=pk)
    services.notice_update(
        actor=request.user,
        notice=notice,
        title=payload.title,
        body=payload.body,
        kinds=[k.value for k in payload.kinds],
        sectors=payload.sector_ids,
        communities=payload.community_ids,
        organisations=payload.organisation_ids,
    )
    return selectors.notice_list(actor=request.user).get(pk=pk)


@router.post("/notices/{pk}/publish", response={200: PublishedOut, **ERRORS})
def notice_publish(request: ApiRequest, pk: int = PK) -> Any:
    """Send a draft to every active organisation in the publisher's scope that its recipients name; their admins and
    community workers are notified. Answers how many organisations received it. Its author, their department's
    officers and the commander (403 otherwise); 409 `notice_published` when already published,
    `notice_no_recipients` when no organisation matches."""
    notice = selectors.notice_access(actor=request.user, pk=pk)
    return {"recipients": services.notice_publish(actor=request.user, notice=notice)}


@router.post("/notices/{pk}/read", response={200: ReadOut, **ERRORS})
def notice_mark_read(request: ApiRequest, pk: int = PK) -> Any:
    """Record that the caller has read the notice for the organisations they represent."""
    notice = selectors.notice_access(actor=request.user, pk=pk)
    return {"marked": services.notice_mark_read(actor=request.user, notice=notice)}


@router.get("/notices/{pk}/receipts", response={200: list[ReceiptOut], **ERRORS})
def notice_receipts(request: ApiRequest, pk: int = PK) -> Any:
    """Who has read the notice (its author, their department and the commander)."""
    notice = selectors.notice_access(actor=request.user, pk=pk)
    return selectors.receipts(actor=request.user, notice=notice)
