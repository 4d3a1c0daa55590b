"""Keeping the presences (models.Presence) in step with the entry log.

The gates do not write presences: a check-in stays four statements. Instead the entries recorded
since the last fold are folded in before every trace (so a trace always sees every entry
answered before it) and by `manage.py refresh_presences`, run every minute beside the other jobs,
so that a trace seldom finds much to fold. Folding is idempotent: an entry's person has their
presences recomputed over the window the entry can change (intervals.MAX_STAY either side), from
their passages in the log, whatever order the entries arrived in (offline batches are late)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from importlib import import_module
from itertools import groupby
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.core.lookups import one_of
from zoneguard.core.masking import mask_name
from zoneguard.gates.models import CheckIn, Decision
from zoneguard.gates.services.day_counts import settle_delay
from zoneguard.health.models import Declaration, Restriction, RestrictionKind
from zoneguard.health.services import restriction_place, restriction_release, status_end_early
from zoneguard.registry import scoping
from zoneguard.registry.models import Person, Site

from . import access, selectors
from .intervals import MAX_STAY, Interval, Passage, epoch, intervals, moment
from .models import Presence, PresenceProgress, SiteStayBound, TracingSettings

FOLD_CHUNK = 20_000  # entries read per step
PEOPLE_CHUNK = 500  # people per statement: well under any database's parameter limit
WRITE_BATCH = 2_000
MAX_DAYS = 30  # the entry log answers for 30 days back (gates.services.checkins.MAX_AGE)


def dwell_seconds() -> dict[int, int]:
    return {pk: minutes * 60 for pk, minutes in Site.objects.values_list("pk", "default_dwell_minutes")}


_CHECKIN, _PRESENCE = CheckIn._meta.db_table, Presence._meta.db_table
_INSERT = (
    f'INSERT INTO {_PRESENCE} (checkin_id, person_id, site_id, start, "end", ended_by)'  # noqa: S608 (the model's)
    " VALUES (%s, %s, %s, %s, %s, %s)"
)


def _epoch_of(column: str) -> str:
    """SQL for a timestamp column in whole seconds since the epoch (as intervals.epoch counts)."""
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"


def _admitted_passages(where: str, params: Sequence[Any]) -> Iterator[tuple[int, list[Passage]]]:
    """(person id, their admitted passages in order) for the entries matching `where`, read
    through Django's cursor with the times counted in SQL: a rebuild reads millions of them."""
    sql = (
        f"SELECT id, person_id, site_id, direction, {_epoch_of('checked_at')} FROM {_CHECKIN}"  # noqa: S608
        f" WHERE decision = %s AND person_id IS NOT NULL AND {where} ORDER BY person_id, checked_at, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Decision.ALLOW, *params])

        def rows() -> Iterator[Sequence[Any]]:
            while batch := cursor.fetchmany(10_000):
                yield from batch

        for person_id, group in groupby(rows(), key=lambda row: row[1]):
            yield person_id, [Passage(row[0], row[2], row[3], row[4]) for row in group]


def _write(person_id: int, found: Iterable[Interval], into: list[tuple[Any, ...]]) -> None:
    into.extend((i.checkin_id, person_id, i.site_id, i.start, i.end, i.ended_by) for i in found)


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """Write presences (checkin, person, site, start, end, ended_by) and raise their sites'
    bounds to cover them. Callers hold the fold's lock (the progress row), so no other writer
    moves a bound meanwhile."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(_INSERT, rows[start : start + WRITE_BATCH])
    longest: dict[int, int] = {}
    for _checkin, _person, site_id, start, end, _ended_by in rows:
        if end - start > longest.get(site_id, -1):
            longest[site_id] = end - start
    known = dict(SiteStayBound.objects.filter(site_id__in=list(longest)).values_list("site_id", "longest_seconds"))
    raised = [SiteStayBound(site_id=site, longest_seconds=s) for site, s in longest.items() if s > known.get(site, -1)]
    SiteStayBound.objects.bulk_create(
        raised, update_conflicts=True, unique_fields=["site"], update_fields=["longest_seconds"], batch_size=500
    )


def _folded(rows: Sequence[Sequence[Any]]) -> tuple[list[tuple[Any, ...]], list[tuple[list[int], int, int]]]:
    """The presences to write for entries `rows` (id, person, time, received, decision), and the
    (people, first start, last start) windows they replace."""
    span: dict[int, tuple[int, int]] = {}
    for _pk, person_id, checked_at, _received, decision in rows:
        if person_id is None or decision != Decision.ALLOW:
            continue  # a denied passage is no presence and ends none
        at = epoch(checked_at)
        earliest, latest = span.get(person_id, (at, at))
        span[person_id] = (min(earliest, at), max(latest, at))
    new: list[tuple[Any, ...]] = []
    windows: list[tuple[list[int], int, int]] = []
    dwell = dwell_seconds() if span else {}
    people = sorted(span)
    for offset in range(0, len(people), PEOPLE_CHUNK):
        chunk = people[offset : offset + PEOPLE_CHUNK]
        low = min(span[p][0] for p in chunk) - MAX_STAY
        high = max(span[p][1] for p in chunk)
        match, values = one_of(chunk, connection.vendor)
        # An entry's presence needs the passage after it, up to MAX_STAY later.
        between = [connection.ops.adapt_datetimefield_value(moment(t)) for t in (low, high + MAX_STAY)]
        theirs = _admitted_passages(f"person_id {match} AND checked_at >= %s AND checked_at <= %s", [*values, *between])
        for person_id, passages in theirs:
            _write(person_id, (i for i in intervals(passages, dwell) if low <= i.start <= high), new)
        windows.append((chunk, low, high))
    return new, windows


def refresh_presences() -> int:
    """Fold every entry recorded since the last fold; returns how many entries were read.

    The progress moves past the entries old enough to be final (settle_delay); younger ones are folded
    now, so that a trace sees them, and again next time."""
    progress, _created = PresenceProgress.objects.get_or_create(pk=1)
    expected = after = progress.through_checkin_id
    settled = True
    total = 0
    while True:
        rows = list(
            CheckIn.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "person_id", "checked_at", "received_at", "decision")[:FOLD_CHUNK]
        )
        if not rows:
            return total
        final = expected
        settled_before = timezone.now() - settle_delay()
        for pk, _person, _at, received_at, _decision in rows:
            settled = settled and received_at <= settled_before
            if not settled:
                break
            final = pk
        new, windows = _folded(rows)
        with transaction.atomic():
            # Another fold (the minute's job, a concurrent trace) moved on meanwhile: its reading
            # is newer than this one's, which stops. The row is locked whatever it holds.
            if PresenceProgress.objects.select_for_update().get(pk=1).through_checkin_id != expected:
                return total + len(rows)
            for chunk, low, high in windows:
                Presence.objects.filter(person_id__in=chunk, start__gte=low, start__lte=high).delete()
            _insert(new)
            if final != expected:
                PresenceProgress.objects.filter(pk=1).update(through_checkin_id=final)
                expected = final
        total += len(rows)
        after = rows[-1][0]
        if len(rows) < FOLD_CHUNK:
            return total


def rebuild_presences(*, progress: Any = None) -> int:
    """Recompute every presence from the whole entry log (after a bulk import or a simulation);
    returns how many presences were written. `progress(done)` is called as entries are read."""
    PresenceProgress.objects.get_or_create(pk=1)
    with transaction.atomic():
        PresenceProgress.objects.select_for_update().get(pk=1)  # folds wait for the rebuild
        through = CheckIn.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        Presence.objects.all().delete()
        SiteStayBound.objects.all().delete()
        dwell = dwell_seconds()
        written = read = 0
        batch: list[tuple[Any, ...]] = []
        for person_id, passages in _admitted_passages("id <= %s", [through]):
            _write(person_id, intervals(passages, dwell), batch)
            read += len(passages)
            if len(batch) >= 20_000:
                _insert(batch)
                written += len(batch)
                batch = []
                if progress is not None:
                    progress(read)
        _insert(batch)
        written += len(batch)
        PresenceProgress.objects.filter(pk=1).update(through_checkin_id=through)
    return written


def tracing_settings() -> TracingSettings:
    found, _created = TracingSettings.objects.get_or_create(pk=1)
    return found


def traceable_person(*, actor: User, person_id: int, days: int) -> Person:
    """The person, if the actor may trace them; NotFound otherwise (out of scope is not found)."""
    if not access.can_trace(actor):
        raise Forbidden()
    person = Person.objects.filter(pk=person_id).first()
    site_ids = access.traced_site_ids(actor)
    since = timezone.now() - timedelta(days=days)
    if person is None or not selectors.person_in_scope(
        person, site_ids=site_ids, people_q=scoping.people_q(actor), since=since
    ):
        raise NotFound()
    return person


def trace(
    *,
    actor: User,
    person_id: int,
    days: int = 14,
    min_overlap_minutes: int | None = None,
    depth: int = 1,
    with_visits: int = 0,
    shown: Callable[[list[selectors.Contact]], Sequence[selectors.Contact]] | None = None,
) -> tuple[Person, list[selectors.Contact]]:
    """The person's contacts, after folding in every entry recorded so far; audited with its
    parameters and the number of contacts found. `with_visits`, `shown`: as selectors.contacts."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput.for_field("days", _("Trace between 1 and 30 days."), code="days")
    if min_overlap_minutes is None:
        min_overlap_minutes = tracing_settings().min_overlap_minutes
    if not 1 <= min_overlap_minutes <= 1440:
        raise InvalidInput.for_field(
            "min_overlap_minutes", _("The overlap is between 1 and 1,440 minutes."), code="min_overlap_minutes"
        )
    if depth not in (1, 2):
        raise InvalidInput.for_field("depth", _("The depth is 1 or 2."), code="depth")
    person = traceable_person(actor=actor, person_id=person_id, days=days)
    refresh_presences()
    found = selectors.contacts(
        person=person,
        days=days,
        min_overlap_minutes=min_overlap_minutes,
        depth=depth,
        site_ids=access.traced_site_ids(actor),
        with_visits=with_visits,
        shown=shown,
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRACE,
        obj=person,
        object_repr=mask_name(person.name),
        detail={
            "days": days,
            "min_overlap_minutes": min_overlap_minutes,
            "depth": depth,
            "contacts": len(found),
        },
    )
    return person, found


def close_contacts_mark(*, actor: User, case_id: int, person_ids: Sequence[int], note: str = "") -> list[Restriction]:
    """Mark people found by the case's trace as close contacts: the gates hold them until an
    officer releases them. Only people the actor's trace of the case can reach (NotFound for any
    other, and nothing is marked)."""
    case, people = _reachable(actor=actor, case_id=case_id, person_ids=person_ids)
    note = note.strip() or _("Close contact of %(case)s") % {"case": mask_name(case.name)}
    with transaction.atomic():
        return [
            restriction_place(
                actor=actor, person=person, kind=RestrictionKind.CLOSE_CONTACT, source_person=case, note=note
            )[0]
            for person in people
        ]


def _reachable(*, actor: User, case_id: int, person_ids: Sequence[int]) -> tuple[Person, list[Person]]:
    """The case and the people the actor's trace of it can reach, in id order; NotFound for any
    other (and nothing is done)."""
    case = traceable_person(actor=actor, person_id=case_id, days=MAX_DAYS)
    wanted = sorted(set(person_ids))
    if not wanted:
        raise InvalidInput.for_field("person_ids", _("Select at least one person."), code="required")
    people = {p.pk: p for p in Person.objects.filter(pk__in=wanted)}
    site_ids = access.traced_site_ids(actor)
    since = timezone.now() - timedelta(days=MAX_DAYS)
    people_q = scoping.people_q(actor)
    for pk in wanted:
        person = people.get(pk)
        if (
            person is None
            or pk == case.pk
            or not selectors.person_in_scope(person, site_ids=site_ids, people_q=people_q, since=since)
        ):
            raise NotFound()
    return case, [people[pk] for pk in wanted]


def close_contact_release(*, actor: User, restriction_id: int, note: str = "") -> Restriction:
    restriction = Restriction.objects.filter(pk=restriction_id, kind=RestrictionKind.CLOSE_CONTACT).first()
    if not access.can_trace(actor):
        raise Forbidden()
    if restriction is None:
        raise NotFound()
    traceable_person(actor=actor, person_id=restriction.person_id, days=MAX_DAYS)
    if not note.strip():
        raise InvalidInput.for_field("note", _("Give the grounds for the release."), code="required")
    return restriction_release(actor=actor, restriction=restriction, note=note.strip())


def health_status_end_early(*, actor: User, person_id: int, note: str) -> Declaration:
    """End a person's red or yellow status early (health.services.status_end_early). A decision
    on a person's health is the zone's epidemic control's: the commander and the departments that
    trace the whole zone, not an employer."""
    if not access.traces_whole_zone(actor):
        raise Forbidden()
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    return status_end_early(actor=actor, person=person, note=note)


# Home isolation (居家隔离) takes close contacts over from a trace. That module provides
# `zoneguard.isolation.services.cases_from_trace(actor=, case=, people=)`, opening one isolation
# case per person; until it is installed, tracing marks close contacts and stops there.
ISOLATION_APP = "zoneguard.isolation"


def isolation_available() -> bool:
    return apps.is_installed(ISOLATION_APP)


def isolation_handover(*, actor: User, case_id: int, person_ids: Sequence[int]) -> Any:
    if not isolation_available():
        raise Conflict(_("Home isolation is not set up in this zone yet."), code="isolation_unavailable")
    # Not marked as close contacts first: the isolation holds them at the gates itself, and a mark
    # made only to be released at once would stand in the list of released close contacts.
    case, people = _reachable(actor=actor, case_id=case_id, person_ids=person_ids)
    isolation = import_module(f"{ISOLATION_APP}.services")
    with transaction.atomic():
        return isolation.cases_from_trace(actor=actor, case=case, people=people)
