"""Per-department figures for a period, as a pure function over plain rows (no database).

A request counts for the department that holds it now, in the period it was filed in; "overdue
now" counts every open request of the department past its limit, whenever filed. Times to
resolve run from filing to the (last) answer, in hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from math import ceil

from . import lifecycle


@dataclass(frozen=True)
class Row:
    department_id: int | None
    status: str
    filed_at: datetime
    accept_due: datetime
    resolve_due: datetime
    first_accepted_at: datetime | None
    resolved_at: datetime | None
    reopen_count: int
    rating: int | None


@dataclass
class Figures:
    department_id: int | None
    received: int = 0
    accepted_in_time: int = 0
    resolved: int = 0
    overdue_now: int = 0
    reopened: int = 0
    withdrawn: int = 0
    median_hours: Decimal | None = None
    p90_hours: Decimal | None = None
    average_rating: Decimal | None = None
    _hours: list[float] = field(default_factory=list, repr=False)
    _ratings: list[int] = field(default_factory=list, repr=False)


def _round(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, ceil(share * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def department_figures(
    rows: Iterable[Row], *, start: datetime, end: datetime, now: datetime
) -> dict[int | None, Figures]:
    """Figures per department for requests filed in [start, end)."""
    result: dict[int | None, Figures] = {}
    for row in rows:
        figures = result.setdefault(row.department_id, Figures(row.department_id))
        if lifecycle.is_overdue(status=row.status, accept_due=row.accept_due, resolve_due=row.resolve_due, now=now):
            figures.overdue_now += 1
        if not start <= row.filed_at < end:
            continue
        figures.received += 1
        if row.first_accepted_at is not None and row.first_accepted_at <= row.accept_due:
            figures.accepted_in_time += 1
        if row.status in lifecycle.DONE and row.resolved_at is not None:
            figures.resolved += 1
            figures._hours.append((row.resolved_at - row.filed_at).total_seconds() / 3600)
        if row.reopen_count:
            figures.reopened += 1
        if row.status == lifecycle.WITHDRAWN:
            figures.withdrawn += 1
        if row.rating is not None:
            figures._ratings.append(row.rating)
    for figures in result.values():
        if figures._hours:
            figures.median_hours = _round(median(figures._hours))
            figures.p90_hours = _round(percentile(figures._hours, 0.9))
        if figures._ratings:
            figures.average_rating = (Decimal(sum(figures._ratings)) / len(figures._ratings)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
    return result
