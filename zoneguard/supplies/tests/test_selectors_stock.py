"""Stock rows: the sum of the ledger per depot and item, with days of cover from the week's issues
or, for masks in an organisation's own store, from its daily reports when they show more use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from zoneguard.reports.models import DailyReport
from zoneguard.supplies import selectors

pytestmark = pytest.mark.django_db


def report(zone, days_ago, masks):
    DailyReport.objects.create(
        organisation=zone.enterprise_a,
        day=timezone.localdate() - timedelta(days=days_ago),
        staff_on_duty=10,
        masks_in_stock=masks,
        filed_at=timezone.now(),
    )


def test_the_daily_reports_set_the_rate_of_mask_use_when_they_show_more(supplies):
    z = supplies.zone
    supplies.receive(supplies.store_a, supplies.kn95, 1140)
    supplies.issue(supplies.store_a, supplies.kn95, 140)
    supplies.receive(supplies.store_a, supplies.alcohol, 70)
    supplies.issue(supplies.store_a, supplies.alcohol, 14)
    # 1,000 → 700 → 800 (a delivery) → 500: 300 + 300 = 600 masks used over the week.
    for days_ago, masks in [(4, 1000), (3, 700), (2, 800), (1, 500)]:
        report(z, days_ago, masks)
    rows = {r.item.name: r for r in selectors.stock_rows(actor=z.admin_a)}
    masks = rows["KN95口罩"]
    assert (masks.quantity, masks.issued_last_week, masks.reported_use) == (Decimal(1000), Decimal(140), Decimal(600))
    assert masks.days_of_cover == Decimal("11.6")  # 1,000 × 7 / 600 = 11.67, rounded down
    # Alcohol is not in the reports: 56 left at 14 a week is 28 days.
    assert rows["75%酒精"].reported_use == 0 and rows["75%酒精"].days_of_cover == Decimal(28)


def test_the_zone_depot_goes_by_its_issues_alone(supplies):
    supplies.receive(supplies.zone_depot, supplies.kn95, 1000)
    supplies.issue(supplies.zone_depot, supplies.kn95, 700)
    report(supplies.zone, 1, 5)
    (row,) = selectors.stock_rows(actor=supplies.zone.keeper)
    assert (row.quantity, row.reported_use, row.days_of_cover) == (Decimal(300), 0, Decimal(3))
