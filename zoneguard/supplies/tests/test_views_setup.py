"""The setting-up page: those who run supplies add items and depots and withdraw items; the
commander alone edits the priority table; a bad form changes nothing; outsiders get nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from zoneguard.audit.models import AuditEvent
from zoneguard.supplies.models import Depot, Item, PriorityRule

pytestmark = pytest.mark.django_db


def test_an_officer_who_runs_supplies_adds_an_item_and_a_depot(supplies, client_for):
    client = client_for("officer_a")
    page = client.get("/supplies/setup/").content.decode()
    assert "KN95口罩" in page and "园区物资库" in page and 'id="rule-form"' not in page
    item = {"form": "item", "item-name": "医用防护服", "item-category": "other", "item-unit": "套"}
    assert client.post("/supplies/setup/", item).status_code == 302
    added = Item.objects.get(name="医用防护服")
    assert (added.unit, added.is_active) == ("套", True)
    keeper = supplies.zone.users["keeper"]
    depot = {"form": "depot", "depot-name": "青峰社区站", "depot-kind": "community", "depot-keeper": keeper.pk}
    assert client.post("/supplies/setup/", depot).status_code == 302
    assert Depot.objects.get(name="青峰社区站").keeper == keeper
    assert AuditEvent.objects.filter(detail__action__in=["item_create", "depot_create"]).count() == 2


def test_a_bad_form_or_a_duplicate_name_changes_nothing(supplies, client_for):
    client = client_for("officer_a")
    before = Item.objects.count()
    duplicate = client.post(
        "/supplies/setup/", {"form": "item", "item-name": "KN95口罩", "item-category": "other", "item-unit": "只"}
    )
    assert duplicate.status_code == 200 and duplicate.context["item_form"].errors
    empty = client.post("/supplies/setup/", {"form": "depot", "depot-name": "", "depot-kind": "zone"})
    assert empty.status_code == 200 and "name" in empty.context["depot_form"].errors
    assert (Item.objects.count(), Depot.objects.count()) == (before, 3)


def test_a_withdrawn_item_is_offered_in_no_new_post(supplies, client_for):
    client = client_for("officer_a")
    assert client.post(f"/supplies/setup/items/{supplies.alcohol.pk}/active/", {"active": "0"}).status_code == 302
    supplies.alcohol.refresh_from_db()
    assert not supplies.alcohol.is_active
    assert "75%酒精" not in client.get("/supplies/ledger/").context["form"].fields["item"].queryset.values_list(
        "name", flat=True
    )
    client.post(f"/supplies/setup/items/{supplies.alcohol.pk}/active/", {"active": "1"})
    supplies.alcohol.refresh_from_db()
    assert supplies.alcohol.is_active


def test_only_the_commander_edits_the_priority_table(supplies, client_for, zone):
    rule = {"form": "rule", "rule-rank": "1", "rule-label": "建筑工地", "rule-organisation_kind": "building_project"}
    client_for("officer_a").post("/supplies/setup/", rule)
    assert not PriorityRule.objects.exists()
    commander = client_for("commander")
    assert 'id="rule-form"' in commander.get("/supplies/setup/").content.decode()
    assert commander.post("/supplies/setup/", {**rule, "rule-sector": zone.sector_construction.pk}).status_code == 302
    added = PriorityRule.objects.get()
    assert (added.rank, added.sector, added.organisation_kind) == (1, zone.sector_construction, "building_project")
    assert "建筑工地" in commander.get("/supplies/setup/").content.decode()
    assert client_for("officer_a").post(f"/supplies/setup/priorities/{added.pk}/delete/").status_code == 404
    assert commander.post(f"/supplies/setup/priorities/{added.pk}/delete/").status_code == 302
    assert not PriorityRule.objects.exists()


def test_outsiders_get_nothing(supplies, client_for, device_for):
    item = {"form": "item", "item-name": "外人口罩", "item-category": "other", "item-unit": "只"}
    for username in ("admin_a", "officer_b", "keeper", "gate_a", "volunteer"):
        client = client_for(username)
        assert client.get("/supplies/setup/").status_code == 403, username
        assert client.post("/supplies/setup/", item).status_code == 403
        assert client.post(f"/supplies/setup/items/{supplies.kn95.pk}/active/", {"active": "0"}).status_code in {
            403,
            404,
        }
    assert Client().get("/supplies/setup/").status_code == 302
    assert device_for(supplies.zone.site_a).post("/supplies/setup/", item).status_code == 302
    supplies.kn95.refresh_from_db()
    assert supplies.kn95.is_active and not Item.objects.filter(name="外人口罩").exists()


def test_the_item_s_button_says_what_it_does_in_chinese(supplies, client_for):
    # The status reads 在用 / 已停用 and the way back 重新启用: the button is 停用, not 撤回 (take back
    # a request), which would leave the officer guessing what it does to the item.
    page = client_for("officer_a").get("/supplies/setup/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">停用</button>" in page and ">撤回</button>" not in page


def test_the_keeper_choice_offers_only_those_the_opener_may_choose(supplies):
    from zoneguard.core.roles import Role
    from zoneguard.supplies import selectors
    from zoneguard.testing import make_user

    z = supplies.zone
    clerk = make_user("clerk_project", Role.GATE_OFFICER, organisation=z.project)
    admin_a = set(selectors.keeper_choices(actor=z.admin_a))
    assert admin_a == {z.admin_a, z.gate_a, clerk}
    assert set(selectors.keeper_choices(actor=z.admin_a, organisation=z.enterprise_a)) == admin_a
    assert z.keeper in set(selectors.keeper_choices(actor=z.officer_a))  # those who run supplies: anyone active
    assert not selectors.keeper_choices(actor=z.volunteer).exists()
