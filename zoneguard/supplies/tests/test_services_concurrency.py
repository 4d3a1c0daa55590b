"""Issues from one depot at the same moment, in 20 threads, on SQLite and on PostgreSQL
(DATABASE_URL): the stock never goes below zero and the successes add up exactly to what left."""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal

import pytest

from zoneguard.supplies import services, stock
from zoneguard.supplies.models import Depot, Item, LedgerEntry
from zoneguard.supplies.stock import InsufficientStock
from zoneguard.testing import at_once

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


def outcome(results):
    return Counter(
        "issued" if isinstance(r, LedgerEntry) else r.code if isinstance(r, InsufficientStock) else repr(r)
        for r in results
    )


def issue_work(actor, depot_pk, item_pk, quantity, client_id=None):
    def work():
        return services.ledger_post(
            actor=actor,
            post=services.Post(
                kind="issue",
                item=Item.objects.get(pk=item_pk),
                quantity=Decimal(quantity),
                depot=Depot.objects.get(pk=depot_pk),
                recipient_name="志愿者",
            ),
            client_id=client_id,
        )

    return work


def test_twenty_issues_at_once_never_go_below_zero_and_add_up(concurrent_db):
    supplies = concurrent_db
    depot, item = supplies.zone_depot, supplies.kn95
    supplies.receive(depot, item, 1000)
    # 20 × 70 = 1,400 asked of 1,000: exactly 14 fit.
    results = at_once(*[issue_work(supplies.zone.commander, depot.pk, item.pk, 70) for _ in range(THREADS)])
    assert outcome(results) == Counter({"issued": 14, "insufficient_stock": 6}), results
    issued = sum(r.quantity for r in results if isinstance(r, LedgerEntry))
    assert issued == Decimal(980)
    assert stock.on_hand(depot.pk, item.pk) == Decimal(20)
    assert all(r.available == Decimal(20) for r in results if isinstance(r, InsufficientStock))


def test_issues_of_different_sizes_at_once_never_go_below_zero(concurrent_db):
    supplies = concurrent_db
    depot, item = supplies.zone_depot, supplies.alcohol
    supplies.receive(depot, item, 100)
    sizes = [7, 13, 29, 3, 11, 17, 5, 23, 19, 2, 31, 37, 1, 41, 43, 47, 53, 59, 61, 67]
    results = at_once(*[issue_work(supplies.zone.commander, depot.pk, item.pk, n) for n in sizes])
    issued = sum(r.quantity for r in results if isinstance(r, LedgerEntry))
    assert set(outcome(results)) <= {"issued", "insufficient_stock"}, results
    assert stock.on_hand(depot.pk, item.pk) == Decimal(100) - issued >= 0
    assert LedgerEntry.objects.filter(kind="issue").count() == outcome(results)["issued"]


def test_one_client_id_posted_at_once_is_one_entry(concurrent_db):
    supplies = concurrent_db
    depot, item = supplies.zone_depot, supplies.kn95
    supplies.receive(depot, item, 1000)
    key = uuid.uuid4()
    results = at_once(*[issue_work(supplies.zone.commander, depot.pk, item.pk, 10, key) for _ in range(5)])
    assert {r.pk for r in results if isinstance(r, LedgerEntry)} == {LedgerEntry.objects.get(client_id=key).pk}, results
    assert stock.on_hand(depot.pk, item.pk) == Decimal(990)


def test_what_is_allocated_is_held_while_issues_and_the_hand_over_run_at_once(concurrent_db):
    from datetime import timedelta

    from django.utils import timezone

    from zoneguard.supplies.models import SupplyRequest

    supplies = concurrent_db
    z, depot, item = supplies.zone, supplies.zone_depot, supplies.kn95
    supplies.receive(depot, item, 1000)
    request = services.request_create(
        actor=z.admin_b,
        organisation=z.enterprise_b,
        needed_by=timezone.localdate() + timedelta(days=1),
        reason="复工",
        lines=[{"item": item, "quantity": Decimal(500)}],
    )
    services.request_allocate(
        actor=z.officer_a, request=request, allocations=[{"item": item, "depot": depot, "quantity": Decimal(500)}]
    )

    def hand_over():
        return services.request_hand_over(actor=z.officer_a, request=SupplyRequest.objects.get(pk=request.pk))

    results = at_once(hand_over, *[issue_work(z.commander, depot.pk, item.pk, 100) for _ in range(9)])
    assert isinstance(results[0], list), results[0]
    assert outcome(results[1:]) == Counter({"issued": 5, "insufficient_stock": 4}), results
    assert stock.on_hand(depot.pk, item.pk) == 0
