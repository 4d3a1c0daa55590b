"""The pure rules: the life-cycle, routing, limits, escalation timing and the department figures
on a hand-made set of requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from zoneguard.tickets import figures, lifecycle, routing

T0 = datetime(2020, 2, 10, 8, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_it_allows_only_the_transitions_of_the_story():
    assert lifecycle.next_status("submitted", "accept") == "accepted"
    assert lifecycle.next_status("submitted", "resolve") is None
    assert lifecycle.next_status("accepted", "pass_on") == "submitted"
    assert lifecycle.next_status("resolved", "reopen") == "reopened"
    assert lifecycle.next_status("reopened", "resolve") == "resolved"
    assert lifecycle.next_status("resolved", "rate") is None
    assert lifecycle.next_status("confirmed", "rate") == "confirmed"
    assert lifecycle.next_status("confirmed", "reopen") is None
    assert lifecycle.allowed_actions("resolved") == ["confirm", "reopen"]
    # Withdrawn while the department still works on it; not once answered or confirmed.
    for status in ("submitted", "accepted", "reopened"):
        assert lifecycle.next_status(status, "withdraw") == "withdrawn"
    for status in ("resolved", "confirmed", "withdrawn"):
        assert lifecycle.next_status(status, "withdraw") is None
    assert lifecycle.allowed_actions("withdrawn") == []
    assert not lifecycle.is_overdue(status="withdrawn", accept_due=T0, resolve_due=T0, now=T0 + 99 * H)
    assert (
        lifecycle.escalations_due(
            status="withdrawn", filed_at=T0, accept_due=T0 + H, resolve_due=T0 + 2 * H, now=T0 + 99 * H
        )
        == []
    )


def test_it_routes_by_sector_before_category():
    rules = [("raw_materials", None, 1), ("raw_materials", 7, 2), ("permits", None, 3)]
    assert routing.route(category="raw_materials", sector_id=7, rules=rules) == 2
    assert routing.route(category="raw_materials", sector_id=8, rules=rules) == 1
    assert routing.route(category="raw_materials", sector_id=None, rules=rules) == 1
    assert routing.route(category="funds", sector_id=7, rules=rules) is None


def test_it_takes_the_zones_limits_else_the_urgencys():
    assert lifecycle.limits_for(category="funds", urgency="critical") == lifecycle.Limits(2 * H, 48 * H)
    table = {("funds", "critical"): (1, 12)}
    assert lifecycle.limits_for(category="funds", urgency="critical", table=table) == lifecycle.Limits(H, 12 * H)


def test_it_escalates_to_the_head_at_the_limit_and_the_commander_at_twice():
    args = {"filed_at": T0, "accept_due": T0 + 2 * H, "resolve_due": T0 + 48 * H}
    assert lifecycle.escalations_due(status="submitted", now=T0 + H, **args) == []
    assert lifecycle.escalations_due(status="submitted", now=T0 + 2 * H, **args) == [("accept", "head")]
    assert lifecycle.escalations_due(status="submitted", now=T0 + 4 * H, **args) == [
        ("accept", "head"),
        ("accept", "commander"),
    ]
    # Accepted: only the resolve limit runs on.
    assert lifecycle.escalations_due(status="accepted", now=T0 + 4 * H, **args) == []
    assert lifecycle.escalations_due(status="accepted", now=T0 + 96 * H, **args) == [
        ("resolve", "head"),
        ("resolve", "commander"),
    ]
    assert lifecycle.escalations_due(status="resolved", now=T0 + 960 * H, **args) == []


def _row(dept, status, filed, accepted=None, resolved=None, reopened=0, rating=None):
    return figures.Row(
        department_id=dept,
        status=status,
        filed_at=T0 + filed * H,
        accept_due=T0 + (filed + 2) * H,
        resolve_due=T0 + (filed + 48) * H,
        first_accepted_at=T0 + accepted * H if accepted is not None else None,
        resolved_at=T0 + resolved * H if resolved is not None else None,
        reopen_count=reopened,
        rating=rating,
    )


def test_it_figures_each_department_over_a_hand_made_set():
    rows = [
        _row(1, "confirmed", 0, accepted=1, resolved=10, rating=5),
        _row(1, "confirmed", 1, accepted=5, resolved=21, reopened=1, rating=2),  # accepted late
        _row(1, "resolved", 2, accepted=2, resolved=42),
        _row(1, "accepted", 3, accepted=4),  # open, past its 48 hours at `now`
        _row(1, "submitted", 100),  # filed at now - 1h: within its limits
        _row(1, "confirmed", -500, accepted=-499, resolved=-480, rating=1),  # before the period
        _row(2, "submitted", -500),  # before the period, overdue now all the same
        _row(2, "withdrawn", 5),  # received, withdrawn: never overdue, never resolved
    ]
    result = figures.department_figures(rows, start=T0, end=T0 + 200 * H, now=T0 + 101 * H)
    one, two = result[1], result[2]
    assert (one.received, one.accepted_in_time, one.resolved, one.overdue_now, one.reopened) == (5, 3, 3, 1, 1)
    # Hours to resolve: 10, 20, 40 → median 20, 90th percentile 40.
    assert (one.median_hours, one.p90_hours) == (Decimal("20.0"), Decimal("40.0"))
    assert one.average_rating == Decimal("3.50")
    assert (one.withdrawn, two.withdrawn) == (0, 1)
    assert (two.received, two.resolved, two.overdue_now, two.median_hours, two.average_rating) == (1, 0, 1, None, None)


def test_percentiles_by_nearest_rank():
    values = [float(v) for v in range(1, 11)]
    assert figures.percentile(values, 0.9) == 9.0
    assert figures.median(values) == 5.5
    assert figures.median([3.0]) == 3.0
