"""The demo zone's supplies tell the story, and no page is empty."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from zoneguard.demo.builder import load_demo_zone
from zoneguard.supplies.models import Depot, SupplyRequest
from zoneguard.supplies.stock import on_hand

pytestmark = pytest.mark.django_db


def test_the_demo_has_its_depots_stock_and_requests():
    load_demo_zone()
    zone_depot = Depot.objects.get(name="高新区防疫物资库")
    jinhua = Depot.objects.get(name="金化科技自有仓库")
    assert on_hand(zone_depot.pk, zone_depot.levels.get(item__name="KN95口罩").item_id) == Decimal(3000)
    assert on_hand(jinhua.pk, jinhua.levels.get(item__name="医用外科口罩").item_id) >= 20000
    assert SupplyRequest.objects.get(organisation__name="衡阳中兴网信科技有限公司").status == "handed_over"
    assert SupplyRequest.objects.filter(status="pending").exists()
    from zoneguard.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="officer"))
    for url in ("/supplies/", "/supplies/ledger/", "/supplies/requests/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "colspan" not in page.content.decode(), url  # the "nothing yet" row of an empty table
