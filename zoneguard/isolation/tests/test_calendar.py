"""The isolation calendar's rules, on plain dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zoneguard.isolation import calendar as rules

START = date(2020, 2, 1)


def test_a_period_of_fourteen_days_ends_on_the_fourteenth():
    assert rules.end_date(START, 14) == date(2020, 2, 14)
    assert len(rules.period(START, rules.end_date(START, 14))) == 14
    assert rules.end_date(START, 1) == START


def test_a_day_is_missed_once_over_with_fewer_readings_than_asked():
    end = rules.end_date(START, 14)
    readings = {date(2020, 2, 1): 2, date(2020, 2, 2): 1, date(2020, 2, 4): 2, date(2020, 2, 5): 1}
    days = rules.calendar(
        start=START, end=end, readings_per_day=2, readings=readings, today=date(2020, 2, 5), closed_on=None
    )
    states = {d.day.day: d.state for d in days[:6]}
    # 2nd: one of two readings; 3rd: none; 5th: today, one so far (due, not missed); 6th: to come.
    assert states == {1: "done", 2: "missed", 3: "missed", 4: "done", 5: "due", 6: "future"}
    assert rules.missed_days(
        start=START, end=end, readings_per_day=2, readings=readings, today=date(2020, 2, 5), closed_on=None
    ) == [date(2020, 2, 2), date(2020, 2, 3)]
    # With one reading a day, the 2nd was enough.
    assert rules.missed_days(
        start=START, end=end, readings_per_day=1, readings=readings, today=date(2020, 2, 5), closed_on=None
    ) == [date(2020, 2, 3)]


def test_nothing_is_asked_after_a_case_closed():
    end = rules.end_date(START, 14)
    days = rules.calendar(
        start=START, end=end, readings_per_day=1, readings={}, today=date(2020, 2, 20), closed_on=date(2020, 2, 3)
    )
    assert [d.state for d in days[:4]] == ["missed", "missed", "due", "future"]
    assert all(d.state == "future" for d in days[3:])


def test_alarming_readings():
    assert rules.is_alarming(Decimal("37.3"), [])
    assert not rules.is_alarming(Decimal("37.2"), ["cough"])
    assert rules.is_alarming(Decimal("36.5"), ["shortness_of_breath"])


def test_a_day_holds_two_readings_at_most():
    assert rules.next_slot([]) == 1
    assert rules.next_slot([1]) == 2
    assert rules.next_slot([2]) == 1
    assert rules.next_slot([1, 2]) is None
