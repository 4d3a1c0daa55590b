"""Reads of the tax hall: slots of a day, appointments, the officer's day view."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given

from .. import access
from ..models import Appointment, AppointmentStatus, Hall, HallClosure, HallWindow, OpeningHours, Slot


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def slot_list(*, actor: User, day: date, hall_id: int | None = None, bookable_only: bool = False) -> QuerySet[Slot]:
    """The slots of a local day, in time order; anyone using the tax services may see them."""
    access.require_user(actor)
    start, end = day_bounds(day)
    qs = Slot.objects.filter(starts_at__gte=start, starts_at__lt=end, hall__is_active=True).select_related("hall")
    if hall_id:
        qs = qs.filter(hall_id=hall_id)
    if bookable_only:
        # A full slot is left out: offered, it could only be refused (services.hall._take_seat).
        qs = qs.filter(is_open=True, starts_at__gt=timezone.now(), booked__lt=F("capacity"))
    return qs.order_by("starts_at", "hall_id", "id")


def slot_access(*, actor: User, pk: int) -> Slot:
    access.require_user(actor)
    slot = Slot.objects.filter(pk=pk, hall__is_active=True).select_related("hall").first()
    if slot is None:
        raise NotFound()
    return slot


def appointment_list(
    *,
    actor: User,
    day: date | None = None,
    organisation_id: int | None = None,
    status: str = "",
    upcoming: bool = False,
) -> QuerySet[Appointment]:
    """Bookings of the taxpayers in the actor's scope (an enterprise: its own)."""
    qs = Appointment.objects.filter(access.taxpayer_q(actor)).select_related("slot", "slot__hall", "organisation")
    qs = filter_given(qs, day=day, organisation_id=organisation_id, status=status)
    if upcoming:
        qs = qs.filter(day__gte=timezone.localdate())
    return qs.order_by("slot__starts_at", "id")


def appointment_access(*, actor: User, pk: int) -> Appointment:
    appointment = appointment_list(actor=actor).filter(pk=pk).first()
    if appointment is None:
        raise NotFound()
    return appointment


def day_view(*, actor: User, hall: Hall, day: date) -> list[Slot]:
    """The officer's day: each slot with its bookings (cancelled ones left out), in two queries."""
    access.require_administrator(actor)
    bookings = Appointment.objects.exclude(status=AppointmentStatus.CANCELLED).select_related("organisation")
    return list(
        slot_list(actor=actor, day=day, hall_id=hall.pk).prefetch_related(
            Prefetch("appointments", queryset=bookings.order_by("id"), to_attr="bookings")
        )
    )


def opening_hours(*, hall: Hall) -> QuerySet[OpeningHours]:
    return OpeningHours.objects.filter(hall=hall).order_by("weekday", "opens_at")


def closures(*, hall: Hall, upcoming: bool = True) -> QuerySet[HallClosure]:
    qs = HallClosure.objects.filter(hall=hall)
    return qs.filter(date__gte=timezone.localdate()) if upcoming else qs


def window_access(*, actor: User, pk: int) -> HallWindow:
    access.require_administrator(actor)
    window = HallWindow.objects.filter(pk=pk).select_related("hall").first()
    if window is None:
        raise NotFound()
    return window


def opening_hours_access(*, actor: User, pk: int) -> OpeningHours:
    access.require_administrator(actor)
    hours = OpeningHours.objects.filter(pk=pk).select_related("hall").first()
    if hours is None:
        raise NotFound()
    return hours


def closure_access(*, actor: User, pk: int) -> HallClosure:
    access.require_administrator(actor)
    closure = HallClosure.objects.filter(pk=pk).select_related("hall").first()
    if closure is None:
        raise NotFound()
    return closure


def days_with_slots(*, actor: User, hall_id: int | None = None, days: int = 14) -> list[date]:
    """The coming days that have slots with a free seat, for the booking page's day picker."""
    access.require_user(actor)
    now = timezone.now()
    qs = Slot.objects.filter(
        is_open=True, starts_at__gt=now, starts_at__lt=now + timedelta(days=days), booked__lt=F("capacity")
    )
    if hall_id:
        qs = qs.filter(hall_id=hall_id)
    return sorted({timezone.localdate(s) for s in qs.values_list("starts_at", flat=True)})
