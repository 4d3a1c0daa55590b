"""Personal data kept only while its purpose lasts.

Gate entries, health declarations, re-test readings and home-isolation follow-ups were collected to
keep an epidemic out of the zone, not to keep a history of people. `purge_personal_data` (daily,
from cron) deletes them once they are older than `settings.PERSONAL_DATA_DAYS`, counted in whole
zone days so that a day is either kept or gone. What the zone counts from them (the gates' day
counts, report figures, audit events) stays.

Modules register what they purge (`register_purge`), so that this module knows none of them; each
purge deletes in chunks, each chunk in its own transaction, and says how many records it removed
or, in a dry run, would remove."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from .dates import day_bounds

Purge = Callable[[datetime, bool], int]  # (before, dry_run) → records removed (or that would be)


@dataclass(frozen=True)
class Registered:
    kind: str
    label: str | Promise  # what is purged, in the reader's language
    purge: Purge
    last: bool = False


_PURGES: dict[str, Registered] = {}


def register_purge(kind: str, label: str | Promise, purge: Purge, *, last: bool = False) -> None:
    """`purge(before, dry_run)` removes the records of `kind` collected before `before`. `last`:
    it runs after the others, as what it removes is free once theirs are gone (the people of the
    registry once their entries and declarations are)."""
    _PURGES[kind] = Registered(kind, label, purge, last)


def purge_cutoff(today: date | None = None) -> datetime:
    """The start of the oldest zone day kept."""
    today = today or timezone.localdate()
    return day_bounds(date.fromordinal(today.toordinal() - settings.PERSONAL_DATA_DAYS))[0]


def purge_personal_data(*, dry_run: bool = False, today: date | None = None) -> dict[str, int]:
    """Run every registered purge; returns how many records each removed (would remove)."""
    before = purge_cutoff(today)
    return {registered.kind: registered.purge(before, dry_run) for registered in registered_purges()}


def registered_purges() -> list[Registered]:
    """In the order they run."""
    return sorted(_PURGES.values(), key=lambda registered: (registered.last, registered.kind))


def delete_in_chunks(queryset: QuerySet[Any], *, dry_run: bool, chunk: int = 2_000) -> int:
    """Delete the rows of `queryset` a chunk at a time, in its order (give it the one an index
    serves, so that finding the next chunk, and at last none, costs a short range scan); Django's
    delete, so that what cascades from them goes too. Returns how many rows of its model were
    deleted, or would be."""
    if dry_run:
        return queryset.count()
    model = queryset.model
    label = model._meta.label
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:chunk])
        if not ids:
            return total
        with transaction.atomic():
            _count, per_model = model.objects.filter(pk__in=ids).delete()
        total += per_model.get(label, 0)
