"""Who was in contact with a person: co-located (their presences at one site overlapped long
enough) or declared (one named the other on a health declaration).

The co-located contacts are one self-join of the presences on (site, start), bounded by each
site's longest stay, with the overlap computed, thresholded and summed per contact and site in the
database: a trace reads only the rows of the people who shared a site with the case, whatever the
size of the city's log, and Python sees one row per contact and site. Callers fold the latest
entries in first (services.trace)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from zoneguard.core.errors import Forbidden
from zoneguard.core.lookups import none_of, one_of
from zoneguard.core.masking import mask_name
from zoneguard.gates.models import FeverAlert
from zoneguard.gates.selectors import alert_scope_q
from zoneguard.health.models import Declaration, DeclaredContact, Restriction, RestrictionKind
from zoneguard.registry import scoping
from zoneguard.registry.models import Person

from . import access
from .intervals import MAX_STAY, epoch, moment
from .models import Presence, SiteStayBound

COLOCATED, DECLARED = "colocated", "declared"
PEOPLE_CHUNK = 500
# First-degree contacts whose own contacts a depth-2 trace follows. The trace's time grows with
# each one followed, what it finds hardly: in a dense city the closest 50 reach nearly everyone
# the closest 200 do (bench/README.md, "Tracing figures").
SECOND_DEGREE_FROM = 50


@dataclass
class Visit:
    """A time two people shared a site."""

    site_id: int
    start: datetime
    end: datetime


@dataclass(slots=True)
class Contact:
    # Slots and no list of its own until visits are asked for: a depth-2 trace in a dense city
    # makes ~90,000 of them, and each object more is one more for the garbage collector to walk.
    person_id: int | None
    name: str  # in full: callers mask it where the reader may not see it
    kind: str
    degree: int
    # The shared sites' ids as the database lists them ("5,9"; "" for none): a trace finds
    # thousands of contacts and the reader is shown a page of them (site_ids).
    sites: str
    overlap_seconds: int
    # Epoch seconds: a trace ranks thousands of contacts and shows a page of them, so the
    # datetimes are made for those read (first_contact_at, last_contact_at).
    first_seen: int
    last_seen: int
    via_person_id: int | None = None
    visits: Sequence[Visit] = ()  # filled for those asked for: contacts(with_visits=)

    @property
    def site_ids(self) -> list[int]:
        return sorted({int(site) for site in self.sites.split(",")}) if self.sites else []

    @property
    def overlap_minutes(self) -> int:
        return self.overlap_seconds // 60

    @property
    def first_contact_at(self) -> datetime:
        return moment(self.first_seen)

    @property
    def last_contact_at(self) -> datetime:
        return moment(self.last_seen)

    def as_item(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": mask_name(self.name),
            "kind": self.kind,
            "degree": self.degree,
            "site_ids": self.site_ids,
            "overlap_minutes": self.overlap_minutes,
            "first_contact_at": self.first_contact_at,
            "last_contact_at": self.last_contact_at,
            "via_person_id": self.via_person_id,
        }


def _greatest(*terms: str) -> str:
    return f"{'GREATEST' if connection.vendor == 'postgresql' else 'MAX'}({', '.join(terms)})"


def _least(*terms: str) -> str:
    return f"{'LEAST' if connection.vendor == 'postgresql' else 'MIN'}({', '.join(terms)})"


def _site_list(column: str) -> str:
    """The values of an integer column of a group, as text "1,5,9" (repeats and all: a DISTINCT
    aggregate costs a fifth of a depth-2 trace; Contact.site_ids drops the repeats)."""
    if connection.vendor == "postgresql":
        return f"string_agg({column}::text, ',')"
    return f"GROUP_CONCAT({column})"


_TABLE, _BOUNDS = Presence._meta.db_table, SiteStayBound._meta.db_table


@dataclass(frozen=True)
class _Window:
    start: int  # epoch seconds
    end: int
    threshold: int  # seconds together that make a contact
    site_ids: Sequence[int] | None  # the sites whose presences may be read (None: all)


def _overlaps(
    people: Sequence[int],
    window: _Window,
    others: Sequence[int] | None = None,
    excluding: Sequence[int] | None = None,
) -> tuple[str, list[Any]]:
    """SQL for rows (via, contact, site, shared_from, shared_until): every overlap of at least the
    window's threshold between a presence of `people` and anyone else's (of `others` only, if
    given; never of `excluding`) within the window, and its parameters. A presence that overlaps
    one of `people`'s started at most the site's longest stay before it (models.SiteStayBound)."""
    match, people_params = one_of(list(people), connection.vendor)
    in_window, window_params = _in_window(window)
    others_sql, others_params = "", list[Any]()
    if others is not None:
        other_match, others_params = one_of(list(others), connection.vendor)
        others_sql = f" AND o.person_id {other_match}"
    inner = (
        f"SELECT p.person_id AS via, o.person_id AS contact, o.site_id AS site, {_shared()}"  # noqa: S608 (the model's names)
        f" FROM {_TABLE} p JOIN {_TABLE} o ON o.site_id = p.site_id"
        f" AND o.start > p.start - COALESCE((SELECT longest_seconds FROM {_BOUNDS} b WHERE b.site_id = p.site_id), %s)"
        ' AND o.start < p."end" AND o."end" > p.start'
        f" WHERE p.person_id {match} AND {in_window}{others_sql} AND o.person_id <> p.person_id"
    )
    params = [window.start, window.end, MAX_STAY, *people_params, *window_params, *others_params]
    sql = f"SELECT * FROM ({inner}) x WHERE shared_until - shared_from >= %s"  # noqa: S608
    params.append(window.threshold)
    if excluding is not None:
        # Tested on the overlaps found rather than on each presence the join reads: SQLite reads
        # far more presences than overlap.
        left_out, left_out_params = none_of("contact", excluding, connection.vendor)
        sql, params = f"{sql} AND {left_out}", [*params, *left_out_params]
    return sql, params


def _shared() -> str:
    """The columns shared_from and shared_until: the part of the window presences p and o share
    (two parameters, the window's start and end)."""
    shared_from = _greatest("o.start", "p.start", "%s")
    shared_until = _least('o."end"', 'p."end"', "%s")
    return f"{shared_from} AS shared_from, {shared_until} AS shared_until"


def _in_window(window: _Window) -> tuple[str, list[Any]]:
    """SQL for "presence p may overlap the window, at a site the reader may read", and its
    parameters (a presence lasts at most MAX_STAY)."""
    sql, params = 'p.start > %s AND p.start < %s AND p."end" > %s', [window.start - MAX_STAY, window.end, window.start]
    if window.site_ids is not None:
        site_match, site_params = one_of(list(window.site_ids), connection.vendor)
        sql, params = f"{sql} AND p.site_id {site_match}", [*params, *site_params]
    return sql, params


def _pairs(vias: Sequence[int], contacts: Sequence[int]) -> tuple[str, list[Any]]:
    """A table expression `pair(via, contact)` of the given pairs, and its parameters."""
    if connection.vendor == "postgresql":
        return "unnest(%s::bigint[], %s::bigint[]) AS pair(via, contact)", [list(vias), list(contacts)]
    listed = "SELECT json_extract(value, '$[0]') AS via, json_extract(value, '$[1]') AS contact FROM json_each(%s)"
    return f"({listed}) pair", [json.dumps(list(zip(vias, contacts, strict=True)))]


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _names(person_ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), PEOPLE_CHUNK):
        found.update(Person.objects.filter(pk__in=ids[start : start + PEOPLE_CHUNK]).values_list("pk", "name"))
    return found


def _colocated(person_id: int, window: _Window) -> dict[int, Contact]:
    """Everyone who shared a site with the person, summed per site in the database: a market-goer
    overlaps tens of thousands of presences, and Python sees one row per contact and site. (Summing
    per contact with the sites listed in SQL took longer: a DISTINCT aggregate, or a second
    grouping, costs the database more than this loop costs Python.)"""
    overlaps, params = _overlaps([person_id], window)
    rows = _fetch(
        "SELECT contact, site, CAST(SUM(shared_until - shared_from) AS BIGINT), MIN(shared_from), MAX(shared_until)"  # noqa: S608
        f" FROM ({overlaps}) y GROUP BY contact, site",
        params,
    )
    contacts: dict[int, Contact] = {}
    for other, site, seconds, low, high in rows:
        contact = contacts.get(other)
        if contact is None:
            contacts[other] = Contact(other, "", COLOCATED, 1, str(site), seconds, low, high)
            continue
        contact.sites = f"{contact.sites},{site}"
        contact.overlap_seconds += seconds
        contact.first_seen = min(contact.first_seen, low)
        contact.last_seen = max(contact.last_seen, high)
    return contacts


def _with_visits(person_id: int, contacts: Sequence[Contact], window: _Window) -> None:
    """Each contact's times shared with the person, in order (for the page's timeline)."""
    by_person = {c.person_id: c for c in contacts if c.person_id is not None}
    if not by_person:
        return
    overlaps, params = _overlaps([person_id], window, others=sorted(by_person))
    visits: dict[int, list[Visit]] = defaultdict(list)
    for _via, other, site, shared_from, shared_until in _fetch(f"{overlaps} ORDER BY shared_from, site", params):
        visits[other].append(Visit(site, moment(shared_from), moment(shared_until)))
    for other, theirs in visits.items():
        by_person[other].visits = theirs


def _declared(person: Person, *, since: datetime, until: datetime, site_ids: Sequence[int] | None) -> list[Contact]:
    """Whom the person named on their declarations, and who named them, in the window. A named
    contact is matched to a registered person by ID number, else by a phone only one person has;
    one that matches nobody stays a name."""
    declarations = Declaration.objects.filter(identity_verified=True, declared_at__gte=since, declared_at__lte=until)
    if site_ids is not None:
        declarations = declarations.filter(site_id__in=site_ids)
    named = DeclaredContact.objects.filter(declaration__in=declarations.filter(person=person)).select_related(
        "declaration"
    )
    naming = Q(id_number=person.id_number) if person.id_number else Q(pk__in=[])
    if person.phone:
        naming |= Q(phone=person.phone)
    namers = (
        DeclaredContact.objects.filter(naming, declaration__in=declarations.exclude(person=person))
        .select_related("declaration__person")
        .order_by("id")
    )
    by_number = {c.id_number for c in named if c.id_number}
    by_phone = {c.phone for c in named if c.phone and not c.id_number}
    numbers = dict(Person.objects.filter(id_number__in=by_number).values_list("id_number", "pk"))
    phones: dict[str, list[int]] = defaultdict(list)
    for phone, pk in Person.objects.filter(phone__in=by_phone).values_list("phone", "pk"):
        phones[phone].append(pk)
    found: list[Contact] = []
    for contact in named:
        match = numbers.get(contact.id_number) if contact.id_number else None
        if match is None and not contact.id_number and len(phones.get(contact.phone, [])) == 1:
            match = phones[contact.phone][0]
        at = epoch(contact.declaration.declared_at)
        found.append(Contact(match, contact.name, DECLARED, 1, "", 0, at, at))
    for contact in namers:
        at = epoch(contact.declaration.declared_at)
        declarant = contact.declaration.person
        found.append(Contact(declarant.pk, declarant.name, DECLARED, 1, "", 0, at, at))
    return [c for c in found if c.person_id != person.pk]


def _second_degree(first: dict[int, Contact], person_id: int, window: _Window, *, detailed: bool) -> dict[int, Contact]:
    """The co-located contacts of the first-degree contacts, each through the one they shared the
    most time with (its overlap, sites and times are those of that link). Only the SECOND_DEGREE_FROM
    first-degree contacts who spent the most time with the case are followed: a case seen at a
    mall has thousands of first-degree contacts, whose own contacts would be millions of rows.
    The database sums each (via, contact) link and keeps each contact's closest one, leaving out
    the case and the first-degree contacts before it sums (a third of the links in a dense city).
    Not `detailed`: each link's seconds only, its times and sites left to _with_links for the
    contacts shown (a fifth of the query, when the links are hundreds of thousands)."""
    closest = sorted(first.values(), key=lambda c: (-c.overlap_seconds, c.person_id or 0))[:SECOND_DEGREE_FROM]
    vias = sorted(c.person_id for c in closest if c.person_id is not None)
    if not vias:
        return {}
    overlaps, params = _overlaps(vias, window, excluding=sorted({person_id, *first}))
    details = (
        f"MIN(shared_from) AS low, MAX(shared_until) AS high, {_site_list('site')} AS sites"
        if detailed
        else "0 AS low, 0 AS high, '' AS sites"
    )
    links = (
        f"SELECT contact, via, CAST(SUM(shared_until - shared_from) AS BIGINT) AS seconds, {details}"  # noqa: S608
        f" FROM ({overlaps}) y GROUP BY contact, via"
    )
    best: dict[int, Contact] = {}
    for other, via, seconds, low, high, sites, *_key in _fetch(_closest(links), params):
        best[other] = Contact(other, "", COLOCATED, 2, sites, seconds, low, high, via)
    return best


def _with_links(contacts: Sequence[Contact], window: _Window) -> None:
    """The first and last times and the sites of each second-degree contact's link with its via,
    from the two people's own presences: an index range of each, not the crowd at the site."""
    links = {
        c.person_id: c.via_person_id
        for c in contacts
        if c.degree == 2 and c.person_id is not None and c.via_person_id is not None
    }
    by_person = {c.person_id: c for c in contacts if c.degree == 2 and c.person_id in links}
    in_window, window_params = _in_window(window)
    ids = list(links)
    for offset in range(0, len(ids), PEOPLE_CHUNK):
        chunk = ids[offset : offset + PEOPLE_CHUNK]
        pairs, pair_params = _pairs([links[pk] for pk in chunk], chunk)
        # The overlaps _overlaps finds, of one via and one contact each.
        overlaps = (
            f"SELECT pair.contact AS contact, p.site_id AS site, {_shared()} FROM {pairs}"  # noqa: S608
            f" JOIN {_TABLE} p ON p.person_id = pair.via"
            f" JOIN {_TABLE} o ON o.person_id = pair.contact AND o.site_id = p.site_id"
            f' AND o.start > p.start - %s AND o.start < p."end" AND o."end" > p.start WHERE {in_window}'
        )
        params = [window.start, window.end, *pair_params, MAX_STAY, *window_params, window.threshold]
        rows = _fetch(
            f"SELECT contact, MIN(shared_from), MAX(shared_until), {_site_list('site')}"  # noqa: S608
            f" FROM ({overlaps}) x WHERE shared_until - shared_from >= %s GROUP BY contact",
            params,
        )
        for other, low, high, listed in rows:
            contact = by_person[other]
            contact.first_seen, contact.last_seen, contact.sites = low, high, listed


def _closest(links: str) -> str:
    """Of the rows (contact, via, seconds, low, high, sites) of `links`, each contact's with the
    most seconds (and the lowest via among equals)."""
    if connection.vendor == "sqlite":
        # SQLite takes a group's other columns from the row where its one MAX() is (a documented
        # rule), which saves the window function's sort of every link. The key packs the seconds
        # (at most the 30 days' 2.6 million, 22 bits) over the via (40 bits) in 62 bits.
        key = "MAX(seconds * 1099511627776 - via)"
        return f"SELECT contact, via, seconds, low, high, sites, {key} FROM ({links}) z GROUP BY contact"  # noqa: S608
    ranked = (
        "SELECT contact, via, seconds, low, high, sites,"  # noqa: S608
        " ROW_NUMBER() OVER (PARTITION BY contact ORDER BY seconds DESC, via) AS closeness"
        f" FROM ({links}) z"
    )
    return f"SELECT contact, via, seconds, low, high, sites FROM ({ranked}) r WHERE closeness = 1"  # noqa: S608


def contacts(
    *,
    person: Person,
    days: int,
    min_overlap_minutes: int,
    depth: int,
    site_ids: Sequence[int] | None,
    at: datetime | None = None,
    with_visits: int = 0,
    shown: Callable[[list[Contact]], Sequence[Contact]] | None = None,
) -> list[Contact]:
    """The person's contacts over the `days` before `at` (now), ranked by time shared; the names
    of registered people are left to `with_names`, for the contacts the caller shows.
    `site_ids`: the sites whose presences may be read (None: all). `with_visits`: how many of the
    closest first-degree contacts get their visits (the page's timeline). `shown`: the contacts
    the caller shows, out of the ranking; only the second-degree ones among them get their link's
    first and last times and sites, the others their seconds and via (None: all of them, in full)."""
    until = at or timezone.now()
    since = until - timedelta(days=days)
    window = _Window(epoch(since), epoch(until), min_overlap_minutes * 60, site_ids)
    found = _colocated(person.pk, window)
    unmatched: list[Contact] = []
    for declared in _declared(person, since=since, until=until, site_ids=site_ids):
        if declared.person_id is None:
            unmatched.append(declared)
            continue
        current = found.get(declared.person_id)
        if current is None:
            found[declared.person_id] = declared
        elif current.kind == DECLARED:
            current.first_seen = min(current.first_seen, declared.first_seen)
            current.last_seen = max(current.last_seen, declared.last_seen)
    second = _second_degree(found, person.pk, window, detailed=shown is None) if depth >= 2 else {}
    # Most time shared first, then first degree, then by id; the unmatched names (no time shared)
    # last. Two stable sorts on attributes: a key tuple built in Python for each of a depth-2
    # trace's ~90,000 contacts took twice as long.
    every = [*found.values(), *second.values()]
    every.sort(key=attrgetter("degree", "person_id"))
    every.sort(key=attrgetter("overlap_seconds"), reverse=True)
    every += sorted(unmatched, key=attrgetter("name"))
    if with_visits:
        closest = [c for c in every if c.degree == 1 and c.kind == COLOCATED][:with_visits]
        _with_visits(person.pk, closest, window)
    if shown is not None and second:
        _with_links(shown(every), window)
    return every


def with_names(found: Sequence[Contact]) -> Sequence[Contact]:
    """`found` with the registry's names filled in: a trace of a market-goer finds thousands of
    contacts, and the reader is shown a page of them."""
    names = _names({c.person_id for c in found if c.person_id is not None and not c.name})
    for contact in found:
        if contact.person_id is not None and not contact.name:
            contact.name = names.get(contact.person_id, "")
    return found


def readable_in_full(*, actor: Any, person_ids: set[int]) -> set[int]:
    """Those of `person_ids` whose name, ID number and phone the actor's export of a trace gives in
    full: all of them for those the zone lets export contacts in full (access), otherwise those
    whose records the actor may read (registry.scoping.personal_data_q)."""
    if access.exports_contacts_in_full(actor):
        return set(person_ids)
    readable = Person.objects.filter(scoping.personal_data_q(actor), pk__in=person_ids)
    return set(readable.values_list("pk", flat=True))


def person_in_scope(person: Person, *, site_ids: Sequence[int] | None, people_q: Q, since: datetime) -> bool:
    """Whether the person may be traced by someone reading `site_ids`: anyone for the whole zone;
    otherwise the people of the reader's organisations, or anyone seen at the reader's sites."""
    if site_ids is None:
        return True
    if Person.objects.filter(people_q, pk=person.pk).exists():
        return True
    return Presence.objects.filter(person=person, site_id__in=site_ids, end__gt=epoch(since)).exists()


def close_contact_list(*, actor: Any, active: bool = True) -> Any:
    """The close contacts marked, for those who trace: the whole zone's for the zone's tracers,
    the people of their organisations (and those they marked themselves) for an organisation
    admin."""
    if not access.can_trace(actor):
        raise Forbidden()
    restrictions = Restriction.objects.filter(kind=RestrictionKind.CLOSE_CONTACT).select_related("person")
    if active:
        restrictions = restrictions.filter(released_at__isnull=True)
    if not access.traces_whole_zone(actor):
        restrictions = restrictions.filter(
            Q(person__in=Person.objects.filter(scoping.people_q(actor))) | Q(created_by=actor)
        )
    return restrictions.order_by("-started_at", "-id")


def case_search(*, actor: Any, text: str, limit: int = 20) -> list[Person]:
    """People to trace whose name contains `text` or whose ID number is `text`, among those the
    actor may trace (the whole zone, or their organisations' people)."""
    text = text.strip()
    if not text or not access.can_trace(actor):
        return []
    people = Person.objects.filter(Q(name__contains=text) | Q(id_number=text.upper()))
    if not access.traces_whole_zone(actor):
        people = people.filter(scoping.people_q(actor))
    return list(people.order_by("name", "pk")[:limit])


RECENT_FEVER_DAYS = 14


def _recent_fever_alerts(actor: Any, days: int) -> Any:
    alerts = FeverAlert.objects.filter(person__isnull=False, checked_at__gte=timezone.now() - timedelta(days=days))
    if not access.traces_whole_zone(actor):
        alerts = alerts.filter(alert_scope_q(actor))
    return alerts


def recent_fever_count(*, actor: Any, days: int = RECENT_FEVER_DAYS) -> int:
    """How many people a gate found with a fever in the last `days` (as recent_fevers lists them)."""
    return _recent_fever_alerts(actor, days).values("person_id").distinct().count()


def recent_fevers(*, actor: Any, days: int = RECENT_FEVER_DAYS, limit: int = 10) -> list[FeverAlert]:
    """Where a trace usually starts: the people a gate found with a fever in the last `days`, the
    latest alert of each, newest first. Those who trace the whole zone see every alert; an
    organisation's admin the alerts of their organisation, as on the alerts page."""
    alerts = _recent_fever_alerts(actor, days)
    latest: dict[int, FeverAlert] = {}
    # A bounded read: a day of many fevers lists the latest people, not every alert.
    for alert in alerts.select_related("site", "person").order_by("-checked_at", "-id")[: limit * 20]:
        latest.setdefault(alert.person_id, alert)
        if len(latest) == limit:
            break
    return list(latest.values())
