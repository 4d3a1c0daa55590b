"""The isolation calendar, as plain functions over dates (no database).

- A case's period covers `days` calendar days from its start, both ends included: started on
  1 March for 14 days, it ends on 14 March, the day the worker may release it.
- Each day of the period asks for `readings_per_day` readings (1, or 2 where the rule says so).
  A day is *missed* once it is over (before today) with fewer readings than asked; today's are
  *due* until midnight. Days after release are not asked for.
- A reading of 37.3 °C or more, or a red-flag symptom, is *alarming*: it opens an incident."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

FEVER = Decimal("37.3")
# Symptoms (health.Symptom values) that call for a doctor whatever the thermometer says.
RED_FLAGS = frozenset({"shortness_of_breath", "loss_of_taste_or_smell", "fever"})


def end_date(start: date, days: int) -> date:
    return start + timedelta(days=days - 1)


def period(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def is_alarming(temperature: Decimal | None, symptoms: Iterable[str]) -> bool:
    return (temperature is not None and temperature >= FEVER) or bool(RED_FLAGS.intersection(symptoms))


@dataclass(frozen=True)
class Day:
    day: date
    readings: int
    asked: int
    state: str  # "done", "missed", "due" (today, not complete), "future"


def calendar(
    *, start: date, end: date, readings_per_day: int, readings: Mapping[date, int], today: date, closed_on: date | None
) -> list[Day]:
    """Every day of the period with what was recorded and what it means. A closed case asks
    nothing after the day it was closed."""
    days = []
    for day in period(start, end):
        count = readings.get(day, 0)
        if count >= readings_per_day:
            state = "done"
        elif (closed_on is not None and day > closed_on) or day > today:
            state = "future"
        elif day in (today, closed_on):
            state = "due"
        else:
            state = "missed"
        days.append(Day(day, count, readings_per_day, state))
    return days


def missed_days(
    *, start: date, end: date, readings_per_day: int, readings: Mapping[date, int], today: date, closed_on: date | None
) -> list[date]:
    return [
        d.day
        for d in calendar(
            start=start, end=end, readings_per_day=readings_per_day, readings=readings, today=today, closed_on=closed_on
        )
        if d.state == "missed"
    ]


# A day holds at most this many readings: the rule's one or two, or one re-check after a single one.
MAX_READINGS = 2


def next_slot(taken: Iterable[int]) -> int | None:
    """The reading a new follow-up of the day fills: the first slot not yet taken, or None when the
    day is full."""
    free = sorted(set(range(1, MAX_READINGS + 1)) - set(taken))
    return free[0] if free else None
