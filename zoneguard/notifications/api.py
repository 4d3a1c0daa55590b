from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, Paging
from zoneguard.core.errors import NotFound

from . import selectors, services
from .schemas import NotificationFilters, NotificationOut, UnreadOut

router = Router(tags=["notifications"])


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paginate(Paging)
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]) -> Any:
    return selectors.notification_list(actor=request.user, unread_only=filters.unread_only, kind=filters.kind)


@router.get("/notifications/unread", response={200: UnreadOut, **ERRORS})
def notification_unread(request: HttpRequest) -> Any:
    return {"unread": selectors.unread_count(actor=request.user)}


@router.post("/notifications/{pk}/read", response={200: UnreadOut, **ERRORS})
def notification_read(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    marked = services.notification_mark_read(actor=request.user, notification_id=pk)
    if not marked and not selectors.notification_list(actor=request.user).filter(pk=pk).exists():
        raise NotFound()
    return {"unread": selectors.unread_count(actor=request.user)}
