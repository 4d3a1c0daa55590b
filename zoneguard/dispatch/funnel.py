"""An investment lead's stages and the funnel's figures, as plain data and functions (no database).

Stages come in order: contact → visit → negotiation → signed → registered → started. A lead moves
forward freely, skipping stages if it did (a company that signs at its first visit); moving back
(talks that broke down) needs a reason, so the history says why the funnel shrank. Staying at the
same stage is no change.

Conversion time from one stage to the next: for each lead that reached both, the days between the
first time it reached the one and the first time it reached the next; the figure is the median
over the leads (a few slow deals do not drag it as a mean would)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from itertools import pairwise
from statistics import median

CONTACT, VISIT, NEGOTIATION, SIGNED, REGISTERED, STARTED = (
    "contact",
    "visit",
    "negotiation",
    "signed",
    "registered",
    "started",
)
ORDER = (CONTACT, VISIT, NEGOTIATION, SIGNED, REGISTERED, STARTED)
RANK = {stage: index for index, stage in enumerate(ORDER)}

SAME, FORWARD, BACK_NEEDS_REASON, BACK = "same", "forward", "back_needs_reason", "back"


def move(current: str, new: str, *, reason: str = "") -> str:
    """What a change from `current` to `new` is: SAME (refused), FORWARD, BACK (with a reason)
    or BACK_NEEDS_REASON (refused)."""
    if RANK[new] == RANK[current]:
        return SAME
    if RANK[new] > RANK[current]:
        return FORWARD
    return BACK if reason.strip() else BACK_NEEDS_REASON


def reached(stage: str, at_least: str) -> bool:
    return RANK[stage] >= RANK[at_least]


def first_reached(changes: Iterable[tuple[int, str, date]]) -> dict[int, dict[str, date]]:
    """lead id → stage → the first day the lead was at that stage or beyond it.

    A lead that skipped a stage reached it the day it passed it: a company that signed at its
    first visit went through negotiation that day."""
    result: dict[int, dict[str, date]] = {}
    for lead_id, stage, day in sorted(changes, key=lambda change: (change[0], change[2], RANK[change[1]])):
        stages = result.setdefault(lead_id, {})
        for passed in ORDER[: RANK[stage] + 1]:
            if passed not in stages or day < stages[passed]:
                stages[passed] = day
    return result


def conversion_days(reached_on: Mapping[int, Mapping[str, date]]) -> list[tuple[str, str, int, Decimal | None]]:
    """(from stage, to stage, leads that made the step, median days) for each step of the funnel."""
    rows = []
    for before, after in pairwise(ORDER):
        days = [
            (stages[after] - stages[before]).days
            for stages in reached_on.values()
            if before in stages and after in stages
        ]
        rows.append((before, after, len(days), Decimal(str(median(days))) if days else None))
    return rows
