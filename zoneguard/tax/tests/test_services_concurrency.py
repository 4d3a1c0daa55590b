"""Threads hammering one slot never overbook it, on SQLite and on PostgreSQL: the conditional
update and the partial unique index hold under real concurrency, and the losers get a clean
Conflict (never "database is locked")."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any

import pytest

from zoneguard.core.errors import Conflict
from zoneguard.registry.models import Organisation
from zoneguard.tax import services
from zoneguard.tax.models import Appointment, Slot
from zoneguard.testing import at_once, database_shared_by_threads

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 24


@pytest.fixture
def concurrent_db(tax: Any, tmp_path: Any) -> Any:
    with database_shared_by_threads(tmp_path):
        yield tax


def outcome(results: list[Any]) -> Counter[str]:
    return Counter(
        "booked" if isinstance(r, Appointment) else r.code if isinstance(r, Conflict) else repr(r) for r in results
    )


def test_many_taxpayers_booking_one_slot_get_exactly_its_capacity(concurrent_db):
    tax = concurrent_db
    slot = tax.slot(capacity=5)
    organisations = [Organisation.objects.create(name=f"并发企业{i}", kind="enterprise") for i in range(THREADS)]
    officer = tax.officer

    def book(i: int) -> Appointment:
        return services.appointment_book(
            actor=officer, slot=Slot.objects.get(pk=slot.pk), organisation=organisations[i], purpose="declaration"
        )

    results = at_once(*(partial(book, i) for i in range(THREADS)))
    assert outcome(results) == Counter({"booked": 5, "slot_full": THREADS - 5})
    slot.refresh_from_db()
    assert slot.booked == 5
    assert Appointment.objects.filter(slot=slot).count() == 5
    assert len({r.code for r in results if isinstance(r, Appointment)}) == 5


def test_one_taxpayer_booking_many_slots_of_a_day_gets_one(concurrent_db):
    tax = concurrent_db
    slots = [tax.slot(hour=9, minute=0, capacity=3), tax.slot(hour=10, capacity=3), tax.slot(hour=11, capacity=3)]
    organisation = tax.zone.enterprise_a
    officer = tax.officer

    def book(i: int) -> Appointment:
        slot = Slot.objects.get(pk=slots[i % len(slots)].pk)
        return services.appointment_book(actor=officer, slot=slot, organisation=organisation, purpose="invoices")

    results = at_once(*(partial(book, i) for i in range(12)))
    assert outcome(results) == Counter({"booked": 1, "already_booked": 11})
    assert sum(Slot.objects.filter(pk__in=[s.pk for s in slots]).values_list("booked", flat=True)) == 1
