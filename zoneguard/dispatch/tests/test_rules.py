"""The pure rules: project status order, share of plan, lead stage moves and conversion times."""

from datetime import date
from decimal import Decimal

import pytest

from zoneguard.dispatch import funnel, lifecycle


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("planned", "under_construction", True),
        ("planned", "completed", False),
        ("under_construction", "suspended", True),
        ("suspended", "resumed", True),
        ("suspended", "completed", False),
        ("resumed", "suspended", True),
        ("resumed", "under_construction", False),
        ("resumed", "completed", True),
        ("completed", "resumed", False),
    ],
)
def test_it_orders_project_statuses(current: str, new: str, allowed: bool) -> None:
    assert lifecycle.may_change(current, new) is allowed


def test_it_computes_the_share_of_plan_exactly() -> None:
    assert lifecycle.share_of_plan(Decimal("1"), Decimal("3")) == Decimal("33.33")
    assert lifecycle.share_of_plan(Decimal("2"), Decimal("3")) == Decimal("66.67")
    assert lifecycle.share_of_plan(Decimal("0.005"), Decimal("1")) == Decimal("0.50")
    assert lifecycle.share_of_plan(Decimal("5"), Decimal("0")) is None
    assert lifecycle.share_of_plan(None, Decimal("10")) == Decimal("0.00")


def test_it_moves_leads_forward_freely_and_back_only_with_a_reason() -> None:
    assert funnel.move("contact", "signed") == funnel.FORWARD
    assert funnel.move("signed", "visit") == funnel.BACK_NEEDS_REASON
    assert funnel.move("signed", "visit", reason="  ") == funnel.BACK_NEEDS_REASON
    assert funnel.move("signed", "visit", reason="对方暂停投资计划") == funnel.BACK
    assert funnel.move("visit", "visit") == funnel.SAME


def test_it_counts_skipped_stages_as_reached_the_day_they_were_passed() -> None:
    reached = funnel.first_reached([(1, "contact", date(2020, 2, 1)), (1, "signed", date(2020, 2, 11))])
    assert reached[1] == {
        "contact": date(2020, 2, 1),
        "visit": date(2020, 2, 11),
        "negotiation": date(2020, 2, 11),
        "signed": date(2020, 2, 11),
    }


def test_it_takes_the_median_days_of_each_step() -> None:
    changes = [
        (1, "contact", date(2020, 2, 1)),
        (1, "visit", date(2020, 2, 3)),
        (2, "contact", date(2020, 2, 1)),
        (2, "visit", date(2020, 2, 6)),
        (3, "contact", date(2020, 2, 1)),
        (3, "visit", date(2020, 2, 21)),
        (4, "contact", date(2020, 2, 1)),
        (4, "visit", date(2020, 2, 2)),
        # moved back, then forward again: the first time it reached a stage counts
        (4, "contact", date(2020, 2, 5)),
        (4, "visit", date(2020, 2, 9)),
    ]
    steps = funnel.conversion_days(funnel.first_reached(changes))
    assert steps[0] == ("contact", "visit", 4, Decimal("3.5"))
    assert steps[1] == ("visit", "negotiation", 0, None)
