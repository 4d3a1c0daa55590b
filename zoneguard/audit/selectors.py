from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from zoneguard.core.errors import Forbidden
from zoneguard.core.querysets import filter_given
from zoneguard.core.retention import registered_purges
from zoneguard.core.roles import is_commander

from .models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(
    *,
    actor: User,
    action: str = "",
    object_type: str = "",
    actor_name: str = "",
    object_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    search: str = "",
) -> QuerySet[AuditEvent]:
    """The audit log is the commander's to read."""
    if not is_commander(actor):
        raise Forbidden()
    qs = AuditEvent.objects.all()
    qs = filter_given(qs, action=action, object_type=object_type, object_id=object_id)
    if actor_name:
        qs = qs.filter(actor_name__icontains=actor_name.strip())
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to) + timedelta(days=1))
    if search:
        qs = qs.filter(Q(object_repr__icontains=search.strip()) | Q(actor_name__icontains=search.strip()))
    return qs.order_by("-at", "-id")


def audit_object_types() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())


@dataclass(frozen=True)
class Retention:
    """What the zone keeps of personal data, for those who answer for it (core.retention)."""

    days: int
    kinds: list[str]
    last_purge: datetime | None


def retention() -> Retention:
    last = (
        AuditEvent.objects.filter(action=AuditAction.DELETE, actor__isnull=True, detail__has_key="purged_before")
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return Retention(settings.PERSONAL_DATA_DAYS, [str(r.label) for r in registered_purges()], last)
