"""Reads of the gates module, always through the actor's organisation scope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractHour
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.audit.services import audit_personal_read
from zoneguard.core import dates
from zoneguard.core.errors import Forbidden, NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.registry import scoping
from zoneguard.registry.models import Person, Site

from . import day_counts
from .decisions import reason_message
from .models import (
    AlertStatus,
    CheckIn,
    Decision,
    Direction,
    FacePhoto,
    FeverAlert,
    OrganisationDayCount,
    SiteDayCount,
    SiteHourCount,
)

day_bounds = dates.day_bounds


def checkin_list(
    *,
    actor: User,
    site_id: int | None = None,
    site_ids: list[int] | None = None,
    day: date | None = None,
    person_id: int | None = None,
    direction: str = "",
    decision: str = "",
) -> QuerySet[CheckIn]:
    # The site, organisation and person of a page's entries are read by their ids afterwards, not
    # joined: with the joins, SQLite's planner (given the statistics of a large log) scans the sites
    # and sorts every entry instead of reading the time index a page at a time.
    qs = CheckIn.objects.filter(scoping.organisation_q(actor, "organisation")).prefetch_related(
        "site__organisation", "person"
    )
    if day:
        start, end = day_bounds(day)
        qs = qs.filter(checked_at__gte=start, checked_at__lt=end)
    qs = filter_given(qs, site_id=site_id, person_id=person_id, direction=direction, decision=decision)
    if site_ids is not None:
        qs = qs.filter(site_id__in=site_ids)
    return qs.order_by("-checked_at", "-id")


@dataclass(frozen=True)
class OnSite:
    site_id: int
    person_id: int
    since: datetime


def onsite_now(*, actor: User, site_id: int | None = None, day: date | None = None) -> list[OnSite]:
    """People whose latest allowed passage today at a site is "in": in without out. Judged by the
    time of the passage, not of its upload, so that offline batches arriving out of order count."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    qs = CheckIn.objects.filter(
        scoping.organisation_q(actor, "organisation"),
        checked_at__gte=start,
        checked_at__lt=end,
        decision=Decision.ALLOW,
        person__isnull=False,
    )
    if site_id:
        qs = qs.filter(site_id=site_id)
    latest: dict[tuple[int, int], tuple[datetime, str]] = {}
    for site, person, at, direction in qs.order_by().values_list("site_id", "person_id", "checked_at", "direction"):
        key = (site, person)
        if key not in latest or at >= latest[key][0]:
            latest[key] = (at, direction)
    return sorted(
        (OnSite(site_id=s, person_id=p, since=at) for (s, p), (at, d) in latest.items() if d == Direction.IN),
        key=lambda o: (o.site_id, o.since),
    )


@dataclass
class SiteCounts:
    site: Site
    entries: int = 0
    exits: int = 0
    denied: int = 0
    fevers: int = 0
    on_site: int = 0


def _site_day_count(model: Any, start: datetime, end: datetime, **filters: Any) -> Coalesce:
    """A site's rows of `model` in [start, end), as a subquery a Site list can sort by."""
    rows = (
        model.objects.filter(site_id=OuterRef("pk"), checked_at__gte=start, checked_at__lt=end, **filters)
        .order_by()
        .values("site_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows), Value(0))


def site_counts_attention_first(*, actor: User, day: date | None = None) -> QuerySet[Site]:
    """The sites in scope, those with fevers of the day first, then those with refusals, then by
    name: the order the gates overview is paged in. Each site carries `fevers` and `denied`."""
    start, end = day_bounds(day or timezone.localdate())
    return (
        Site.objects.filter(scoping.organisation_q(actor, "organisation"), is_active=True)
        .select_related("organisation")
        .annotate(
            fevers=_site_day_count(FeverAlert, start, end),
            denied=_site_day_count(CheckIn, start, end, decision=Decision.DENY),
        )
        .order_by("-fevers", "-denied", "organisation__name_key", "name_key", "id")
    )


def site_counts(
    *, sites: Sequence[Site], day: date | None = None, pending: day_counts.Counts | None = None
) -> list[SiteCounts]:
    """The day's counts of the given sites (a page of the overview), in their order: the stored
    day counts, the entries not folded into them yet (`pending`, read when not given), and the
    fevers."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    counts = {site.pk: SiteCounts(site=site) for site in sites}
    stored = SiteDayCount.objects.filter(site_id__in=list(counts), day=day).values_list(
        "site_id", "entries", "exits", "denied", "on_site"
    )
    for site_id, *values in stored:
        _add_counts(counts[site_id], values)
    for (site_id, of_day), values in (pending or day_counts.pending()).sites.items():
        if of_day == day and site_id in counts:
            _add_counts(counts[site_id], values)
    fevers = (
        FeverAlert.objects.filter(site_id__in=list(counts), checked_at__gte=start, checked_at__lt=end)
        .order_by()
        .values("site_id")
        .annotate(n=Count("id"))
    )
    for row in fevers:
        counts[row["site_id"]].fevers = row["n"]
    return list(counts.values())


def _add_counts(counts: SiteCounts, values: Sequence[int]) -> None:
    counts.entries += values[day_counts.ENTRIES]
    counts.exits += values[day_counts.EXITS]
    counts.denied += values[day_counts.DENIED]
    counts.on_site += values[day_counts.ON_SITE]


@dataclass(frozen=True)
class SiteTotals:
    entries: int
    exits: int
    denied: int
    fevers: int
    on_site: int


def site_totals(*, actor: User, day: date | None = None, pending: day_counts.Counts | None = None) -> SiteTotals:
    """The overview's totals over every site in scope: what the pages of `site_counts` add up to,
    summed from the day counts."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    sites = Site.objects.filter(scoping.organisation_q(actor, "organisation"), is_active=True)
    totals = _summed(sites, day, pending or day_counts.pending())
    fevers = FeverAlert.objects.filter(site_id__in=sites.values("pk"), checked_at__gte=start, checked_at__lt=end)
    return SiteTotals(
        entries=totals[day_counts.ENTRIES],
        exits=totals[day_counts.EXITS],
        denied=totals[day_counts.DENIED],
        fevers=fevers.count(),
        on_site=totals[day_counts.ON_SITE],
    )


def site_overview(*, actor: User, sites: Sequence[Site], day: date) -> tuple[list[SiteCounts], SiteTotals]:
    """A page of the gates overview and the totals of every site in scope, from one read of the
    entries not folded yet."""
    pending = day_counts.pending()
    return site_counts(sites=sites, day=day, pending=pending), site_totals(actor=actor, day=day, pending=pending)


Key = TypeVar("Key", bound=tuple[Any, ...])


def _pending_at(sites: QuerySet[Site], day: date, pending: Mapping[Key, list[int]]) -> dict[Key, list[int]]:
    """The not yet folded counts (keyed by site id, day, …) of `day` at the sites of `sites`."""
    of_day = {key: values for key, values in pending.items() if key[1] == day}
    if not of_day:
        return {}
    in_scope = set(sites.filter(pk__in={key[0] for key in of_day}).values_list("pk", flat=True))
    return {key: values for key, values in of_day.items() if key[0] in in_scope}


def _summed(sites: QuerySet[Site], day: date, pending: day_counts.Counts) -> list[int]:
    """[entries, exits, denied, on site] of `day` over `sites`: stored, plus what is not folded yet."""
    columns = ("entries", "exits", "denied", "on_site")
    stored = SiteDayCount.objects.filter(site_id__in=sites.values("pk"), day=day).aggregate(
        **{name: Sum(name) for name in columns}
    )
    rows = [[stored[name] or 0 for name in columns], *_pending_at(sites, day, pending.sites).values()]
    return [sum(column) for column in zip(*rows, strict=True)]


@dataclass(frozen=True)
class DayTotals:
    entries: int
    denied: int
    fevers: int


def day_totals(*, actor: User, day: date | None = None) -> DayTotals:
    """Entries let in, entries refused and fevers of a day at the sites in the actor's scope."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    sites = Site.objects.filter(scoping.organisation_q(actor, "organisation"))
    totals = _summed(sites, day, day_counts.pending())
    fevers = FeverAlert.objects.filter(site_id__in=sites.values("pk"), checked_at__gte=start, checked_at__lt=end)
    return DayTotals(totals[day_counts.ENTRIES], totals[day_counts.DENIED], fevers.count())


@dataclass
class HourCounts:
    hour: int
    entries: int = 0
    denied: int = 0
    fevers: int = 0


def hourly_counts(*, actor: User, day: date | None = None) -> list[HourCounts]:
    """The day's counts of all the actor's active sites, hour by hour of the zone's day (0 to 23):
    entries allowed, entries denied and fevers."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    sites = Site.objects.filter(scoping.organisation_q(actor, "organisation"), is_active=True)
    hours = [HourCounts(hour=h) for h in range(24)]
    stored = (
        SiteHourCount.objects.filter(site_id__in=sites.values("pk"), day=day)
        .order_by()
        .values_list("hour")
        .annotate(entries=Sum("entries"), denied=Sum("denied"))
    )
    for hour, entries, denied in stored:
        hours[hour].entries += entries
        hours[hour].denied += denied
    for (_site, _day, hour), values in _pending_at(sites, day, day_counts.pending().hours).items():
        hours[hour].entries += values[day_counts.HOUR_ENTRIES]
        hours[hour].denied += values[day_counts.HOUR_DENIED]
    fevers = (
        FeverAlert.objects.filter(site_id__in=sites.values("pk"), checked_at__gte=start, checked_at__lt=end)
        .annotate(hour=ExtractHour("checked_at"))
        .order_by()
        .values_list("hour")
        .annotate(n=Count("id"))
    )
    for hour, n in fevers:
        hours[hour].fevers += n
    return hours


def alert_list(*, actor: User, status: str = "", site_id: int | None = None) -> QuerySet[FeverAlert]:
    qs = (
        FeverAlert.objects.filter(alert_scope_q(actor))
        .select_related("site", "organisation", "person")
        .prefetch_related("retests")
    )
    qs = filter_given(qs, status=status, site_id=site_id)
    return qs.order_by("-checked_at", "-id")


def alert_scope_q(actor: User) -> Q:
    """Duty officers receive every alert, so they see every alert; others their organisations'."""
    if actor.is_duty_officer and actor.is_active:
        return Q()
    return scoping.organisation_q(actor, "organisation")


def alert_access(*, actor: User, pk: int) -> FeverAlert:
    alert = (
        FeverAlert.objects.filter(alert_scope_q(actor), pk=pk)
        .select_related("site", "organisation", "person", "checkin")
        .prefetch_related("retests")
        .first()
    )
    if alert is None:
        raise NotFound()
    return alert


def open_alert_count(*, actor: User) -> int:
    return FeverAlert.objects.filter(alert_scope_q(actor), status=AlertStatus.OPEN).count()


def checkin_site_list(*, actor: User) -> QuerySet[Site]:
    """Sites where the actor may record entries at the gate page."""
    from .services import can_check_in

    if not can_check_in(actor):
        return Site.objects.none()
    return (
        Site.objects.filter(scoping.organisation_q(actor, "organisation"), is_active=True)
        .select_related("organisation")
        .order_by("organisation__name_key", "name_key", "id")
    )


def face_photos(*, actor: User, organisation_id: int | None = None) -> QuerySet[FacePhoto]:
    """Photos the actor's own organisations enrolled, of people whose personal data they may read."""
    qs = FacePhoto.objects.filter(
        scoping.personal_data_organisation_q(actor),
        person__in=Person.objects.filter(scoping.personal_data_q(actor)).values("pk"),
    )
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.select_related("person", "organisation").order_by("-created_at", "-id")


def face_photo_access(*, actor: User, pk: int) -> FacePhoto:
    photo = face_photos(actor=actor).filter(pk=pk).first()
    if photo is None:
        raise NotFound()
    return photo


def face_photo_read(*, actor: User, photo: FacePhoto) -> bytes:
    """The image itself: personal data, each read audited."""
    from .services import can_manage_faces, face_path

    if not can_manage_faces(actor, photo.person):
        raise Forbidden()
    audit_personal_read(
        actor=actor, obj=photo, fields=["face_photo"], purpose="face_photo", organisation_id=photo.organisation_id
    )
    path = face_path(photo)
    if not path.exists():
        raise NotFound()
    return path.read_bytes()


def enrolled_person_ids(person_ids: Sequence[int]) -> set[int]:
    return set(FacePhoto.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True))


def attendance_source(organisation_ids: Sequence[int], day: date) -> dict[int, int]:
    """Registered in AppConfig.ready() (core/attendance.py): distinct people let in at each
    organisation's sites on `day`, from the day counts. Organisations without any entry that day
    are left out."""
    wanted = set(organisation_ids)
    found = dict(
        OrganisationDayCount.objects.filter(organisation_id__in=list(wanted), day=day).values_list(
            "organisation_id", "people"
        )
    )
    for (organisation_id, of_day), n in day_counts.pending().people.items():
        if of_day == day and organisation_id in wanted:
            found[organisation_id] = found.get(organisation_id, 0) + n
    return {pk: n for pk, n in found.items() if n}


def fever_holds(person_id: int) -> list[str]:
    """The fever that holds the person at every gate until a normal re-test (health's card says
    so: health.selectors.register_hold_source)."""
    since = (
        FeverAlert.objects.filter(person_id=person_id, released_at=None)
        .order_by("-checked_at")
        .values_list("checked_at", flat=True)
        .first()
    )
    if since is None:
        return []
    return [reason_message({"code": "fever_hold", "since": timezone.localtime(since).strftime("%m-%d %H:%M")})]
