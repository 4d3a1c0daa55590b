"""Days of cover: how long a depot's stock of an item lasts at the recent rate of use.

The rate is measured over the last WINDOW_DAYS days from two sources, whichever shows more use
(they describe the same masks, so adding them would count some twice):
- the issues out of the depot (transfers out count too: the stock left);
- for masks in an organisation's own store, the drops of "masks in stock" between consecutive
  daily reports (a rise is a delivery, not negative use).
No use in the window: the cover is unknown (None), not infinite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal
from itertools import pairwise

WINDOW_DAYS = 7


def reported_use(levels: Sequence[tuple[date, int]]) -> int:
    """Masks used according to daily reports: the sum of the drops between consecutive reports."""
    ordered = sorted(levels)
    return sum(max(0, before - after) for (_d1, before), (_d2, after) in pairwise(ordered))


def daily_use(*, issued: Decimal, reported: Decimal = Decimal("0"), window_days: int = WINDOW_DAYS) -> Decimal:
    return max(issued, reported) / window_days


def days_of_cover(
    *, stock: Decimal, issued: Decimal, reported: Decimal = Decimal("0"), window_days: int = WINDOW_DAYS
) -> Decimal | None:
    """Whole and tenth days the stock lasts (rounded down), None when nothing was used."""
    used = max(issued, reported)
    if used <= 0:
        return None
    # stock / (used / window), written so that no rounded rate enters the division.
    return (max(stock, Decimal("0")) * window_days / used).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
