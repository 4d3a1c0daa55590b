from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from zoneguard.core.api import ERRORS, MAX_ID, ApiRequest, Paging
from zoneguard.core.errors import NotFound

from . import selectors, services
from .schemas import (
    DeliveryFilters,
    DeliveryOut,
    NotificationFilters,
    NotificationOut,
    RuleOut,
    UnreadOut,
)

router = Router(tags=["notifications"])


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paginate(Paging)
def notification_list(request: ApiRequest, filters: Query[NotificationFilters]) -> Any:
    """The caller's own notifications, newest first; `unread_only` and `kind` narrow the list."""
    return selectors.notification_list(actor=request.user, unread_only=filters.unread_only, kind=filters.kind)


@router.get("/notifications/unread", response={200: UnreadOut, **ERRORS})
def notification_unread(request: ApiRequest) -> Any:
    """How many of the caller's own notifications are unread."""
    return {"unread": selectors.unread_count(actor=request.user)}


@router.post("/notifications/{pk}/read", response={200: UnreadOut, **ERRORS})
def notification_read(request: ApiRequest, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """Mark one of the caller's notifications read (again is harmless); answers the unread count left. 404 for a
    notification that is not the caller's."""
    marked = services.notification_mark_read(actor=request.user, notification_id=pk)
    if not marked and not selectors.notification_list(actor=request.user).filter(pk=pk).exists():
        raise NotFound()
    return {"unread": selectors.unread_count(actor=request.user)}


PK = Path(..., ge=1, le=MAX_ID)


@router.get("/notifications/deliveries", response={200: list[DeliveryOut], **ERRORS})
@paginate(Paging)
def delivery_list(request: ApiRequest, filters: Query[DeliveryFilters]) -> Any:
    """E-mails and robot messages with their state (the commander's)."""
    status = filters.status.value if filters.status else ""
    return selectors.delivery_list(actor=request.user, status=status)


@router.post("/notifications/deliveries/{pk}/retry", response={200: DeliveryOut, **ERRORS})
def delivery_retry(request: ApiRequest, pk: int = PK) -> Any:
    """Send a failed e-mail or robot message again now, attempts counted from zero; answers the delivery with its
    new state. The commander only (403 otherwise). A delivery that is not failed (already sent, or pending its next
    attempt) is refused with 409 `delivery_not_failed` and left as it is."""
    delivery = selectors.delivery_list(actor=request.user).filter(pk=pk).first()
    if delivery is None:
        raise NotFound()
    return services.delivery_retry(actor=request.user, delivery=delivery)


@router.get("/notifications/rules", response={200: list[RuleOut], **ERRORS})
def rule_list(request: ApiRequest) -> Any:
    """Which recipient group gets which notifications by e-mail or group robot (the commander's).
    Rules are written on the commander's page, where robot URLs are entered by hand: the API
    does not take webhook addresses from programs."""
    return selectors.rule_list(actor=request.user)


@router.post("/notifications/rules/{pk}/test", response={200: DeliveryOut, **ERRORS})
def rule_test(request: ApiRequest, pk: int = PK) -> Any:
    """Send a test message through the rule now."""
    rule = selectors.rule_access(actor=request.user, pk=pk)
    return services.rule_test(actor=request.user, rule=rule)
