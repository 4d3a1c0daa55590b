"""How much of a shift a volunteer served, and when they may check in: pure rules over plain data,
shared by the pages, the API, the certificate and the tests.

Time served on one sign-up, in whole minutes (seconds are dropped at the end):
- no check-in: nothing (the volunteer did not come);
- from the check-in to the check-out, clipped to the shift: arriving early or staying late is
  thanked but not counted, because the shift is what the checkpoint needed; a late check-in or an
  early leave counts the time actually served;
- no check-out: until the shift's end once the shift is over (the volunteer was seen arriving, and
  a post is staffed to its end unless someone says otherwise; the community worker corrects it by
  recording the check-out), and until now while it runs.

Sign-ups that were cancelled count nothing; the selectors never hand them over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

# A volunteer may check in this long before the shift starts (to be briefed, to put on the vest).
CHECK_IN_OPENS = timedelta(minutes=30)
# And check out this long after it ends, for a check-out forgotten at the post.
CHECK_OUT_CLOSES = timedelta(hours=12)


@dataclass(frozen=True)
class Attendance:
    starts_at: datetime
    ends_at: datetime
    checked_in_at: datetime | None
    checked_out_at: datetime | None


def served_minutes(attendance: Attendance, *, now: datetime) -> int:
    if attendance.checked_in_at is None:
        return 0
    # Without a check-out: until now while the shift runs, until its end once it is over.
    left = attendance.checked_out_at or min(now, attendance.ends_at)
    start = max(attendance.checked_in_at, attendance.starts_at)
    end = min(left, attendance.ends_at)
    if end <= start:
        return 0
    return int((end - start).total_seconds()) // 60


def total_minutes(attendances: list[Attendance], *, now: datetime) -> int:
    return sum(served_minutes(a, now=now) for a in attendances)


def as_hours(minutes: int) -> Decimal:
    """Hours to one decimal, halves rounded up: 640 minutes are 10.7 hours."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Shifts that only touch (one ends at 11:00, the next starts at 11:00) do not overlap."""
    return a_start < b_end and b_start < a_end


def check_in_open(*, starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
    return starts_at - CHECK_IN_OPENS <= at < ends_at


def check_out_open(*, ends_at: datetime, checked_in_at: datetime, at: datetime) -> bool:
    return checked_in_at <= at <= ends_at + CHECK_OUT_CLOSES
