"""The story in the demo: 高投集团's building projects all resumed, with progress, contracts and
payments; leads in 5G, AI, IoT and smart transport at various stages. Loading twice adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zoneguard.accounts.models import User
from zoneguard.demo.builder import load_demo_zone
from zoneguard.dispatch import selectors
from zoneguard.dispatch.models import Disbursement, Lead, MonthlyProgress, Project


def test_the_story_is_in_the_demo_and_loads_once(db: Any) -> None:
    zone = load_demo_zone(password="demo-password-1")
    group = Project.objects.filter(owner__name="衡阳高新投资(集团)有限公司")
    assert group.count() == 6
    assert set(group.values_list("status", flat=True)) == {"resumed"}
    assert all(p.building_sites.count() == 1 for p in group)
    commander = zone.users["commander"]
    totals = selectors.project_totals(selectors.project_list(actor=commander))
    assert totals.paid_total == sum(Disbursement.objects.values_list("amount", flat=True))
    assert totals.paid_total > Decimal("0")
    sectors = set(Lead.objects.values_list("sector", flat=True))
    assert {"5g", "ai", "iot", "smart_transport"} <= sectors
    stages = set(Lead.objects.values_list("stage", flat=True))
    assert {"contact", "visit", "negotiation", "signed", "registered", "started"} <= stages
    started = Lead.objects.get(stage="started")
    assert started.organisation is not None and started.project is not None
    # The department's officer and the group's admin see the projects; the funnel is 招商局's.
    assert selectors.project_list(actor=User.objects.get(username="jianshe")).count() == 6
    assert selectors.project_list(actor=User.objects.get(username="gaotou")).count() == 6
    assert (
        selectors.lead_funnel(actor=User.objects.get(username="zhaoshang")).reached["contact"] == Lead.objects.count()
    )
    counts = (
        Project.objects.count(),
        Lead.objects.count(),
        MonthlyProgress.objects.count(),
        Disbursement.objects.count(),
    )
    load_demo_zone(password="demo-password-1")
    assert (
        Project.objects.count(),
        Lead.objects.count(),
        MonthlyProgress.objects.count(),
        Disbursement.objects.count(),
    ) == counts
