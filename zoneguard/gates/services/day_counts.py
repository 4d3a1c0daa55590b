"""Writes of the day counts (gates.day_counts says what they are and how a fold works)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import partial
from itertools import takewhile
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from zoneguard.core.dates import day_bounds

from ..day_counts import Counts, Passage, fold, passages_after, reference
from ..models import CheckIn, DayCountProgress, OrganisationDayCount, SiteDayCount, SiteHourCount

FOLD_CHUNK = 20_000  # entries read per step
WRITE_BATCH = 1_000
Stored = TypeVar("Stored", SiteDayCount, SiteHourCount, OrganisationDayCount)


def settle_delay() -> timedelta:
    """How old an entry must be before a fold of the entry log (these day counts, the tracing
    presences) treats it as final. On PostgreSQL an entry's id is drawn before its transaction
    commits, so a lower id may still appear after a higher one was folded; younger entries are
    counted as pending, or folded again next time. On SQLite a writer holds the database's lock
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
    _add(SiteDayCount, ("site_id", "day"), counts.sites, ("entries", "exits", "denied", "on_site"))
    _add(SiteHourCount, ("site_id", "day", "hour"), counts.hours, ("entries", "denied"))
    _add(OrganisationDayCount, ("organisation_id", "day"), {k: [n] for k, n in counts.people.items()}, ("people",))


def _add(
    model: type[Stored],
    keys: tuple[str, str, *tuple[str, ...]],
    changes: Mapping[tuple[Any, ...], list[int]],
    columns: tuple[str, ...],
) -> None:
    changes = {key: values for key, values in changes.items() if any(values)}
    if not changes:
        return
    owner = keys[0]
    rows = model.objects.select_for_update().filter(
        **{f"{owner}__in": {key[0] for key in changes}, "day__in": {key[1] for key in changes}}
    )
    existing = {tuple(getattr(row, name) for name in keys): row for row in rows}
    updated: list[Stored] = []
    created: list[Stored] = []
    for key, values in changes.items():
        row = existing.get(key)
        if row is None:
            created.append(model(**dict(zip(keys, key, strict=True)), **dict(zip(columns, values, strict=True))))
            continue
        for column, value in zip(columns, values, strict=True):
            setattr(row, column, getattr(row, column) + value)
        updated.append(row)
    model.objects.bulk_update(updated, columns, batch_size=WRITE_BATCH)
    model.objects.bulk_create(created, batch_size=WRITE_BATCH)


def purged_before(day: date) -> None:
    """The entries before `day` are being deleted: their days' counts are kept from now on."""
    row, _created = DayCountProgress.objects.get_or_create(pk=1)
    if row.purged_before is None or day > row.purged_before:
        DayCountProgress.objects.filter(pk=1).update(purged_before=day)


def rebuild_day_counts(*, progress: Callable[[int], None] | None = None) -> int:
    """Recount every day of the entry log (after a bulk import or a simulation, or to repair);
    returns how many days were counted. `progress(days done)` is called after each day. The days
    whose entries were purged (core.retention) keep their counts: they are all that is left."""
    DayCountProgress.objects.get_or_create(pk=1)
    with transaction.atomic():
        progress_row = DayCountProgress.objects.select_for_update().get(pk=1)  # folds wait for the rebuild
        through = CheckIn.objects.aggregate(through=Max("pk"))["through"] or 0
        counted = CheckIn.objects.filter(pk__lte=through).order_by("checked_at").values_list("checked_at", flat=True)
        kept = progress_row.purged_before
        if kept is not None:
            counted = counted.filter(checked_at__gte=day_bounds(kept)[0])
        for model in (SiteDayCount, SiteHourCount, OrganisationDayCount):
            (model.objects.filter(day__gte=kept) if kept else model.objects.all()).delete()
        following = counted.first()
        days = 0
        while following is not None:
            day = timezone.localdate(following)
            _store(reference(day, through=through))
            days += 1
            if progress is not None:
                progress(days)
            # The next day with entries, from the time index: a log of years has gaps.
            following = counted.filter(checked_at__gte=day_bounds(day)[1]).first()
        DayCountProgress.objects.filter(pk=1).update(through_checkin_id=through)
    return days
