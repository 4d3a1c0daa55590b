"""Hours served: the rule of hours.py on plain data, then on a hand-checked week of one volunteer
through the selectors (several shifts, a late check-in, an early leave, a forgotten check-out, a
no-show, a cancelled place)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from zoneguard.volunteers import hours, selectors
from zoneguard.volunteers.hours import Attendance, served_minutes
from zoneguard.volunteers.models import SignUpStatus

from .conftest import local

T = datetime(2020, 2, 21, 8, 0).astimezone()


def at(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return T + timedelta(days=day, hours=hour - 8, minutes=minute)


def test_it_counts_the_time_between_check_in_and_check_out_within_the_shift():
    shift = (at(8), at(12))
    assert served_minutes(Attendance(*shift, at(8), at(12)), now=at(20)) == 240
    # Early arrival and late leave are not counted; a late arrival and an early leave are.
    assert served_minutes(Attendance(*shift, at(7, 40), at(12, 30)), now=at(20)) == 240
    assert served_minutes(Attendance(*shift, at(8, 20), at(11, 15)), now=at(20)) == 175
    # Seconds are dropped, once, at the end.
    assert served_minutes(Attendance(*shift, at(8, 0) + timedelta(seconds=59), at(9)), now=at(20)) == 59


def test_a_missing_check_out_counts_to_the_shift_end_once_it_is_over_and_to_now_while_it_runs():
    shift = (at(8), at(12))
    assert served_minutes(Attendance(*shift, at(8, 30), None), now=at(20)) == 210
    assert served_minutes(Attendance(*shift, at(8, 30), None), now=at(10)) == 90
    assert served_minutes(Attendance(*shift, None, None), now=at(20)) == 0
    # A check-out after the shift, or a check-in and out wholly outside it, clip to nothing more.
    assert served_minutes(Attendance(*shift, at(12, 5), at(13)), now=at(20)) == 0


def test_hours_are_rounded_to_a_tenth_halves_up():
    assert hours.as_hours(640) == Decimal("10.7")
    assert hours.as_hours(33) == Decimal("0.6")  # 0.55
    assert hours.as_hours(0) == Decimal("0.0")


def test_shifts_that_touch_do_not_overlap():
    assert not hours.overlaps(at(8), at(11), at(11), at(15))
    assert hours.overlaps(at(8), at(11), at(10, 59), at(15))
    assert hours.overlaps(at(8), at(18), at(11), at(12))


def test_the_hand_checked_week_of_one_volunteer(corps):
    """Four days ago 07:00–11:00, in 07:20 (late), out 11:00: 220 minutes.
    Three days ago 16:00–20:00, in 15:45 (early, not counted), out 18:30 (left early): 150.
    Two days ago 07:00–11:00, in 07:00, no check-out: counted to the end, 240.
    Yesterday 07:00–11:00: signed up, never came: 0.
    Yesterday 16:00–20:00: cancelled before it began, though checked in by mistake: 0.
    Total 610 minutes: 10.2 hours over 3 shifts, one check-out missing."""
    first = corps.first
    corps.signup(corps.shift(local(-4, 7)), checked_in_at=local(-4, 7, 20), checked_out_at=local(-4, 11))
    corps.signup(corps.shift(local(-3, 16)), checked_in_at=local(-3, 15, 45), checked_out_at=local(-3, 18, 30))
    corps.signup(corps.shift(local(-2, 7)), checked_in_at=local(-2, 7))
    corps.signup(corps.shift(local(-1, 7)))
    corps.signup(corps.shift(local(-1, 16)), status=SignUpStatus.CANCELLED, checked_in_at=local(-1, 16))
    # Another volunteer's hours are theirs.
    corps.signup(corps.shift(local(-1, 7), needed=5), corps.second, checked_in_at=local(-1, 7))

    served = selectors.volunteer_hours(volunteer=first, now=local(0, 12))
    assert (served.minutes, served.hours, served.shifts, served.missing_check_outs) == (610, Decimal("10.2"), 3, 1)
    assert (served.first_day, served.last_day) == (local(-4, 7).date(), local(-2, 7).date())

    rows = selectors.hours_by_volunteer(actor=corps.zone.community_worker, now=local(0, 12))
    assert [(r.volunteer.name, r.minutes) for r in rows] == [("张青葵", 610), ("胡柏林", 240)]
    communities = selectors.hours_by_community(actor=corps.zone.commander, now=local(0, 12))
    assert [(c.community.name, c.volunteers, c.minutes, c.hours) for c in communities] == [
        ("青峰社区", 1, 0, Decimal("0.0")),
        ("祥光社区", 2, 850, Decimal("14.2")),
    ]


def test_hours_are_read_in_scope(corps):
    corps.signup(corps.shift(local(-1, 7)), checked_in_at=local(-1, 7), checked_out_at=local(-1, 9))
    zone = corps.zone
    assert [r.volunteer for r in selectors.hours_by_volunteer(actor=zone.volunteer)] == [corps.first]
    assert [r.volunteer for r in selectors.hours_by_volunteer(actor=zone.worker_b)] == [corps.outsider]
    for outsider in (zone.admin_a, zone.gate_a, zone.officer_a):
        assert selectors.hours_by_volunteer(actor=outsider) == []
