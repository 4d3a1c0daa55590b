"""An errand's life, as plain data and functions (no database).

    open ──accept/assign──▶ accepted ──deliver──▶ delivered ──confirm──▶ received ──settle──▶ settled
      └──────────cancel──────────┘

- `open`: offered to the approved volunteers of the resident's community; the first to accept
  takes it, or the worker assigns one directly.
- `deliver`: the volunteer bought the lines and left them at the door (contact-free), with the
  amount spent and a photo of the receipt.
- `confirm`: the resident (or the worker for them) says it arrived.
- `settle`: the resident paid the amount back.
- `cancel`: before delivery only; once bought, the money is spent and the errand goes on.
An action from any other state is out of order: refused, nothing changes.

Escalation: an errand nobody accepted within ESCALATE_AFTER goes to the community worker, once."""

from __future__ import annotations

from datetime import datetime, timedelta

OPEN, ACCEPTED, DELIVERED, RECEIVED, SETTLED, CANCELLED = (
    "open",
    "accepted",
    "delivered",
    "received",
    "settled",
    "cancelled",
)

# action: (the states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({OPEN}), ACCEPTED),
    "assign": (frozenset({OPEN, ACCEPTED}), ACCEPTED),
    "deliver": (frozenset({ACCEPTED}), DELIVERED),
    "confirm": (frozenset({DELIVERED}), RECEIVED),
    "settle": (frozenset({RECEIVED}), SETTLED),
    "cancel": (frozenset({OPEN, ACCEPTED}), CANCELLED),
}

ESCALATE_AFTER = timedelta(hours=1)
# Errands still to be done: they age on the lists.
PENDING = frozenset({OPEN, ACCEPTED, DELIVERED})


def next_status(status: str, action: str) -> str | None:
    """The state `action` leads to from `status`, or None when it is out of order."""
    allowed, target = TRANSITIONS[action]
    return target if status in allowed else None


def allowed_actions(status: str) -> list[str]:
    return [action for action, (allowed, _target) in TRANSITIONS.items() if status in allowed]


def is_due_for_escalation(*, status: str, requested_at: datetime, escalated_at: datetime | None, now: datetime) -> bool:
    return status == OPEN and escalated_at is None and now - requested_at >= ESCALATE_AFTER


def age_minutes(*, since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60))
