"""When an item is overdue, when its responsible person is reminded and when its department's head
is told. Plain functions over local days (Asia/Shanghai): an item is due by the end of its day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

# The head hears of an item the day after its person was due to be reminded: one more day to act.
ESCALATE_AFTER_DAYS = 1


def is_overdue(*, due_on: date, done: bool, today: date) -> bool:
    """Not reported done by the end of its day: overdue from the next local day on."""
    return not done and today > due_on


def reminder_due(*, due_on: date, done: bool, today: date, reminded_at: datetime | None) -> bool:
    return is_overdue(due_on=due_on, done=done, today=today) and reminded_at is None


def escalation_due(*, due_on: date, done: bool, today: date, escalated_at: datetime | None) -> bool:
    """Still not done a full day after it became overdue, and the head not told yet."""
    return not done and escalated_at is None and today > due_on + timedelta(days=ESCALATE_AFTER_DAYS)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, last - timedelta(days=1)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return first, following - timedelta(days=1)


def previous_month(month: date) -> date:
    first = month.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)
