from __future__ import annotations

from django.db.models import QuerySet

from zoneguard.accounts.models import User
from zoneguard.core.errors import Forbidden
from zoneguard.registry.scoping import is_commander

from .models import Delivery, DeliveryRule, Notification


def notification_list(*, actor: User, unread_only: bool = False, kind: str = "") -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=actor)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def unread_count(*, actor: User | None) -> int:
    if actor is None or not actor.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def delivery_list(*, actor: User, status: str = "") -> QuerySet[Delivery]:
    if not is_commander(actor):
        raise Forbidden()
    qs = Delivery.objects.select_related("rule")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def delivery_counts(*, actor: User) -> dict[str, int]:
    from django.db.models import Count

    if not is_commander(actor):
        raise Forbidden()
    return dict(Delivery.objects.order_by().values_list("status").annotate(n=Count("id")))


def rule_list(*, actor: User) -> QuerySet[DeliveryRule]:
    from django.db.models import Count, Q

    if not is_commander(actor):
        raise Forbidden()
    return (
        DeliveryRule.objects.select_related("department", "organisation")
        .annotate(failed=Count("deliveries", filter=Q(deliveries__status="failed")))
        .order_by("name")
    )


def rule_access(*, actor: User, pk: int) -> DeliveryRule:
    from zoneguard.core.errors import NotFound

    rule = rule_list(actor=actor).filter(pk=pk).first()
    if rule is None:
        raise NotFound()
    return rule
