"""The day counts of the gates: what the gates overview and the resumption rates read instead of
a whole day of a district's entries (SiteDayCount, OrganisationDayCount).

`services.refresh_day_counts` folds the entry log into them in the order of its ids, from a
watermark (DayCountProgress), every minute. A fold is a difference, so it never rereads a day:
- entries, exits and refusals are added to the site and day (and hour) of each passage;
- for each person, site and day a passage touches, whether the person is on site (their latest
  passage there that day is an entry) after the fold, minus whether they were before it;
- for each person, organisation and day, one more person let in if this fold holds their first
  entry there that day.
A batch that a gate uploads late is folded into the days it happened on, whatever came since.
Readers add the entries not folded yet the same way, without writing them (`pending`), so what
they show is exact at any moment. `reference` counts a day from the entry log in SQL: the rebuild
and the tests' check."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone

from zoneguard.core.dates import day_bounds

from .models import CheckIn, DayCountProgress, Decision, Direction

PEOPLE_CHUNK = 500  # people per statement: well under any database's parameter limit
ENTRIES, EXITS, DENIED, ON_SITE = range(4)
HOUR_ENTRIES, HOUR_DENIED = range(2)


class Passage(NamedTuple):
    pk: int
    site_id: int
    organisation_id: int
    person_id: int | None
    direction: str
    decision: str
    checked_at: datetime
    received_at: datetime


FIELDS = ("pk", "site_id", "organisation_id", "person_id", "direction", "decision", "checked_at", "received_at")


@dataclass
class Counts:
    """What some entries add to the day counts: per (site id, day) [entries, exits, denied,
    on site], per (site id, day, hour) [entries, denied], per (organisation id, day) people let
    in. Values can be negative (on site)."""

    sites: defaultdict[tuple[int, date], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    hours: defaultdict[tuple[int, date, int], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    people: defaultdict[tuple[int, date], int] = field(default_factory=lambda: defaultdict(int))


def passages_after(after: int, *, limit: int | None = None) -> list[Passage]:
    """The entries with an id above `after`, in id order."""
    rows = CheckIn.objects.filter(pk__gt=after).order_by("pk").values_list(*FIELDS)
    return [Passage(*row) for row in (rows[:limit] if limit else rows)]


def fold(passages: Sequence[Passage], *, after: int) -> Counts:
    """What `passages` (ids above `after`, in id order) add to day counts that hold every entry up
    to `after`. Reads the admitted passages of the people they touch on the days they touch."""
    counts = Counts()
    if not passages:
        return counts
    through = passages[-1].pk
    touched: defaultdict[tuple[int, date], set[int]] = defaultdict(set)  # (person, day) → sites
    for passage in passages:
        local = timezone.localtime(passage.checked_at)
        day = local.date()
        site = counts.sites[(passage.site_id, day)]
        if passage.decision == Decision.DENY:
            site[DENIED] += 1
            counts.hours[(passage.site_id, day, local.hour)][HOUR_DENIED] += 1
        elif passage.direction == Direction.IN:
            site[ENTRIES] += 1
            counts.hours[(passage.site_id, day, local.hour)][HOUR_ENTRIES] += 1
        else:
            site[EXITS] += 1
        if passage.decision == Decision.ALLOW and passage.person_id is not None:
            touched[(passage.person_id, day)].add(passage.site_id)
    if not touched:
        return counts
    for (person, day), history in _admitted(touched, through).items():
        history.sort(key=lambda p: (p.checked_at, p.pk))
        for site_id in touched[(person, day)]:
            here = [p for p in history if p.site_id == site_id]
            before = [p for p in here if p.pk <= after]
            now_on_site = bool(here) and here[-1].direction == Direction.IN
            was_on_site = bool(before) and before[-1].direction == Direction.IN
            counts.sites[(site_id, day)][ON_SITE] += int(now_on_site) - int(was_on_site)
        entered_before = {p.organisation_id for p in history if p.direction == Direction.IN and p.pk <= after}
        for organisation_id in {p.organisation_id for p in history if p.direction == Direction.IN and p.pk > after}:
            if organisation_id not in entered_before:
                counts.people[(organisation_id, day)] += 1
    return counts


def _admitted(touched: dict[tuple[int, date], set[int]], through: int) -> dict[tuple[int, date], list[Passage]]:
    """The admitted passages up to id `through` of each (person, day) in `touched`."""
    people = sorted({person for person, _day in touched})
    days = {day for _person, day in touched}
    start, end = day_bounds(min(days))[0], day_bounds(max(days))[1]
    found: dict[tuple[int, date], list[Passage]] = {key: [] for key in touched}
    for index in range(0, len(people), PEOPLE_CHUNK):
        rows = CheckIn.objects.filter(
            person_id__in=people[index : index + PEOPLE_CHUNK],
            checked_at__gte=start,
            checked_at__lt=end,
            decision=Decision.ALLOW,
            pk__lte=through,
        ).values_list(*FIELDS)
        for row in rows:
            passage = Passage(*row)
            key = (passage.person_id, timezone.localdate(passage.checked_at))
            if key in found:
                found[key].append(passage)  # type: ignore[index]
    return found


def pending() -> Counts:
    """What the entries not folded yet add: readers add it to the stored counts."""
    progress = DayCountProgress.objects.filter(pk=1).values_list("through_checkin_id", flat=True).first() or 0
    return fold(passages_after(progress), after=progress)


# --- The same counts straight from the entry log, in SQL -------------------------------------------


def latest_entries(start: datetime, end: datetime, *, through: int | None = None) -> QuerySet[CheckIn]:
    """Allowed entries in [start, end) that are their person's latest allowed passage at that site
    in that span: the people on site. Up to id `through` when given."""
    upto = Q(pk__lte=through) if through is not None else Q()
    # `checked_at >= the entry's` repeats what the OR says, as a range the person's time index can
    # start from: without it each probe read every passage of the person's history.
    later = CheckIn.objects.filter(
        upto,
        person_id=OuterRef("person_id"),
        site_id=OuterRef("site_id"),
        decision=Decision.ALLOW,
        checked_at__gte=OuterRef("checked_at"),
        checked_at__lt=end,
    ).filter(Q(checked_at__gt=OuterRef("checked_at")) | Q(checked_at=OuterRef("checked_at"), id__gt=OuterRef("id")))
    return CheckIn.objects.filter(
        upto,
        checked_at__gte=start,
        checked_at__lt=end,
        decision=Decision.ALLOW,
        direction=Direction.IN,
        person__isnull=False,
    ).filter(~Exists(later))


def reference(day: date, *, through: int | None = None) -> Counts:
    """The counts of `day` from the entry log (up to id `through` when given), a few grouped
    queries over the day's entries: what the rebuild writes and the fold must always agree with."""
    start, end = day_bounds(day)
    upto = Q(pk__lte=through) if through is not None else Q()
    of_day = CheckIn.objects.filter(upto, checked_at__gte=start, checked_at__lt=end).order_by()
    counts = Counts()
    for site_id, direction, decision, n in of_day.values_list("site_id", "direction", "decision").annotate(
        n=Count("id")
    ):
        column = DENIED if decision == Decision.DENY else ENTRIES if direction == Direction.IN else EXITS
        counts.sites[(site_id, day)][column] += n
    by_hour = (
        of_day.filter(Q(decision=Decision.DENY) | Q(direction=Direction.IN))
        .annotate(hour=ExtractHour("checked_at"))
        .values_list("site_id", "hour", "decision")
        .annotate(n=Count("id"))
    )
    for site_id, hour, decision, n in by_hour:
        counts.hours[(site_id, day, hour)][HOUR_DENIED if decision == Decision.DENY else HOUR_ENTRIES] += n
    on_site = latest_entries(start, end, through=through).order_by().values_list("site_id").annotate(n=Count("id"))
    for site_id, n in on_site:
        counts.sites[(site_id, day)][ON_SITE] = n
    people = (
        of_day.filter(direction=Direction.IN, decision=Decision.ALLOW, person__isnull=False)
        .values_list("organisation_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    for organisation_id, n in people:
        counts.people[(organisation_id, day)] = n
    return counts
