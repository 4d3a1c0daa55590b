"""Writes of the day counts (gates.day_counts says what they are and how a fold works)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from itertools import takewhile
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from ..day_counts import Counts, Passage, fold, passages_after, reference
from ..models import CheckIn, DayCountProgress, OrganisationDayCount, SiteDayCount

FOLD_CHUNK = 20_000  # entries read per step
WRITE_BATCH = 1_000
Stored = TypeVar("Stored", SiteDayCount, OrganisationDayCount)


def settle_delay() -> timedelta:
    """How old an entry must be before it is folded for good. On PostgreSQL an entry's id is drawn
    before its transaction commits, so a lower id may still appear after a higher one was folded;
    readers count the younger entries as pending. On SQLite a writer holds the database's lock
    from its first insert to its commit: ids appear in order."""
    return timedelta(0) if connection.vendor == "sqlite" else timedelta(seconds=30)


def refresh_day_counts() -> int:
    """Fold the entries recorded since the last fold that are old enough to be final; returns how
    many were folded. The first fold of a log that holds entries rebuilds instead."""
    progress, created = DayCountProgress.objects.get_or_create(pk=1)
    if created and CheckIn.objects.exists():
        rebuild_day_counts()
        return 0
    expected = progress.through_checkin_id
    total = 0
    while True:
        read = passages_after(expected, limit=FOLD_CHUNK)
        passages = list(takewhile(partial(_settled, before=timezone.now() - settle_delay()), read))
        if not passages:
            return total
        final = passages[-1].pk
        counts = fold(passages, after=expected)
        with transaction.atomic():
            # Another fold (the minute's job, a page) moved on meanwhile: this one stops. The row is
            # locked whatever it holds, so that two folds never add the same entries.
            if DayCountProgress.objects.select_for_update().get(pk=1).through_checkin_id != expected:
                return total
            _store(counts)
            DayCountProgress.objects.filter(pk=1).update(through_checkin_id=final)
        total += len(passages)
        expected = final
        if len(passages) < FOLD_CHUNK:
            return total


def _settled(passage: Passage, *, before: datetime) -> bool:
    return passage.received_at <= before


def _store(counts: Counts) -> None:
    """Adds `counts` to the stored rows, creating those missing."""
    _add(
        SiteDayCount,
        "site_id",
        {key: values for key, values in counts.sites.items() if any(values)},
        ("entries", "exits", "denied", "on_site"),
    )
    _add(
        OrganisationDayCount,
        "organisation_id",
        {key: [value] for key, value in counts.people.items() if value},
        ("people",),
    )


def _add(
    model: type[Stored],
    owner: str,
    changes: dict[tuple[int, date], list[int]],
    columns: tuple[str, ...],
) -> None:
    if not changes:
        return
    owners = {owner_id for owner_id, _day in changes}
    days = {day for _owner, day in changes}
    existing = {
        (getattr(row, owner), row.day): row
        for row in model.objects.select_for_update().filter(**{f"{owner}__in": owners, "day__in": days})
    }
    updated: list[Stored] = []
    created: list[Stored] = []
    for key, values in changes.items():
        row = existing.get(key)
        if row is None:
            created.append(model(**{owner: key[0], "day": key[1]}, **dict(zip(columns, values, strict=True))))
            continue
        for column, value in zip(columns, values, strict=True):
            setattr(row, column, getattr(row, column) + value)
        updated.append(row)
    model.objects.bulk_update(updated, columns, batch_size=WRITE_BATCH)
    model.objects.bulk_create(created, batch_size=WRITE_BATCH)


def rebuild_day_counts(*, progress: Callable[[int], None] | None = None) -> int:
    """Recount every day from the entry log (after a bulk import or a simulation, or to repair);
    returns how many days were counted. `progress(days done)` is called after each day."""
    DayCountProgress.objects.get_or_create(pk=1)
    with transaction.atomic():
        DayCountProgress.objects.select_for_update().get(pk=1)  # folds wait for the rebuild
        span = CheckIn.objects.aggregate(first=Min("checked_at"), last=Max("checked_at"), through=Max("pk"))
        SiteDayCount.objects.all().delete()
        OrganisationDayCount.objects.all().delete()
        through = span["through"] or 0
        days = 0
        if through:
            day, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
            while day <= last:
                _store(reference(day, through=through))
                day += timedelta(days=1)
                days += 1
                if progress is not None:
                    progress(days)
        DayCountProgress.objects.filter(pk=1).update(through_checkin_id=through)
    return days
