"""The rules of plausibility.py over plain data: no database."""

from datetime import date
from decimal import Decimal

import pytest

from zoneguard.core.errors import Conflict, InvalidInput
from zoneguard.dispatch import plausibility

TODAY = date(2026, 12, 5)


def test_the_earliest_start_is_ten_years_before_the_plan_and_never_before_the_calendar() -> None:
    assert plausibility.earliest_day(2026) == date(2016, 1, 1)
    assert plausibility.earliest_day(2005) == date(2000, 1, 1)


@pytest.mark.parametrize(
    ("day", "code"),
    [(date(2000, 1, 1), "too_early"), (date(2015, 12, 31), "too_early"), (date(2026, 12, 6), "future")],
)
def test_an_actual_day_has_happened_and_not_long_before_the_plan(day: date, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        plausibility.check_actual_day(day, plan_year=2026, today=TODAY, field="actual_start")
    assert (list(error.value.errors), error.value.code) == (["actual_start"], code)


@pytest.mark.parametrize("day", [date(2016, 1, 1), TODAY])
def test_an_actual_day_in_the_window_passes(day: date) -> None:
    plausibility.check_actual_day(day, plan_year=2026, today=TODAY, field="actual_start")


def test_a_change_of_status_comes_after_the_last_one() -> None:
    with pytest.raises(InvalidInput) as error:
        plausibility.check_status_day(date(2026, 3, 1), last_change=date(2026, 3, 2), plan_year=2026, today=TODAY)
    assert (list(error.value.errors), error.value.code) == (["on"], "before_last_change")
    plausibility.check_status_day(date(2026, 3, 2), last_change=date(2026, 3, 2), plan_year=2026, today=TODAY)


def test_progress_waits_for_the_start_and_counts_from_its_month() -> None:
    with pytest.raises(Conflict) as not_started:
        plausibility.check_progress_month(date(2020, 2, 1), status="planned", actual_start=None, planned_start=None)
    assert not_started.value.code == "not_started"
    with pytest.raises(InvalidInput) as before:
        plausibility.check_progress_month(
            date(2020, 2, 1), status="under_construction", actual_start=date(2020, 3, 31), planned_start=None
        )
    assert (list(before.value.errors), before.value.code) == (["month"], "before_start")
    # The actual start decides once known: a project may start before its plan said.
    plausibility.check_progress_month(
        date(2020, 3, 1), status="suspended", actual_start=date(2020, 3, 31), planned_start=date(2020, 6, 1)
    )
    with pytest.raises(InvalidInput):
        plausibility.check_progress_month(
            date(2020, 5, 1), status="under_construction", actual_start=None, planned_start=date(2020, 6, 1)
        )


def test_contracts_stay_within_the_total_investment() -> None:
    plausibility.check_contracted(contracted=Decimal("12000.50"), total_investment=Decimal("12000.50"), field="amount")
    with pytest.raises(InvalidInput) as error:
        plausibility.check_contracted(
            contracted=Decimal("999999.00"), total_investment=Decimal("12000.50"), field="amount"
        )
    assert list(error.value.errors) == ["amount"] and "12000.50" in error.value.message


def test_a_risk_is_due_on_or_after_the_day_it_was_raised() -> None:
    plausibility.check_risk_dates(raised_on=TODAY, due_on=TODAY, plan_year=2026, today=TODAY)
    for raised_on, due_on, field in (
        (TODAY, date(2001, 1, 1), "due_on"),
        (date(2026, 12, 6), date(2027, 1, 1), "raised_on"),
        (date(2001, 1, 1), date(2001, 2, 1), "raised_on"),
    ):
        with pytest.raises(InvalidInput) as error:
            plausibility.check_risk_dates(raised_on=raised_on, due_on=due_on, plan_year=2026, today=TODAY)
        assert list(error.value.errors) == [field]


def test_a_start_planned_after_the_plan_s_year_is_refused_whatever_the_horizon() -> None:
    with pytest.raises(InvalidInput) as error:
        plausibility.check_plan(plan_year=2020, planned_start=date(2021, 1, 1), changed=set())
    assert (list(error.value.errors), error.value.code) == (["planned_start"], "start_after_plan_year")
    plausibility.check_plan(plan_year=2020, planned_start=date(2019, 10, 1), changed=set())


def test_a_risk_is_resolved_on_a_day_that_has_come_not_before_it_was_raised() -> None:
    with pytest.raises(InvalidInput) as future:
        plausibility.check_risk_resolved(date(2026, 12, 6), raised_on=date(2026, 3, 1), today=TODAY)
    assert (list(future.value.errors), future.value.code) == (["on"], "future")
    with pytest.raises(InvalidInput) as before:
        plausibility.check_risk_resolved(date(2026, 2, 28), raised_on=date(2026, 3, 1), today=TODAY)
    assert (list(before.value.errors), before.value.code) == (["on"], "resolved_before_raised")
    plausibility.check_risk_resolved(date(2026, 3, 1), raised_on=date(2026, 3, 1), today=TODAY)
    plausibility.check_risk_resolved(TODAY, raised_on=date(2026, 3, 1), today=TODAY)


@pytest.mark.parametrize(
    ("planned_on", "achieved_on", "field", "code"),
    [
        (date(2099, 1, 1), None, "planned_on", "too_far_ahead"),
        (date(2001, 1, 1), None, "planned_on", "too_early"),
        (date(2026, 6, 1), date(2026, 12, 6), "achieved_on", "future"),
        (date(2026, 6, 1), date(2001, 1, 1), "achieved_on", "too_early"),
    ],
)
def test_a_milestone_is_planned_as_a_start_is_and_achieved_on_a_day_that_has_come(
    planned_on: date, achieved_on: date | None, field: str, code: str
) -> None:
    from unittest import mock

    changed = {"planned_on", "achieved_on"}
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY), pytest.raises(InvalidInput) as error:
        plausibility.check_milestone(
            planned_on=planned_on, achieved_on=achieved_on, plan_year=2026, today=TODAY, changed=changed
        )
    assert (list(error.value.errors), error.value.code) == ([field], code)


def test_a_milestone_s_days_are_checked_when_they_change_only() -> None:
    plausibility.check_milestone(
        planned_on=date(2001, 1, 1), achieved_on=date(2001, 1, 1), plan_year=2026, today=TODAY, changed={"name"}
    )
