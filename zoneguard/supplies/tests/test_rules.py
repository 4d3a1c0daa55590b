"""The pure rules: days of cover on a hand-checked example, and the priority order."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from zoneguard.supplies import cover, priorities


def test_it_reports_use_as_the_sum_of_drops_between_consecutive_reports():
    # 5000 → 4200 (800 used) → 4500 (a delivery, not use) → 3900 (600 used): 1400.
    levels = [(date(2020, 2, 3), 4200), (date(2020, 2, 2), 5000), (date(2020, 2, 4), 4500), (date(2020, 2, 5), 3900)]
    assert cover.reported_use(levels) == 1400
    assert cover.reported_use([]) == 0
    assert cover.reported_use([(date(2020, 2, 2), 10)]) == 0


def test_it_computes_days_of_cover_on_a_hand_checked_example():
    # 700 issued over 7 days is 100 a day; 1,250 on hand last 12.5 days.
    assert cover.days_of_cover(stock=Decimal("1250"), issued=Decimal("700")) == Decimal("12.5")
    # The reports show more use (1,400 over the week, 200 a day): 1,250 / 200 = 6.25 → 6.2.
    assert cover.days_of_cover(stock=Decimal("1250"), issued=Decimal("700"), reported=Decimal("1400")) == Decimal("6.2")
    # 1,000 issued in 7 days, 30 on hand: 30 / (1000/7) = 0.21 → 0.2 days.
    assert cover.days_of_cover(stock=Decimal("30"), issued=Decimal("1000")) == Decimal("0.2")


def test_it_leaves_the_cover_unknown_when_nothing_was_used():
    assert cover.days_of_cover(stock=Decimal("500"), issued=Decimal("0")) is None


def candidate(key, kind, sector="", on_site=False, needed_by=date(2020, 2, 10), hour=9):
    return priorities.Candidate(
        key=key,
        organisation_kind=kind,
        sector_code=sector,
        workers_on_site=on_site,
        needed_by=needed_by,
        created_at=datetime(2020, 2, 1, hour),
    )


RULES = [
    priorities.Rule(rank=1, organisation_kind="enterprise", sector_code="medical"),
    priorities.Rule(rank=2, organisation_kind="building_project", workers_on_site=True),
    priorities.Rule(rank=3, organisation_kind="market"),
    priorities.Rule(rank=4, organisation_kind="enterprise"),
]


def test_it_serves_medical_producers_then_sites_with_workers_then_markets_then_enterprises():
    requests = [
        candidate(1, "enterprise", "ict"),
        candidate(2, "market"),
        candidate(3, "building_project", "construction", on_site=True),
        candidate(4, "enterprise", "medical"),
        candidate(5, "building_project", "construction", on_site=False),
    ]
    ordered = priorities.order_requests(requests, RULES)
    assert [(c.key, rank) for c, rank in ordered] == [(4, 1), (3, 2), (2, 3), (1, 4), (5, priorities.UNRANKED)]


def test_it_breaks_ties_by_date_needed_then_by_age():
    requests = [
        candidate(1, "market", needed_by=date(2020, 2, 12)),
        candidate(2, "market", needed_by=date(2020, 2, 10), hour=11),
        candidate(3, "market", needed_by=date(2020, 2, 10), hour=10),
    ]
    assert [c.key for c, _rank in priorities.order_requests(requests, RULES)] == [3, 2, 1]


def test_it_takes_the_table_as_data():
    rules = [priorities.Rule(rank=1, organisation_kind="market"), priorities.Rule(rank=2)]
    ordered = priorities.order_requests([candidate(1, "enterprise", "medical"), candidate(2, "market")], rules)
    assert [(c.key, rank) for c, rank in ordered] == [(2, 1), (1, 2)]
