"""An errand's states, on plain data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from zoneguard.errands import lifecycle

T0 = datetime(2020, 2, 10, 9, 0, tzinfo=UTC)


def test_the_happy_path_and_nothing_out_of_order():
    status = lifecycle.OPEN
    for action in ("accept", "deliver", "confirm", "settle"):
        status = lifecycle.next_status(status, action)
    assert status == lifecycle.SETTLED
    assert lifecycle.next_status(lifecycle.OPEN, "deliver") is None
    assert lifecycle.next_status(lifecycle.ACCEPTED, "confirm") is None
    assert lifecycle.next_status(lifecycle.DELIVERED, "cancel") is None  # the money is spent
    assert lifecycle.next_status(lifecycle.ACCEPTED, "cancel") == lifecycle.CANCELLED
    assert lifecycle.allowed_actions(lifecycle.SETTLED) == []


def test_an_errand_escalates_once_after_an_hour_unaccepted():
    def due(status=lifecycle.OPEN, minutes=60, escalated=None):
        return lifecycle.is_due_for_escalation(
            status=status, requested_at=T0, escalated_at=escalated, now=T0 + timedelta(minutes=minutes)
        )

    assert not due(minutes=59)
    assert due(minutes=60)
    assert not due(escalated=T0)
    assert not due(status=lifecycle.ACCEPTED, minutes=120)
