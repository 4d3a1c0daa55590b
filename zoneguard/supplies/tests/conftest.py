"""The supplies of the test zone: department A (经发) runs supplies, department B does not; a zone
depot kept by the `keeper` user, enterprise A's and enterprise B's own stores; KN95 masks and
alcohol."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from zoneguard.core.roles import Role
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (a gate's token: reaches nothing here)
from zoneguard.supplies import services
from zoneguard.supplies.models import Depot, DepotKind, Item, ItemCategory, SuppliesDuty
from zoneguard.testing import Zone, database_shared_by_threads, make_user


@dataclass
class Supplies:
    zone: Zone
    kn95: Item
    alcohol: Item
    zone_depot: Depot
    store_a: Depot
    store_b: Depot

    def receive(self, depot: Depot, item: Item, quantity: int | str, *, actor: Any = None) -> Any:
        return services.ledger_post(
            actor=actor or self.zone.commander,
            post=services.Post(kind="receipt", item=item, quantity=Decimal(quantity), depot=depot, source="purchase"),
        )

    def issue(self, depot: Depot, item: Item, quantity: int | str, *, actor: Any = None) -> Any:
        return services.ledger_post(
            actor=actor or self.zone.commander,
            post=services.Post(kind="issue", item=item, quantity=Decimal(quantity), depot=depot, recipient_name="张三"),
        )


def build_supplies(zone: Zone) -> Supplies:
    SuppliesDuty.objects.create(department=zone.department_a)
    zone.users["keeper"] = make_user("keeper", Role.COMMUNITY_WORKER, organisation=zone.community)
    return Supplies(
        zone=zone,
        kn95=Item.objects.create(name="KN95口罩", category=ItemCategory.MASK_N95, unit="只"),
        alcohol=Item.objects.create(name="75%酒精", category=ItemCategory.ALCOHOL, unit="瓶"),
        zone_depot=Depot.objects.create(name="园区物资库", kind=DepotKind.ZONE, keeper=zone.users["keeper"]),
        store_a=Depot.objects.create(name="企业甲仓库", kind=DepotKind.ENTERPRISE, organisation=zone.enterprise_a),
        store_b=Depot.objects.create(name="企业乙仓库", kind=DepotKind.ENTERPRISE, organisation=zone.enterprise_b),
    )


@pytest.fixture
def supplies(zone: Zone) -> Supplies:
    return build_supplies(zone)


@pytest.fixture
def concurrent_db(supplies: Supplies, tmp_path: Any) -> Any:
    with database_shared_by_threads(tmp_path):
        yield supplies
