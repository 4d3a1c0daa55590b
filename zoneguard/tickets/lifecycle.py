"""An enterprise's request (企业诉求), as plain data and functions (no database).

    submitted ──accept──▶ accepted ──resolve──▶ resolved ──confirm──▶ confirmed ──rate
        ▲                    │                    │
        └──────pass_on───────┘                 reopen
                                                  ▼
                                               reopened ──resolve──▶ resolved

    submitted, accepted, reopened ──withdraw──▶ withdrawn

- `submitted`: routed to a department (routing.py), waiting for it to accept; `pass_on` gives it
  to another department with a reason, which must accept it in turn.
- `resolve`: the department's answer; the enterprise confirms it or reopens with a comment.
- `rate`: once, after confirming (1–5).
- `withdraw`: the enterprise no longer needs the department's help (solved on its own, filed by
  mistake or twice), saying why; only while the department still works on it.
An action from any other state is out of order: refused, nothing changes.

Time limits: per category and urgency (TimeLimit rows, DEFAULT_LIMITS otherwise), counted from
filing: to accept, and to resolve. Past a limit the department head is told; past twice the
limit, the commander; each once (`escalations_due`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SUBMITTED, ACCEPTED, RESOLVED, REOPENED, CONFIRMED = "submitted", "accepted", "resolved", "reopened", "confirmed"
WITHDRAWN = "withdrawn"

# action: (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({SUBMITTED}), ACCEPTED),
    "pass_on": (frozenset({SUBMITTED, ACCEPTED, REOPENED}), SUBMITTED),
    "resolve": (frozenset({ACCEPTED, REOPENED}), RESOLVED),
    "confirm": (frozenset({RESOLVED}), CONFIRMED),
    "reopen": (frozenset({RESOLVED}), REOPENED),
    "rate": (frozenset({CONFIRMED}), CONFIRMED),
    "withdraw": (frozenset({SUBMITTED, ACCEPTED, REOPENED}), WITHDRAWN),
}
# Still the department's to work on: they count as overdue once past the limit.
OPEN = frozenset({SUBMITTED, ACCEPTED, REOPENED})
DONE = frozenset({RESOLVED, CONFIRMED})
# A conversation stays open until the enterprise confirmed the answer.
TALKING = frozenset({SUBMITTED, ACCEPTED, RESOLVED, REOPENED})

# Stages and levels of escalation.
ACCEPT, RESOLVE = "accept", "resolve"
HEAD, COMMANDER = "head", "commander"


@dataclass(frozen=True)
class Limits:
    accept: timedelta
    resolve: timedelta

    @property
    def accept_hours(self) -> int:
        return int(self.accept.total_seconds() // 3600)

    @property
    def resolve_hours(self) -> int:
        return int(self.resolve.total_seconds() // 3600)


# urgency → limits, used where the zone set none for the category: a critical request is
# accepted within two hours and resolved within two days.
DEFAULT_LIMITS: dict[str, Limits] = {
    "normal": Limits(accept=timedelta(hours=24), resolve=timedelta(days=7)),
    "urgent": Limits(accept=timedelta(hours=8), resolve=timedelta(days=3)),
    "critical": Limits(accept=timedelta(hours=2), resolve=timedelta(days=2)),
}


def next_status(status: str, action: str) -> str | None:
    """The state `action` leads to from `status`, or None when it is out of order."""
    allowed, target = TRANSITIONS[action]
    return target if status in allowed else None


def allowed_actions(status: str) -> list[str]:
    return [action for action, (allowed, _target) in TRANSITIONS.items() if status in allowed]


def limits_for(*, category: str, urgency: str, table: dict[tuple[str, str], tuple[int, int]] | None = None) -> Limits:
    """The limits of a category and urgency: the zone's row (hours to accept, to resolve) when it
    set one, else the urgency's default."""
    row = (table or {}).get((category, urgency))
    if row is not None:
        return Limits(accept=timedelta(hours=row[0]), resolve=timedelta(hours=row[1]))
    return DEFAULT_LIMITS.get(urgency, DEFAULT_LIMITS["normal"])


def escalations_due(
    *, status: str, filed_at: datetime, accept_due: datetime, resolve_due: datetime, now: datetime
) -> list[tuple[str, str]]:
    """The (stage, level) notices a request has earned by `now`: not accepted past the accept
    limit, not resolved past the resolve limit; the head at the limit, the commander at twice it.
    The caller sends those not yet recorded as sent."""
    due: list[tuple[str, str]] = []
    if status not in OPEN:
        return due
    stages = [(RESOLVE, resolve_due)]
    if status == SUBMITTED:
        stages.insert(0, (ACCEPT, accept_due))
    for stage, deadline in stages:
        if now >= deadline:
            due.append((stage, HEAD))
        if now >= filed_at + 2 * (deadline - filed_at):
            due.append((stage, COMMANDER))
    return due


def is_overdue(*, status: str, accept_due: datetime, resolve_due: datetime, now: datetime) -> bool:
    if status not in OPEN:
        return False
    return now >= resolve_due or (status == SUBMITTED and now >= accept_due)
