"""Booking rules of the tax hall: capacity, one booking per taxpayer per day, the cut-off for
changes, closed days, slot generation, arrivals and no-shows."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.notifications.models import Notification
from zoneguard.tax import selectors, services
from zoneguard.tax.models import Appointment, AppointmentStatus, HallClosure, Slot


def book(tax, slot, organisation, actor=None, purpose="declaration"):
    zone = tax.zone
    actor = actor or {zone.enterprise_a.pk: zone.admin_a, zone.enterprise_b.pk: zone.admin_b}[organisation.pk]
    return services.appointment_book(actor=actor, slot=slot, organisation=organisation, purpose=purpose)


def test_a_slot_takes_capacity_bookings_and_then_answers_slot_full(tax):
    zone = tax.zone
    slot = tax.slot(capacity=1)
    appointment = book(tax, slot, zone.enterprise_a)
    assert len(appointment.code) == 8 and appointment.status == AppointmentStatus.BOOKED
    assert appointment.day == timezone.localdate(slot.starts_at)
    with pytest.raises(Conflict) as error:
        book(tax, slot, zone.enterprise_b)
    assert error.value.code == "slot_full"
    slot.refresh_from_db()
    assert slot.booked == 1
    assert Appointment.objects.count() == 1


def test_a_taxpayer_has_one_active_booking_a_day(tax):
    zone = tax.zone
    first, second, next_day = tax.slot(hour=9), tax.slot(hour=10), tax.slot(days=2)
    book(tax, first, zone.enterprise_a)
    with pytest.raises(Conflict) as error:
        book(tax, second, zone.enterprise_a)
    assert error.value.code == "already_booked"
    second.refresh_from_db()
    assert second.booked == 0  # the seat taken before the refusal was given back
    book(tax, next_day, zone.enterprise_a)
    assert Appointment.objects.filter(organisation=zone.enterprise_a).count() == 2


def test_the_database_refuses_a_second_active_booking_the_same_day(tax):
    """The rule is a partial unique index, not a read: a write that skips the service still fails."""
    from django.db import IntegrityError, transaction

    zone = tax.zone
    first = book(tax, tax.slot(hour=9), zone.enterprise_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            slot=tax.slot(hour=10), organisation=zone.enterprise_a, day=first.day, purpose="invoices"
        )
    Appointment.objects.filter(pk=first.pk).update(status=AppointmentStatus.CANCELLED)
    Appointment.objects.create(slot=tax.slot(hour=11), organisation=zone.enterprise_a, day=first.day, purpose="other")


def test_the_database_refuses_to_overbook_a_slot(tax):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    slot = tax.slot(capacity=1)
    Slot.objects.filter(pk=slot.pk).update(booked=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)


def test_a_cancelled_booking_frees_its_seat_and_the_day(tax):
    zone = tax.zone
    slot = tax.slot(capacity=1)
    appointment = book(tax, slot, zone.enterprise_a)
    services.appointment_cancel(actor=zone.admin_a, appointment=appointment)
    with pytest.raises(Conflict):
        services.appointment_cancel(actor=tax.officer, appointment=Appointment.objects.get(pk=appointment.pk))
    slot.refresh_from_db()
    assert slot.booked == 0
    book(tax, slot, zone.enterprise_b)
    book(tax, tax.slot(hour=11), zone.enterprise_a)


def test_changes_are_refused_after_the_cut_off_except_by_the_tax_officer(tax, settings):
    zone = tax.zone
    settings.TAX_CHANGE_CUTOFF_MINUTES = 120
    soon = Slot.objects.create(
        hall=tax.hall,
        starts_at=timezone.now() + timedelta(minutes=90),
        ends_at=timezone.now() + timedelta(minutes=120),
        capacity=2,
    )
    later = tax.slot(days=3)
    appointment = book(tax, soon, zone.enterprise_a)
    with pytest.raises(Conflict) as error:
        services.appointment_cancel(actor=zone.admin_a, appointment=appointment)
    assert error.value.code == "past_cutoff"
    with pytest.raises(Conflict):
        services.appointment_reschedule(actor=zone.admin_a, appointment=appointment, slot=later)
    services.appointment_reschedule(actor=tax.officer, appointment=appointment, slot=later)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert (soon.booked, later.booked) == (0, 1)


def test_rescheduling_moves_the_seat_or_changes_nothing(tax):
    zone = tax.zone
    here, full, there = tax.slot(hour=9), tax.slot(hour=10, capacity=1), tax.slot(days=2)
    appointment = book(tax, here, zone.enterprise_a)
    book(tax, full, zone.enterprise_b)
    with pytest.raises(Conflict) as error:
        services.appointment_reschedule(actor=zone.admin_a, appointment=appointment, slot=full)
    assert error.value.code == "slot_full"
    moved = services.appointment_reschedule(actor=zone.admin_a, appointment=appointment, slot=there)
    assert moved.slot_id == there.pk and moved.day == timezone.localdate(there.starts_at)
    assert moved.code == appointment.code
    assert [Slot.objects.get(pk=s.pk).booked for s in (here, full, there)] == [0, 1, 1]


def test_rescheduling_into_a_day_already_booked_is_refused(tax):
    zone = tax.zone
    first = book(tax, tax.slot(days=1), zone.enterprise_a)
    book(tax, tax.slot(days=2, hour=9), zone.enterprise_a)
    target = tax.slot(days=2, hour=10)
    with pytest.raises(Conflict) as error:
        services.appointment_reschedule(actor=zone.admin_a, appointment=first, slot=target)
    assert error.value.code == "already_booked"
    assert Slot.objects.get(pk=target.pk).booked == 0


def test_closed_and_started_slots_take_no_booking(tax):
    zone = tax.zone
    closed = tax.slot()
    services.slot_update(actor=tax.officer, slot=closed, is_open=False)
    with pytest.raises(Conflict) as error:
        book(tax, closed, zone.enterprise_a)
    assert error.value.code == "slot_closed"
    started = Slot.objects.create(
        hall=tax.hall,
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(minutes=25),
        capacity=3,
    )
    with pytest.raises(Conflict) as error:
        book(tax, started, zone.enterprise_a)
    assert error.value.code == "slot_started"


def test_only_the_taxpayer_or_the_tax_officer_books(tax):
    zone = tax.zone
    slot = tax.slot(capacity=5)
    for outsider in (zone.admin_b, zone.officer_a, zone.commander, zone.gate_a, zone.volunteer):
        with pytest.raises(Forbidden):
            services.appointment_book(actor=outsider, slot=slot, organisation=zone.enterprise_a, purpose="invoices")
    appointment = services.appointment_book(
        actor=tax.officer, slot=slot, organisation=zone.enterprise_a, purpose="invoices"
    )
    told = Notification.objects.get(recipient=zone.admin_a, source_type="tax.appointment")
    assert appointment.code in told.title
    with pytest.raises(Forbidden):
        services.appointment_cancel(actor=zone.admin_b, appointment=appointment)


def test_closing_a_day_cancels_its_bookings_and_tells_the_taxpayers(tax):
    zone = tax.zone
    slot = tax.slot(days=2)
    appointment = book(tax, slot, zone.enterprise_a)
    closure, cancelled = services.hall_close_day(actor=tax.officer, hall=tax.hall, day=appointment.day, reason="消毒")
    assert cancelled == 1
    appointment.refresh_from_db()
    slot.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert (slot.booked, slot.is_open) == (0, False)
    assert Notification.objects.filter(recipient=zone.admin_a, title__contains=appointment.code).exists()
    with pytest.raises(InvalidInput):
        services.slot_create(
            actor=tax.officer,
            hall=tax.hall,
            starts_at=slot.starts_at + timedelta(hours=1),
            ends_at=slot.ends_at + timedelta(hours=1),
            capacity=1,
        )
    services.hall_reopen_day(actor=tax.officer, closure=closure)
    slot.refresh_from_db()
    assert slot.is_open and not HallClosure.objects.exists()


def test_it_generates_slots_from_the_opening_hours_and_keeps_existing_ones(tax):
    today = timezone.localdate()
    start, end = today + timedelta(days=1), today + timedelta(days=2)
    services.hall_close_day(actor=tax.officer, hall=tax.hall, day=end)
    created = services.slots_generate(actor=tax.officer, hall=tax.hall, date_from=start, date_to=end, minutes=30)
    assert created == 6  # 9:00-12:00 on the open day; the other day is closed
    slots = list(Slot.objects.order_by("starts_at"))
    assert timezone.localtime(slots[0].starts_at).time() == time(9, 0)
    assert timezone.localtime(slots[-1].ends_at).time() == time(12, 0)
    assert {s.capacity for s in slots} == {3}  # three open windows
    assert services.slots_generate(actor=tax.officer, hall=tax.hall, date_from=start, date_to=end) == 0


@pytest.mark.parametrize(
    ("days_from", "days_to", "minutes", "field"),
    [(-1, 1, 30, "date_from"), (2, 1, 30, "date_to"), (1, 80, 30, "date_to"), (1, 2, 3, "minutes")],
)
def test_it_refuses_nonsense_generation(tax, days_from, days_to, minutes, field):
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as error:
        services.slots_generate(
            actor=tax.officer,
            hall=tax.hall,
            date_from=today + timedelta(days=days_from),
            date_to=today + timedelta(days=days_to),
            minutes=minutes,
        )
    assert field in error.value.errors


def test_capacity_never_goes_below_the_bookings(tax):
    zone = tax.zone
    slot = tax.slot(capacity=3)
    book(tax, slot, zone.enterprise_a)
    book(tax, slot, zone.enterprise_b)
    with pytest.raises(Conflict):
        services.slot_update(actor=tax.officer, slot=slot, capacity=1)
    assert services.slot_update(actor=tax.officer, slot=slot, capacity=2).capacity == 2


def test_arrivals_are_ticked_off_and_no_shows_recorded(tax):
    zone = tax.zone
    now = timezone.now()
    earlier = Slot.objects.create(
        hall=tax.hall, starts_at=now + timedelta(minutes=5), ends_at=now + timedelta(minutes=30), capacity=2
    )
    arriving = book(tax, earlier, zone.enterprise_a)
    staying_away = book(tax, earlier, zone.enterprise_b)
    Slot.objects.filter(pk=earlier.pk).update(
        starts_at=now - timedelta(minutes=40), ends_at=now - timedelta(minutes=10)
    )
    Appointment.objects.filter(pk=arriving.pk).update(day=timezone.localdate())
    arriving.refresh_from_db()
    services.appointment_mark_arrived(actor=tax.officer, appointment=arriving)
    assert Appointment.objects.get(pk=arriving.pk).status == AppointmentStatus.ARRIVED
    with pytest.raises(Forbidden):
        services.appointment_mark_no_show(actor=zone.admin_b, appointment=staying_away)
    call_command("tax_record_no_shows", stdout=io.StringIO())
    assert Appointment.objects.get(pk=staying_away.pk).status == AppointmentStatus.NO_SHOW


def test_a_slot_is_created_one_at_a_time_by_the_tax_officer(tax):
    day = timezone.localdate() + timedelta(days=5)
    start = timezone.make_aware(datetime.combine(day, time(14)))
    slot = services.slot_create(
        actor=tax.officer, hall=tax.hall, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=4
    )
    assert (slot.capacity, slot.booked) == (4, 0)
    with pytest.raises(Conflict):
        services.slot_create(
            actor=tax.officer, hall=tax.hall, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=4
        )
    with pytest.raises(Forbidden):
        services.slot_create(
            actor=tax.zone.admin_a,
            hall=tax.hall,
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=2),
            capacity=4,
        )


def test_the_tax_bureau_s_cancel_and_move_are_told_to_the_taxpayer_with_the_reason(tax):
    zone = tax.zone
    first, second = tax.slot(days=2, hour=9), tax.slot(days=2, hour=10)
    appointment = book(tax, first, zone.enterprise_a)
    services.appointment_reschedule(actor=tax.officer, appointment=appointment, slot=second, reason="窗口检修")
    moved = Notification.objects.get(recipient=zone.admin_a, source_type="tax.appointment")
    assert appointment.code in moved.title and "10:00" in moved.title and "09:00" in moved.title
    assert "窗口检修" in moved.body
    assert moved.link == f"/tax/appointments/{appointment.pk}/"
    services.appointment_cancel(actor=tax.officer, appointment=appointment, reason="系统升级暂停办理")
    cancelled = Notification.objects.filter(recipient=zone.admin_a, source_type="tax.appointment").latest("pk")
    assert "取消" in cancelled.title and appointment.code in cancelled.title
    assert "系统升级暂停办理" in cancelled.body
    assert not Notification.objects.filter(recipient=zone.admin_b, source_type="tax.appointment").exists()
    # Without a reason, the taxpayer is still told, and told there was none.
    other = book(tax, tax.slot(days=3), zone.enterprise_a)
    services.appointment_cancel(actor=tax.officer, appointment=other)
    told = Notification.objects.filter(recipient=zone.admin_a, title__contains=other.code).get()
    assert "未说明原因" in told.body


def test_an_enterprise_changing_its_own_booking_is_not_told_of_it(tax):
    zone = tax.zone
    appointment = book(tax, tax.slot(days=2, hour=9), zone.enterprise_a)
    services.appointment_reschedule(actor=zone.admin_a, appointment=appointment, slot=tax.slot(days=2, hour=10))
    services.appointment_cancel(actor=zone.admin_a, appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert not Notification.objects.filter(source_type="tax.appointment").exists()


def test_a_note_or_reason_too_long_is_refused_not_cut(tax):
    zone = tax.zone
    slot = tax.slot(days=2)
    with pytest.raises(InvalidInput) as error:
        services.appointment_book(
            actor=zone.admin_a, slot=slot, organisation=zone.enterprise_a, purpose="other", note="发" * 201
        )
    assert list(error.value.errors) == ["note"] and "200" in error.value.message
    slot.refresh_from_db()
    assert slot.booked == 0 and not Appointment.objects.exists()
    appointment = services.appointment_book(
        actor=zone.admin_a, slot=slot, organisation=zone.enterprise_a, purpose="other", note="发" * 200
    )
    assert appointment.note == "发" * 200
    with pytest.raises(InvalidInput) as error:
        services.appointment_cancel(actor=tax.officer, appointment=appointment, reason="因" * 201)
    assert list(error.value.errors) == ["reason"]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert not Notification.objects.filter(source_type="tax.appointment").exists()


def test_a_full_slot_is_not_offered_for_booking(tax):
    zone = tax.zone
    full, free = tax.slot(days=2, hour=9, capacity=1), tax.slot(days=2, hour=10, capacity=1)
    day = timezone.localdate(full.starts_at)
    book(tax, full, zone.enterprise_a)
    assert list(selectors.slot_list(actor=zone.admin_b, day=day, bookable_only=True)) == [free]
    assert set(selectors.slot_list(actor=zone.admin_b, day=day)) == {full, free}  # the day's plan shows both
    book(tax, free, zone.enterprise_b)
    assert day not in selectors.days_with_slots(actor=zone.admin_b)
