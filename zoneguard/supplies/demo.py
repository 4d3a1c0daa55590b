"""The demo's prevention supplies, as the story ran: the investment group donated masks and
alcohol to the zone's depot; 金化科技 had bought tens of thousands of masks for its own store
before the holiday; 衡阳中兴网信 was short of masks, asked, and got KN95 from the zone's depot;
泓坤医疗's request for alcohol waits for an officer. 经发局 runs the supplies."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zoneguard.registry.models import Sector

from . import services
from .models import Depot, DepotKind, Item, ItemCategory, PriorityRule, SuppliesDuty

ITEMS = [
    ("一次性医用口罩", ItemCategory.MASK_MEDICAL, "只"),
    ("医用外科口罩", ItemCategory.MASK_SURGICAL, "只"),
    ("KN95口罩", ItemCategory.MASK_N95, "只"),
    ("75%酒精", ItemCategory.ALCOHOL, "瓶"),
    ("84消毒液", ItemCategory.DISINFECTANT, "升"),
    ("额温枪", ItemCategory.THERMOMETER, "支"),
    ("医用防护服", ItemCategory.PROTECTIVE_SUIT, "套"),
    ("中药预防汤剂", ItemCategory.HERBAL, "袋"),
]

# rank, label, kind, sector code, only with workers on site
PRIORITIES = [
    (1, "医疗物资生产企业", "enterprise", "medical", False),
    (2, "有工人在场的在建工地", "building_project", "", True),
    (3, "农贸市场", "market", "", False),
    (4, "其他企业", "enterprise", "", False),
]


def load(zone: Any) -> None:
    if Depot.objects.exists():  # loaded before: the story stands as it was
        return
    commander, officer, jinhua = zone.users["commander"], zone.users["officer"], zone.users["jinhua"]
    SuppliesDuty.objects.get_or_create(department=zone.departments["jingfa"])
    for rank, label, kind, sector, on_site in PRIORITIES:
        PriorityRule.objects.get_or_create(
            rank=rank,
            label=label,
            defaults={
                "organisation_kind": kind,
                "sector": Sector.objects.filter(code=sector).first() if sector else None,
                "workers_on_site": on_site,
            },
        )
    items = {}
    for name, category, unit in ITEMS:
        items[name], _created = Item.objects.get_or_create(name=name, defaults={"category": category, "unit": unit})
    group = zone.organisations["衡阳高新投资(集团)有限公司"]
    zone_depot = services.depot_create(
        actor=commander, name="高新区防疫物资库", kind=DepotKind.ZONE, keeper=officer, address="高新区管委会一楼"
    )
    jinhua_store = services.depot_create(
        actor=jinhua,
        name="金化科技自有仓库",
        kind=DepotKind.ENTERPRISE,
        organisation=zone.organisations["湖南金化科技集团有限公司"],
        keeper=jinhua,
    )

    def receive(
        depot: Depot, item: str, quantity: int, actor: Any, source: str, donor: str = "", note: str = ""
    ) -> None:
        post = services.Post(
            kind="receipt",
            item=items[item],
            quantity=Decimal(quantity),
            depot=depot,
            source=source,
            donor=donor,
            note=note,
        )
        services.ledger_post(actor=actor, post=post)

    receive(zone_depot, "KN95口罩", 5000, officer, source="donation", donor=group.name)
    receive(zone_depot, "医用外科口罩", 10000, officer, source="donation", donor=group.name)
    receive(zone_depot, "75%酒精", 600, officer, source="donation", donor=group.name)
    receive(zone_depot, "中药预防汤剂", 2000, officer, source="purchase", note="高新投为施工单位采购")
    receive(jinhua_store, "医用外科口罩", 30000, jinhua, source="purchase", note="节前采购")
    services.threshold_set(actor=officer, depot=zone_depot, item=items["KN95口罩"], threshold=Decimal(1000))
    services.ledger_post(
        actor=jinhua,
        post=services.Post(
            kind="issue",
            item=items["医用外科口罩"],
            quantity=Decimal(2640),
            depot=jinhua_store,
            recipient_name="复工员工（132人，每人每日两只，十天）",
        ),
    )

    today = timezone.localdate()
    zhongxing = services.request_create(
        actor=commander,
        organisation=zone.organisations["衡阳中兴网信科技有限公司"],
        needed_by=today + timedelta(days=2),
        reason="复工员工口罩短缺，市场上买不到合适价格的",
        lines=[{"item": items["KN95口罩"], "quantity": Decimal(2000)}],
    )
    services.request_allocate(
        actor=officer,
        request=zhongxing,
        allocations=[{"item": items["KN95口罩"], "depot": zone_depot, "quantity": Decimal(2000)}],
    )
    services.request_hand_over(actor=officer, request=zhongxing)
    services.request_create(
        actor=zone.users["hongkun"],
        organisation=zone.organisations["湖南泓坤医疗器械有限公司"],
        needed_by=today + timedelta(days=3),
        reason="生产车间每日消杀",
        lines=[
            {"item": items["75%酒精"], "quantity": Decimal(200)},
            {"item": items["KN95口罩"], "quantity": Decimal(600)},
        ],
    )
