"""Requests: allocated in part from two depots, handed over as issues, acknowledged; refused with
a reason; allocations hold the stock they take; transitions out of order are 409."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.notifications.models import Notification
from zoneguard.supplies import selectors, services, stock
from zoneguard.supplies.models import Item, ItemCategory, PriorityRule, RequestStatus, SupplyRequest
from zoneguard.supplies.stock import InsufficientStock

pytestmark = pytest.mark.django_db

D = Decimal


def ask(supplies, quantity=2000, actor=None, organisation=None):
    z = supplies.zone
    return services.request_create(
        actor=actor or z.admin_b,
        organisation=organisation or z.enterprise_b,
        needed_by=timezone.localdate() + timedelta(days=3),
        reason="复工员工每日两只",
        lines=[{"item": supplies.kn95, "quantity": D(quantity)}],
    )


def test_it_allocates_in_part_from_two_depots_hands_over_and_is_acknowledged(supplies):
    z = supplies.zone
    supplies.receive(supplies.zone_depot, supplies.kn95, 1200)
    supplies.receive(supplies.store_a, supplies.kn95, 500, actor=z.admin_a)
    request = ask(supplies, 2000)
    services.request_allocate(
        actor=z.officer_a,
        request=request,
        allocations=[
            {"item": supplies.kn95, "depot": supplies.zone_depot, "quantity": D(1000)},
            {"item": supplies.kn95, "depot": supplies.store_a, "quantity": D(300)},
        ],
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ALLOCATED
    # Allocated stock stays in the depot, held for the request: it is not issued elsewhere.
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == D(1200)
    with pytest.raises(InsufficientStock) as held:
        supplies.issue(supplies.zone_depot, supplies.kn95, 201)
    assert held.value.available == D(200)

    entries = services.request_hand_over(actor=z.officer_a, request=request)
    assert sorted((e.depot_id, e.kind, e.quantity, e.recipient_organisation_id) for e in entries) == sorted(
        [
            (supplies.zone_depot.pk, "issue", D(1000), z.enterprise_b.pk),
            (supplies.store_a.pk, "issue", D(300), z.enterprise_b.pk),
        ]
    )
    assert stock.on_hand(supplies.zone_depot.pk, supplies.kn95.pk) == D(200)
    assert stock.on_hand(supplies.store_a.pk, supplies.kn95.pk) == D(200)

    with pytest.raises(NotFound):
        services.request_acknowledge(actor=z.admin_a, request=request)
    services.request_acknowledge(actor=z.admin_b, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED and request.received_by == z.admin_b


def test_it_refuses_to_allocate_more_than_a_depot_holds_or_than_was_asked(supplies):
    z = supplies.zone
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    request = ask(supplies, 150)
    with pytest.raises(InsufficientStock) as short:
        services.request_allocate(
            actor=z.officer_a,
            request=request,
            allocations=[{"item": supplies.kn95, "depot": supplies.zone_depot, "quantity": D(120)}],
        )
    assert short.value.available == D(100)
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    with pytest.raises(InvalidInput):
        services.request_allocate(
            actor=z.officer_a,
            request=request,
            allocations=[{"item": supplies.kn95, "depot": supplies.zone_depot, "quantity": D(151)}],
        )
    assert request.allocations.count() == 0


def test_a_refused_request_gives_back_what_it_held(supplies):
    z = supplies.zone
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    request = ask(supplies, 100)
    services.request_allocate(
        actor=z.commander,
        request=request,
        allocations=[{"item": supplies.kn95, "depot": supplies.zone_depot, "quantity": D(100)}],
    )
    with pytest.raises(InvalidInput):
        services.request_refuse(actor=z.officer_a, request=request, reason=" ")
    services.request_refuse(actor=z.officer_a, request=request, reason="医疗物资优先")
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and request.refusal_reason == "医疗物资优先"
    told = Notification.objects.filter(recipient=z.users["keeper"]).order_by("-id").first()
    assert told is not None and "无需再交付" in str(told.title)  # the keeper was told to hand it over
    supplies.issue(supplies.zone_depot, supplies.kn95, 100)
    for transition in (services.request_hand_over, services.request_acknowledge):
        with pytest.raises(Conflict):
            transition(actor=z.commander, request=request)


def test_the_organisation_withdraws_its_request_and_the_keeper_learns_nothing_is_to_hand_over(supplies):
    z = supplies.zone
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    request = ask(supplies, 100)
    services.request_allocate(
        actor=z.commander,
        request=request,
        allocations=[{"item": supplies.kn95, "depot": supplies.zone_depot, "quantity": D(100)}],
    )
    # Not another organisation's admin, nor those who run supplies (they refuse, with a reason).
    for outsider in (z.admin_a, z.officer_a, z.commander):
        with pytest.raises(NotFound):
            services.request_withdraw(actor=outsider, request=request)
    services.request_withdraw(actor=z.admin_b, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN and not request.allocations.exists()
    supplies.issue(supplies.zone_depot, supplies.kn95, 100)  # what it held is free again
    told = Notification.objects.filter(recipient=z.users["keeper"]).order_by("-id").first()
    assert told is not None and "撤回" in str(told.title)
    assert AuditEvent.objects.filter(object_type="supplies.supplyrequest", detail__action="withdraw").count() == 1
    for transition in (services.request_withdraw, services.request_hand_over):
        with pytest.raises(Conflict):
            transition(actor=z.admin_b if transition is services.request_withdraw else z.commander, request=request)


def test_only_those_who_run_supplies_allocate_and_refuse(supplies):
    z = supplies.zone
    supplies.receive(supplies.zone_depot, supplies.kn95, 100)
    request = ask(supplies, 10)
    allocation = [{"item": supplies.kn95, "depot": supplies.zone_depot, "quantity": D(10)}]
    for actor in (z.officer_b, z.admin_b, z.admin_a, z.keeper, z.gate_a, z.volunteer):
        with pytest.raises(NotFound):
            services.request_allocate(actor=actor, request=request, allocations=allocation)
        with pytest.raises(NotFound):
            services.request_refuse(actor=actor, request=request, reason="x")
    services.request_allocate(actor=z.officer_a, request=request, allocations=allocation)
    with pytest.raises(NotFound):
        services.request_hand_over(actor=z.admin_b, request=request)
    services.request_hand_over(actor=z.keeper, request=request)  # the keeper of the depot it is from


def test_admins_request_for_their_own_organisation_only(supplies):
    z = supplies.zone
    with pytest.raises(NotFound):
        ask(supplies, actor=z.admin_a, organisation=z.enterprise_b)
    with pytest.raises(NotFound):
        ask(supplies, actor=z.officer_b, organisation=z.enterprise_b)
    with pytest.raises(InvalidInput):
        services.request_create(
            actor=z.admin_b,
            organisation=z.enterprise_b,
            needed_by=timezone.localdate() - timedelta(days=1),
            reason="x",
            lines=[{"item": supplies.kn95, "quantity": D(1)}],
        )


def test_supplies_are_asked_for_at_most_a_year_ahead(supplies):
    z = supplies.zone
    with pytest.raises(InvalidInput) as refused:
        services.request_create(
            actor=z.admin_b,
            organisation=z.enterprise_b,
            needed_by=date(2099, 3, 1),
            reason="x",
            lines=[{"item": supplies.kn95, "quantity": D(1)}],
        )
    assert (refused.value.code, list(refused.value.errors)) == ("too_far_ahead", ["needed_by"])
    assert not SupplyRequest.objects.exists()


def test_the_queue_follows_the_priority_table(supplies):
    z = supplies.zone
    market_request = ask(supplies, 10, actor=z.officer_a, organisation=z.market)
    enterprise_request = ask(supplies, 10)
    PriorityRule.objects.create(rank=1, label="市场", organisation_kind="market")
    PriorityRule.objects.create(rank=2, label="企业", organisation_kind="enterprise")
    queue = selectors.request_queue(actor=z.officer_a)
    assert [(r.pk, r.priority) for r in queue] == [(market_request.pk, 1), (enterprise_request.pk, 2)]
    assert [r.pk for r in selectors.request_queue(actor=z.admin_b)] == [enterprise_request.pk]
    assert selectors.request_queue(actor=z.officer_b) == []


def test_what_is_counted_in_pieces_is_asked_for_in_whole_pieces(supplies):
    z = supplies.zone
    with pytest.raises(InvalidInput) as half:
        ask(supplies, quantity="0.5")
    assert "整只" in half.value.message and not SupplyRequest.objects.exists()
    # Litres of disinfectant come in fractions.
    disinfectant = Item.objects.create(name="84消毒液", category=ItemCategory.DISINFECTANT, unit="升")
    request = services.request_create(
        actor=z.admin_b,
        organisation=z.enterprise_b,
        needed_by=timezone.localdate() + timedelta(days=3),
        reason="消杀",
        lines=[{"item": disinfectant, "quantity": D("2.5")}],
    )
    assert request.lines.get().quantity == D("2.5")
