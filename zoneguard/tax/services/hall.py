"""The tax hall: windows, opening hours, closed days, time slots and appointments (预约办税).

A slot is never overbooked, whatever the concurrency: booking is one conditional UPDATE
(`booked = booked + 1 WHERE booked < capacity`) on the slot's own row, backed by a check
constraint; one active booking per taxpayer per day is a partial unique index. Nothing is read
first and written after. On SQLite every write transaction is BEGIN IMMEDIATE, so concurrent
bookings queue for the lock instead of failing; on PostgreSQL they queue on the slot's row."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import organisation_admins
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record, audited_create, audited_update
from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.core.services import validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Organisation

from .. import access
from ..models import (
    ACTIVE_APPOINTMENT_STATUSES,
    MAX_SLOT_CAPACITY,
    Appointment,
    AppointmentStatus,
    Hall,
    HallClosure,
    HallWindow,
    OpeningHours,
    Purpose,
    Slot,
)

WINDOW_FIELDS = ("name", "services", "is_active")
# Slots are planned at most this far ahead, and generated for at most this many days at once.
PLANNING_HORIZON_DAYS = 400
MAX_GENERATE_DAYS = 62
MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 12 * 60
MAX_NOTE_LENGTH = 200  # a booking's note, and the reason the tax bureau gives for a change


def _audit(actor: User, action: str, obj: Any, *, organisation_id: int | None = None, **detail: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, organisation_id=organisation_id, detail=detail)


def aware(value: datetime) -> datetime:
    """Naive times are the zone's local time (Asia/Shanghai)."""
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _check_horizon(starts_at: datetime, *, field: str = "starts_at") -> None:
    now = timezone.now()
    if starts_at <= now:
        raise InvalidInput.for_field(field, _("Choose a time in the future."), code="in_the_past")
    if starts_at > now + timedelta(days=PLANNING_HORIZON_DAYS):
        raise InvalidInput.for_field(
            field, _("Slots are planned at most %(days)s days ahead.") % {"days": PLANNING_HORIZON_DAYS}, code="too_far"
        )


def _check_capacity(capacity: int) -> None:
    if not 1 <= capacity <= MAX_SLOT_CAPACITY:
        raise InvalidInput.for_field(
            "capacity",
            _("Enter a capacity from 1 to %(max)s.") % {"max": MAX_SLOT_CAPACITY},
            code="capacity_range",
        )


# --- Windows, opening hours, closed days ----------------------------------------------------------


@transaction.atomic
def window_save(*, actor: User, hall: Hall, data: Mapping[str, Any], window: HallWindow | None = None) -> HallWindow:
    access.require_administrator(actor)
    if window is None:
        return audited_create(actor=actor, instance=HallWindow(hall=hall), data=data, fields=WINDOW_FIELDS)
    audited_update(actor=actor, instance=window, data=data, fields=WINDOW_FIELDS)
    return window


@transaction.atomic
def opening_hours_add(*, actor: User, hall: Hall, weekday: int, opens_at: time, closes_at: time) -> OpeningHours:
    access.require_administrator(actor)
    if closes_at <= opens_at:
        raise InvalidInput.for_field("closes_at", _("The hall must close after it opens."), code="not_ordered")
    overlapping = OpeningHours.objects.filter(
        hall=hall, weekday=weekday, opens_at__lt=closes_at, closes_at__gt=opens_at
    ).exists()
    if overlapping:
        raise InvalidInput.for_field(
            "opens_at", _("These hours overlap other opening hours of the same day."), code="overlap"
        )
    hours = validate_and_save(OpeningHours(hall=hall, weekday=weekday, opens_at=opens_at, closes_at=closes_at))
    _audit(actor, AuditAction.CREATE, hours, weekday=weekday, opens_at=str(opens_at), closes_at=str(closes_at))
    return hours


@transaction.atomic
def opening_hours_remove(*, actor: User, hours: OpeningHours) -> None:
    access.require_administrator(actor)
    _audit(actor, AuditAction.DELETE, hours, weekday=hours.weekday, opens_at=str(hours.opens_at))
    hours.delete()


def _cancel_for_closure(appointment: Appointment, reason: str) -> None:
    notify(
        recipients=organisation_admins(organisation_id=appointment.organisation_id),
        kind=NotificationKind.REMINDER,
        title=gettext_lazy("Your tax hall booking %(code)s on %(day)s is cancelled"),
        body=gettext_lazy("The tax hall is closed that day (%(reason)s). Please book another slot."),
        params={"code": appointment.code, "day": appointment.day.isoformat(), "reason": reason or "—"},
        link="/tax/appointments/",
        source=appointment,
    )


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


@transaction.atomic
def hall_close_day(*, actor: User, hall: Hall, day: date, reason: str = "") -> tuple[HallClosure, int]:
    """Close the hall for a day: its slots stop taking bookings, the bookings already taken are
    cancelled and their taxpayers told. Returns the closure and the number of bookings cancelled."""
    access.require_administrator(actor)
    if day < timezone.localdate():
        raise InvalidInput.for_field("date", _("Choose today or a later day."), code="in_the_past")
    if HallClosure.objects.filter(hall=hall, date=day).exists():
        raise Conflict(_("The hall is already closed that day."), code="already_closed")
    closure = validate_and_save(HallClosure(hall=hall, date=day, reason=(reason or "").strip()[:200]))
    start, end = _day_range(day)
    slots = Slot.objects.filter(hall=hall, starts_at__gte=start, starts_at__lt=end)
    slots.update(is_open=False)
    cancelled = list(
        Appointment.objects.filter(slot__in=slots, status=AppointmentStatus.BOOKED).select_related("organisation")
    )
    now = timezone.now()
    Appointment.objects.filter(pk__in=[a.pk for a in cancelled]).update(
        status=AppointmentStatus.CANCELLED, cancelled_at=now, updated_at=now
    )
    for slot in slots.annotate(
        taken=Count("appointments", filter=~Q(appointments__status=AppointmentStatus.CANCELLED))
    ):
        Slot.objects.filter(pk=slot.pk).update(booked=slot.taken)
    for appointment in cancelled:
        _cancel_for_closure(appointment, closure.reason)
    _audit(actor, AuditAction.CREATE, closure, date=day.isoformat(), cancelled=len(cancelled))
    return closure, len(cancelled)


@transaction.atomic
def hall_reopen_day(*, actor: User, closure: HallClosure) -> None:
    access.require_administrator(actor)
    start, end = _day_range(closure.date)
    Slot.objects.filter(hall=closure.hall, starts_at__gte=start, starts_at__lt=end).update(is_open=True)
    _audit(actor, AuditAction.DELETE, closure, date=closure.date.isoformat())
    closure.delete()


# --- Slots ---------------------------------------------------------------------------------------


def _check_open_day(hall: Hall, day: date) -> None:
    if HallClosure.objects.filter(hall=hall, date=day).exists():
        raise InvalidInput.for_field("starts_at", _("The hall is closed that day."), code="hall_closed")


@transaction.atomic
def slot_create(*, actor: User, hall: Hall, starts_at: datetime, ends_at: datetime, capacity: int) -> Slot:
    access.require_administrator(actor)
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    _check_horizon(starts_at)
    _check_capacity(capacity)
    if ends_at <= starts_at:
        raise InvalidInput.for_field("ends_at", _("The slot must end after it starts."), code="not_ordered")
    if ends_at - starts_at > timedelta(minutes=MAX_SLOT_MINUTES):
        raise InvalidInput.for_field("ends_at", _("A slot lasts at most 12 hours."), code="too_long")
    if timezone.localdate(starts_at) != timezone.localdate(ends_at - timedelta(microseconds=1)):
        raise InvalidInput.for_field("ends_at", _("A slot ends on the day it starts."), code="crosses_midnight")
    _check_open_day(hall, timezone.localdate(starts_at))
    if Slot.objects.filter(hall=hall, starts_at=starts_at).exists():
        raise Conflict(_("The hall already has a slot starting at that time."), code="slot_exists")
    slot = validate_and_save(Slot(hall=hall, starts_at=starts_at, ends_at=ends_at, capacity=capacity))
    _audit(actor, AuditAction.CREATE, slot, starts_at=starts_at.isoformat(), capacity=capacity)
    return slot


@transaction.atomic
def slots_generate(
    *, actor: User, hall: Hall, date_from: date, date_to: date, minutes: int = 30, capacity: int | None = None
) -> int:
    """Cut the opening hours of each open day into slots of `minutes`; slots that exist are kept.
    Capacity defaults to the number of open windows. Returns the number of slots created."""
    access.require_administrator(actor)
    today = timezone.localdate()
    if date_from < today:
        raise InvalidInput.for_field("date_from", _("Choose today or a later day."), code="in_the_past")
    if date_to < date_from:
        raise InvalidInput.for_field("date_to", _("The last day must not be before the first."), code="not_ordered")
    if (date_to - date_from).days >= MAX_GENERATE_DAYS:
        raise InvalidInput.for_field(
            "date_to", _("Generate at most %(days)s days at once.") % {"days": MAX_GENERATE_DAYS}, code="too_long"
        )
    if date_to > today + timedelta(days=PLANNING_HORIZON_DAYS - 1):
        raise InvalidInput.for_field(
            "date_to", _("Slots are planned at most %(days)s days ahead.") % {"days": PLANNING_HORIZON_DAYS}
        )
    if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
        raise InvalidInput.for_field("minutes", _("Enter a slot length from 5 to 720 minutes."), code="range")
    if capacity is None:
        capacity = max(hall.windows.filter(is_active=True).count(), 1)
    _check_capacity(capacity)
    closed = set(HallClosure.objects.filter(hall=hall, date__range=(date_from, date_to)).values_list("date", flat=True))
    hours: dict[int, list[tuple[time, time]]] = {}
    for row in OpeningHours.objects.filter(hall=hall):
        hours.setdefault(row.weekday, []).append((row.opens_at, row.closes_at))
    now = timezone.now()
    step = timedelta(minutes=minutes)
    wanted: list[Slot] = []
    day = date_from
    while day <= date_to:
        if day not in closed:
            for opens_at, closes_at in sorted(hours.get(day.weekday(), [])):
                start = timezone.make_aware(datetime.combine(day, opens_at))
                close = timezone.make_aware(datetime.combine(day, closes_at))
                while start + step <= close:
                    if start > now:
                        wanted.append(Slot(hall=hall, starts_at=start, ends_at=start + step, capacity=capacity))
                    start += step
        day += timedelta(days=1)
    if not wanted:
        return 0
    existing = set(
        Slot.objects.filter(
            hall=hall, starts_at__gte=wanted[0].starts_at, starts_at__lte=wanted[-1].starts_at
        ).values_list("starts_at", flat=True)
    )
    new = [slot for slot in wanted if slot.starts_at not in existing]
    Slot.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    _audit(
        actor,
        AuditAction.CREATE,
        hall,
        slots_generated=len(new),
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        minutes=minutes,
        capacity=capacity,
    )
    return len(new)


@transaction.atomic
def slot_update(*, actor: User, slot: Slot, capacity: int | None = None, is_open: bool | None = None) -> Slot:
    """Change a slot's capacity (never below what is booked: a conditional update) or close it."""
    access.require_administrator(actor)
    changes: dict[str, Any] = {}
    if capacity is not None and capacity != slot.capacity:
        _check_capacity(capacity)
        if not Slot.objects.filter(pk=slot.pk, booked__lte=capacity).update(capacity=capacity):
            raise Conflict(
                _("More taxpayers have booked this slot than the new capacity."), code="capacity_below_bookings"
            )
        changes["capacity"] = [slot.capacity, capacity]
    if is_open is not None and is_open != slot.is_open:
        if is_open:
            _check_open_day(slot.hall, timezone.localdate(slot.starts_at))
        Slot.objects.filter(pk=slot.pk).update(is_open=is_open)
        changes["is_open"] = [slot.is_open, is_open]
    slot.refresh_from_db()
    if changes:
        _audit(actor, AuditAction.UPDATE, slot, changes=changes)
    return slot


# --- Appointments --------------------------------------------------------------------------------


def _cutoff() -> timedelta:
    return timedelta(minutes=settings.TAX_CHANGE_CUTOFF_MINUTES)


def _check_purpose(purpose: str) -> None:
    if purpose not in Purpose.values:
        raise InvalidInput.for_field("purpose", _("Choose a purpose."), code="invalid_purpose")


def _take_seat(slot: Slot) -> None:
    """The conditional update that books a seat, or the reason there is none."""
    now = timezone.now()
    taken = Slot.objects.filter(pk=slot.pk, is_open=True, starts_at__gt=now, booked__lt=F("capacity")).update(
        booked=F("booked") + 1, updated_at=now
    )
    if taken:
        return
    current = Slot.objects.filter(pk=slot.pk).values("is_open", "starts_at").first()
    if current is None or not current["is_open"]:
        raise Conflict(_("This slot is closed for booking."), code="slot_closed")
    if current["starts_at"] <= now:
        raise Conflict(_("This slot has already started."), code="slot_started")
    raise Conflict(_("This slot is fully booked. Please choose another slot."), code="slot_full")


def _free_seat(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1, updated_at=timezone.now())


def _already_booked() -> Conflict:
    return Conflict(_("This taxpayer already has a booking that day. Cancel or move it first."), code="already_booked")


def _has_active_booking(organisation_id: int, day: date, *, exclude: int | None = None) -> bool:
    qs = Appointment.objects.filter(organisation_id=organisation_id, day=day, status__in=ACTIVE_APPOINTMENT_STATUSES)
    return qs.exclude(pk=exclude).exists() if exclude else qs.exists()


def _by_the_bureau(actor: User) -> bool:
    """A change the enterprise did not make itself (the tax bureau's, by phone or at the hall):
    its admins are told. An enterprise is not told of what it did."""
    return not access.is_enterprise_user(actor)


def _check_text(text: str, *, field: str) -> str:
    """Refused rather than cut: a note or a reason cut short can say something else."""
    text = (text or "").strip()
    if len(text) > MAX_NOTE_LENGTH:
        if field == "reason":
            raise InvalidInput.for_field(field, _("Keep the reason under 200 characters."), code="too_long")
        raise InvalidInput.for_field(field, _("Keep the note under 200 characters."), code="too_long")
    return text


@transaction.atomic
def appointment_book(
    *, actor: User, slot: Slot, organisation: Organisation, purpose: str, note: str = ""
) -> Appointment:
    """Book a seat in a slot for a taxpayer: 409 `slot_full` when every seat is taken,
    `already_booked` when the taxpayer has a booking that day."""
    access.require(access.can_act_for(actor, organisation))
    _check_purpose(purpose)
    note = _check_text(note, field="note")
    day = timezone.localdate(slot.starts_at)
    if _has_active_booking(organisation.pk, day):
        raise _already_booked()
    _take_seat(slot)
    appointment = Appointment(
        slot=slot, organisation=organisation, day=day, purpose=purpose, note=note, booked_by=actor
    )
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        # Lost a race against another booking of the same taxpayer that day (the partial unique
        # index): the whole transaction, seat included, is rolled back by the raise.
        if _has_active_booking(organisation.pk, day):
            raise _already_booked() from error
        raise Conflict(code="integrity") from error
    _audit(
        actor,
        AuditAction.CREATE,
        appointment,
        organisation_id=organisation.pk,
        slot=slot.pk,
        purpose=purpose,
    )
    if _by_the_bureau(actor):
        notify(
            recipients=organisation_admins(organisation_id=organisation.pk),
            kind=NotificationKind.INFO,
            title=gettext_lazy("Tax hall booking %(code)s: %(time)s"),
            body=gettext_lazy("The tax bureau booked a slot for you. Show the code %(code)s at the hall."),
            params={"code": appointment.code, "time": timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M")},
            link=f"/tax/appointments/{appointment.pk}/",
            source=appointment,
        )
    return appointment


def _check_changeable(actor: User, appointment: Appointment) -> None:
    access.require(access.can_act_for(actor, appointment.organisation))
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(_("Only a booked appointment can be changed."), code="not_booked")
    now = timezone.now()
    if access.can_administer(actor):
        if appointment.slot.ends_at <= now:
            raise Conflict(_("This slot is over."), code="slot_over")
        return
    if now > appointment.slot.starts_at - _cutoff():
        raise Conflict(
            _("Bookings can be changed until %(minutes)s minutes before the slot starts.")
            % {"minutes": settings.TAX_CHANGE_CUTOFF_MINUTES},
            code="past_cutoff",
        )


def _slot_time(slot: Slot) -> str:
    return f"{timezone.localtime(slot.starts_at):%Y-%m-%d %H:%M}"


def _tell_of_change(appointment: Appointment, *, title: Any, reason: str, params: dict[str, Any]) -> None:
    notify(
        recipients=organisation_admins(organisation_id=appointment.organisation_id),
        kind=NotificationKind.REMINDER,
        title=title,
        body=(
            gettext_lazy("Reason given by the tax bureau: %(reason)s")
            if reason
            else gettext_lazy("The tax bureau gave no reason. Contact the tax hall if you have questions.")
        ),
        params={"code": appointment.code, "reason": reason, **params},
        link=f"/tax/appointments/{appointment.pk}/",
        source=appointment,
    )


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment, reason: str = "") -> Appointment:
    """Cancel a booking; when the tax bureau cancels it, the taxpayer's admins are told, with the
    reason given."""
    _check_changeable(actor, appointment)
    reason = _check_text(reason, field="reason")
    now = timezone.now()
    # Conditional, so that two cancellations of one booking free one seat.
    if Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.BOOKED).update(
        status=AppointmentStatus.CANCELLED, cancelled_at=now, updated_at=now
    ):
        _free_seat(appointment.slot_id)
        detail: dict[str, Any] = {"status": "cancelled"}
        if reason:
            detail["reason"] = reason
        _audit(actor, AuditAction.UPDATE, appointment, organisation_id=appointment.organisation_id, **detail)
        if _by_the_bureau(actor):
            _tell_of_change(
                appointment,
                title=gettext_lazy("The tax bureau cancelled your tax hall booking %(code)s at %(time)s"),
                reason=reason,
                params={"time": _slot_time(appointment.slot)},
            )
    appointment.refresh_from_db()
    return appointment


@transaction.atomic
def appointment_reschedule(*, actor: User, appointment: Appointment, slot: Slot, reason: str = "") -> Appointment:
    """Move a booking to another slot: a seat is taken there and freed here, in one transaction.
    When the tax bureau moves it, the taxpayer's admins are told, with the reason given."""
    _check_changeable(actor, appointment)
    reason = _check_text(reason, field="reason")
    if slot.pk == appointment.slot_id:
        return appointment
    old_slot = appointment.slot
    old_slot_id = appointment.slot_id
    # Lock both slots in one order, so that two bookings swapping slots cannot deadlock.
    list(Slot.objects.select_for_update().filter(pk__in=[old_slot_id, slot.pk]).order_by("pk").values_list("pk"))
    day = timezone.localdate(slot.starts_at)
    if day != appointment.day and _has_active_booking(appointment.organisation_id, day, exclude=appointment.pk):
        raise _already_booked()
    _take_seat(slot)
    moved = Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.BOOKED)
    try:
        with transaction.atomic():
            updated = moved.update(slot=slot, day=day, updated_at=timezone.now())
    except IntegrityError as error:
        raise _already_booked() from error
    if not updated:
        raise Conflict(_("Only a booked appointment can be changed."), code="not_booked")
    _free_seat(old_slot_id)
    detail: dict[str, Any] = {"changes": {"slot": [old_slot_id, slot.pk]}}
    if reason:
        detail["reason"] = reason
    _audit(actor, AuditAction.UPDATE, appointment, organisation_id=appointment.organisation_id, **detail)
    appointment.refresh_from_db()
    if _by_the_bureau(actor):
        _tell_of_change(
            appointment,
            title=gettext_lazy("The tax bureau moved your tax hall booking %(code)s from %(old)s to %(time)s"),
            reason=reason,
            params={"old": _slot_time(old_slot), "time": _slot_time(slot)},
        )
    return appointment


def _officer_mark(actor: User, appointment: Appointment, status: str, **fields: Any) -> Appointment:
    access.require_administrator(actor)
    if not Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.BOOKED).update(
        status=status, updated_at=timezone.now(), **fields
    ):
        raise Conflict(_("Only a booked appointment can be marked."), code="not_booked")
    _audit(actor, AuditAction.UPDATE, appointment, organisation_id=appointment.organisation_id, status=status)
    appointment.refresh_from_db()
    return appointment


@transaction.atomic
def appointment_mark_arrived(*, actor: User, appointment: Appointment) -> Appointment:
    access.require_administrator(actor)
    if appointment.day != timezone.localdate():
        raise Conflict(_("Arrivals are ticked off on the day of the booking."), code="not_today")
    return _officer_mark(actor, appointment, AppointmentStatus.ARRIVED, arrived_at=timezone.now())


@transaction.atomic
def appointment_mark_no_show(*, actor: User, appointment: Appointment) -> Appointment:
    access.require_administrator(actor)
    if appointment.slot.starts_at > timezone.now():
        raise Conflict(_("A no-show is recorded once the slot has started."), code="not_started")
    return _officer_mark(actor, appointment, AppointmentStatus.NO_SHOW)


@transaction.atomic
def no_shows_record(*, now: datetime | None = None) -> int:
    """Bookings whose slot ended without an arrival become no-shows (`manage.py tax_record_no_shows`)."""
    now = now or timezone.now()
    stale = Appointment.objects.filter(status=AppointmentStatus.BOOKED, slot__ends_at__lte=now)
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        Appointment.objects.filter(pk__in=ids, status=AppointmentStatus.BOOKED).update(
            status=AppointmentStatus.NO_SHOW, updated_at=now
        )
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="tax.appointment",
            detail={"no_shows": ids[:1000], "count": len(ids)},
        )
    return len(ids)
