"""A project's status, as plain data and functions (no database).

    planned ──▶ under_construction ──▶ completed
                      │    ▲               ▲
                      ▼    │               │
                   suspended ──▶ resumed ──┘
                      ▲             │
                      └─────────────┘

A project starts building once; it may be suspended (the epidemic stopped most sites) and then
resumes (复工), perhaps several times, and is completed from building or resumed work. A completed
project stays completed. Going back to `under_construction` from `resumed` would lose the fact
that the site resumed, which the zone's resumption rate counts: so resumed stays resumed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PLANNED, UNDER_CONSTRUCTION, SUSPENDED, RESUMED, COMPLETED = (
    "planned",
    "under_construction",
    "suspended",
    "resumed",
    "completed",
)

NEXT: dict[str, frozenset[str]] = {
    PLANNED: frozenset({UNDER_CONSTRUCTION}),
    UNDER_CONSTRUCTION: frozenset({SUSPENDED, COMPLETED}),
    SUSPENDED: frozenset({RESUMED}),
    RESUMED: frozenset({SUSPENDED, COMPLETED}),
    COMPLETED: frozenset(),
}
# Work is going on at the site: the states that count as building.
BUILDING = frozenset({UNDER_CONSTRUCTION, RESUMED})
# Once the project started, whether or not it is still building.
STARTED = frozenset({UNDER_CONSTRUCTION, SUSPENDED, RESUMED, COMPLETED})


def may_change(current: str, new: str) -> bool:
    return new in NEXT.get(current, frozenset())


def allowed_next(current: str) -> list[str]:
    order = [PLANNED, UNDER_CONSTRUCTION, SUSPENDED, RESUMED, COMPLETED]
    return [status for status in order if status in NEXT.get(current, frozenset())]


HUNDRED = Decimal("100")
PERCENT_PLACES = Decimal("0.01")


def share_of_plan(done: Decimal | None, plan: Decimal | None) -> Decimal | None:
    """`done` as a percentage of `plan`, rounded half up to two places; None without a plan."""
    if not plan:
        return None
    return ((done or Decimal("0")) * HUNDRED / plan).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
