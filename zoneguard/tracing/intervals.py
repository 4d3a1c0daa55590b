"""How long a person stayed at a site: pure rules, shared by the incremental refresh, the full
rebuild and the tests' reference.

A person's admitted passages (denied ones are not presence), in the order they happened, make
their presences. Each `in` starts one; it ends
- at the person's next passage if that is an `out` at the same site within MAX_STAY (the usual
  case at a workplace gate);
- otherwise at the site's usual stay (`default_dwell_minutes` after the entry), or at the person's
  next passage anywhere if that comes sooner (they entered another site, or the same one again:
  one visit's presence never overlaps the next).
An `out` with no `in` before it, or one more than MAX_STAY after it, ends nothing: the entry that
went with it was not recorded. So no presence lasts longer than MAX_STAY, which bounds how far a
late-arriving passage can change the presences before it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import NamedTuple

MAX_STAY = 24 * 3600  # seconds; a site's usual stay is at most 1,440 minutes too
IN, OUT = "in", "out"


class Passage(NamedTuple):
    checkin_id: int
    site_id: int
    direction: str
    at: int  # epoch seconds


class Interval(NamedTuple):
    checkin_id: int
    site_id: int
    start: int
    end: int
    ended_by: str  # tracing.models.PresenceEnd


def intervals(passages: Iterable[Passage], dwell_seconds: Mapping[int, int]) -> Iterator[Interval]:
    """The presences made by one person's passages, given in the order they happened (time, then
    id: two passages in the same second keep the order they were recorded in)."""
    previous: Passage | None = None
    for passage in passages:
        if previous is not None and previous.direction == IN:
            yield _ended(previous, passage, dwell_seconds)
        previous = passage
    if previous is not None and previous.direction == IN:
        yield _ended(previous, None, dwell_seconds)


def _ended(entry: Passage, following: Passage | None, dwell_seconds: Mapping[int, int]) -> Interval:
    usual_end = entry.at + dwell_seconds.get(entry.site_id, MAX_STAY)
    if following is None:
        return Interval(entry.checkin_id, entry.site_id, entry.at, usual_end, "dwell")
    if following.direction == OUT and following.site_id == entry.site_id and following.at - entry.at <= MAX_STAY:
        return Interval(entry.checkin_id, entry.site_id, entry.at, following.at, "out")
    if following.at < usual_end:
        return Interval(entry.checkin_id, entry.site_id, entry.at, following.at, "passage")
    return Interval(entry.checkin_id, entry.site_id, entry.at, usual_end, "dwell")


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Seconds two intervals share (0 when they do not meet)."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def epoch(at: datetime) -> int:
    return int(at.timestamp())


def moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
