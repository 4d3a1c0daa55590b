"""What a canvassing round found, rolled up: pure rules over plain data.

A shop visited more than once (in two rounds, or corrected) counts by its latest visit: the
roll-up is the community's picture as it stands. The checks of an open shop that were not
answered (None) count neither way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class VisitFacts:
    shop_id: int
    visited_at: datetime
    is_open: bool
    masks_worn: bool | None = None
    staff_registered: bool | None = None
    disinfection_done: bool | None = None


@dataclass(frozen=True)
class Rollup:
    shops_visited: int = 0
    open: int = 0
    closed: int = 0
    without_registration: int = 0
    without_masks: int = 0
    without_disinfection: int = 0


def needs_follow_up(facts: VisitFacts) -> bool:
    """An open shop whose staff are not registered becomes a to-do for its community: it may trade
    only once the community has its staff on record (排查登记)."""
    return facts.is_open and facts.staff_registered is False


def latest_per_shop(visits: Iterable[VisitFacts]) -> list[VisitFacts]:
    latest: dict[int, VisitFacts] = {}
    for visit in visits:
        known = latest.get(visit.shop_id)
        if known is None or visit.visited_at >= known.visited_at:
            latest[visit.shop_id] = visit
    return list(latest.values())


def rollup(visits: Iterable[VisitFacts]) -> Rollup:
    current = latest_per_shop(visits)
    opened = [v for v in current if v.is_open]
    return Rollup(
        shops_visited=len(current),
        open=len(opened),
        closed=len(current) - len(opened),
        without_registration=sum(1 for v in opened if v.staff_registered is False),
        without_masks=sum(1 for v in opened if v.masks_worn is False),
        without_disinfection=sum(1 for v in opened if v.disinfection_done is False),
    )
