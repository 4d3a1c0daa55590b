"""When daily reports are due: the deadline the commander set (ReportDeadline), else
`REPORT_DEADLINE` (ZONEGUARD_REPORT_DEADLINE, "HH:MM" in the zone's time, 10:00 by default)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def deadline_time() -> time:
    from .models import ReportDeadline

    configured = ReportDeadline.objects.order_by("-updated_at").values_list("deadline", flat=True).first()
    if configured is not None:
        return configured
    try:
        hours, minutes = (int(part) for part in str(settings.REPORT_DEADLINE).split(":"))
        return time(hours, minutes)
    except ValueError as error:
        raise ImproperlyConfigured(f"REPORT_DEADLINE must be HH:MM, not {settings.REPORT_DEADLINE!r}") from error


def deadline_for(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, deadline_time()))


def is_late(day: date, *, now: datetime | None = None) -> bool:
    """A missing report of `day` is late once its deadline has passed."""
    return (now or timezone.now()) >= deadline_for(day)
