"""The ledger: stock is its sum over every kind of entry; a transfer is two legs that balance;
nothing goes below zero (409 with what is available, nothing written); client_id makes a post
idempotent; the keeper is told once per crossing of the threshold; a count becomes adjustments."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.notifications.models import Notification
from zoneguard.supplies import services, stock
from zoneguard.supplies.models import LedgerEntry, LedgerLine
from zoneguard.supplies.stock import InsufficientStock

pytestmark = pytest.mark.django_db

D = Decimal


def post(actor, client_id=None, **kwargs):
    return services.ledger_post(actor=actor, post=services.Post(**kwargs), client_id=client_id)


def test_it_balances_the_ledger_over_every_kind_of_entry(supplies):
    z, kn95 = supplies.zone, supplies.kn95
    post(
        z.commander,
        kind="receipt",
        item=kn95,
        quantity=D(5000),
        depot=supplies.zone_depot,
        source="donation",
        donor="高新投",
    )
    post(z.commander, kind="receipt", item=kn95, quantity=D(1000), depot=supplies.zone_depot, source="purchase")
    post(
        z.commander, kind="transfer", item=kn95, quantity=D(2000), depot=supplies.zone_depot, to_depot=supplies.store_a
    )
    post(
        z.commander,
        kind="issue",
        item=kn95,
        quantity=D(1500),
        depot=supplies.zone_depot,
        recipient_organisation=z.market,
    )
    post(z.admin_a, kind="issue", item=kn95, quantity=D(300), depot=supplies.store_a, recipient_name="王师傅")
    post(z.commander, kind="adjustment", item=kn95, quantity=D(-20), depot=supplies.zone_depot, reason="破损")
    post(z.admin_a, kind="adjustment", item=kn95, quantity=D(5), depot=supplies.store_a, reason="盘盈")

    assert stock.on_hand(supplies.zone_depot.pk, kn95.pk) == D(5000 + 1000 - 2000 - 1500 - 20)
    assert stock.on_hand(supplies.store_a.pk, kn95.pk) == D(2000 - 300 + 5)
    assert LedgerEntry.objects.count() == 7
    assert AuditEvent.objects.filter(object_type="supplies.ledgerentry").count() == 7


def test_a_transfer_is_two_legs_that_balance(supplies):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    entry = post(
        supplies.zone.commander,
        kind="transfer",
        item=supplies.kn95,
        quantity=D(40),
        depot=supplies.zone_depot,
        to_depot=supplies.store_b,
    )
    legs = sorted(entry.lines.values_list("depot_id", "quantity"))
    assert legs == sorted([(supplies.zone_depot.pk, D(-40)), (supplies.store_b.pk, D(40))])
    assert entry.lines.aggregate(total=Sum("quantity"))["total"] == 0


def test_it_refuses_to_go_below_zero_with_what_is_available_and_writes_nothing(supplies):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    before = (LedgerEntry.objects.count(), LedgerLine.objects.count(), AuditEvent.objects.count())
    for kind, extra in [
        ("issue", {"recipient_name": "张三"}),
        ("transfer", {"to_depot": supplies.store_a}),
        ("adjustment", {"reason": "盘亏"}),
    ]:
        quantity = D(-101) if kind == "adjustment" else D(101)
        with pytest.raises(InsufficientStock) as refused:
            post(
                supplies.zone.commander,
                kind=kind,
                item=supplies.kn95,
                quantity=quantity,
                depot=supplies.zone_depot,
                **extra,
            )
        assert refused.value.status == 409
        assert refused.value.available == D(100)
        assert refused.value.errors["available"] == ["100"]
    assert (LedgerEntry.objects.count(), LedgerLine.objects.count(), AuditEvent.objects.count()) == before
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == D(100)


def test_the_same_client_id_twice_is_one_entry_with_the_same_answer(supplies):
    key = uuid.uuid4()
    args = {
        "kind": "receipt",
        "item": supplies.kn95,
        "quantity": D(10),
        "depot": supplies.zone_depot,
        "source": "purchase",
    }
    first = post(supplies.zone.commander, client_id=key, **args)
    second = post(supplies.zone.commander, client_id=key, **args)
    assert first.pk == second.pk
    assert LedgerEntry.objects.count() == 1
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == D(10)
    with pytest.raises(Conflict) as reused:
        post(supplies.zone.commander, client_id=key, **{**args, "quantity": D(11)})
    assert reused.value.code == "client_id_reused"


def test_it_checks_what_each_kind_needs(supplies):
    c, kn95, depot = supplies.zone.commander, supplies.kn95, supplies.zone_depot
    with pytest.raises(InvalidInput):
        post(c, kind="receipt", item=kn95, quantity=D(1), depot=depot, source="donation")  # no donor
    with pytest.raises(InvalidInput):
        post(c, kind="transfer", item=kn95, quantity=D(1), depot=depot, to_depot=depot)
    with pytest.raises(InvalidInput):
        post(c, kind="issue", item=kn95, quantity=D(1), depot=depot)  # to no one
    with pytest.raises(InvalidInput):
        post(c, kind="adjustment", item=kn95, quantity=D(1), depot=depot)  # no reason
    with pytest.raises(InvalidInput):
        post(c, kind="receipt", item=kn95, quantity=D(0), depot=depot, source="purchase")
    with pytest.raises(InvalidInput):
        post(c, kind="receipt", item=kn95, quantity=D("0.001"), depot=depot, source="purchase")


def test_keepers_and_admins_post_to_their_depots_only(supplies):
    z = supplies.zone
    supplies.receive(supplies.zone_depot, supplies.kn95, 10, actor=z.keeper)
    supplies.receive(supplies.store_a, supplies.kn95, 10, actor=z.admin_a)
    for actor, depot in [
        (z.keeper, supplies.store_a),
        (z.admin_a, supplies.store_b),
        (z.admin_a, supplies.zone_depot),
        (z.officer_b, supplies.zone_depot),
        (z.gate_a, supplies.store_a),
        (z.volunteer, supplies.zone_depot),
    ]:
        with pytest.raises(NotFound):
            supplies.receive(depot, supplies.kn95, 1, actor=actor)
    with pytest.raises(NotFound):  # an admin moves stock only between the depots they run
        post(
            z.admin_a,
            kind="transfer",
            item=supplies.kn95,
            quantity=D(1),
            depot=supplies.store_a,
            to_depot=supplies.store_b,
        )


def test_the_keeper_is_told_once_per_crossing_of_the_threshold(supplies):
    keeper = supplies.zone.keeper
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    services.threshold_set(
        actor=supplies.zone.commander, depot=supplies.zone_depot, item=supplies.kn95, threshold=D(50)
    )
    told = Notification.objects.filter(recipient=keeper)
    supplies.issue(supplies.zone_depot, supplies.kn95, 40)
    assert told.count() == 0
    supplies.issue(supplies.zone_depot, supplies.kn95, 20)  # 40 left: below
    supplies.issue(supplies.zone_depot, supplies.kn95, 10)  # still below: no second message
    assert told.count() == 1
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)  # 130: back above
    supplies.issue(supplies.zone_depot, supplies.kn95, 100)  # 30: below again
    assert told.count() == 2


def test_a_count_becomes_adjustments(supplies):
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    supplies.receive(supplies.zone_depot, supplies.alcohol, 30)
    entries = services.count_apply(
        actor=supplies.zone.commander,
        counts=[
            services.Count(depot=supplies.zone_depot, item=supplies.kn95, counted=D(97)),
            services.Count(depot=supplies.zone_depot, item=supplies.alcohol, counted=D(30)),
        ],
        reason="月末盘点",
    )
    assert [(e.kind, e.quantity) for e in entries] == [("adjustment", D(-3))]
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == D(97)
