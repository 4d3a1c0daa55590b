"""Reads of the gates module, always through the actor's organisation scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractHour
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.audit.services import audit_personal_read
from zoneguard.core import dates
from zoneguard.core.errors import Forbidden, NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.registry import scoping
from zoneguard.registry.models import Person, Site

from .models import AlertStatus, CheckIn, Decision, Direction, FacePhoto, FeverAlert

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


def today_counts(*, actor: User, day: date | None = None) -> list[SiteCounts]:
    """Per site in scope: entries allowed, exits, entries denied, fevers and people on site now."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    sites = list(
        Site.objects.filter(scoping.organisation_q(actor, "organisation"), is_active=True)
        .select_related("organisation")
        .order_by("organisation__name_key", "name_key", "id")
    )
    counts = {site.pk: SiteCounts(site=site) for site in sites}
    rows = (
        CheckIn.objects.filter(site_id__in=counts.keys(), checked_at__gte=start, checked_at__lt=end)
        .order_by()
        .values("site_id", "direction", "decision")
        .annotate(n=Count("id"))
    )
    for row in rows:
        c = counts[row["site_id"]]
        if row["decision"] == Decision.DENY:
            c.denied += row["n"]
        elif row["direction"] == Direction.IN:
            c.entries += row["n"]
        else:
            c.exits += row["n"]
    fevers = (
        FeverAlert.objects.filter(site_id__in=counts.keys(), checked_at__gte=start, checked_at__lt=end)
        .order_by()
        .values("site_id")
        .annotate(n=Count("id"))
    )
    for row in fevers:
        counts[row["site_id"]].fevers = row["n"]
    for entry in onsite_now(actor=actor, day=day):
        if entry.site_id in counts:
            counts[entry.site_id].on_site += 1
    return list(counts.values())


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


def site_counts(*, sites: Sequence[Site], day: date | None = None) -> list[SiteCounts]:
    """`today_counts` of the given sites only (a page of the overview), in their order."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    counts = {site.pk: SiteCounts(site=site) for site in sites}
    rows = (
        CheckIn.objects.filter(site_id__in=list(counts), checked_at__gte=start, checked_at__lt=end)
        .order_by()
        .values("site_id", "direction", "decision")
        .annotate(n=Count("id"))
    )
    for row in rows:
        c = counts[row["site_id"]]
        if row["decision"] == Decision.DENY:
            c.denied += row["n"]
        elif row["direction"] == Direction.IN:
            c.entries += row["n"]
        else:
            c.exits += row["n"]
    fevers = (
        FeverAlert.objects.filter(site_id__in=list(counts), checked_at__gte=start, checked_at__lt=end)
        .order_by()
        .values("site_id")
        .annotate(n=Count("id"))
    )
    for row in fevers:
        counts[row["site_id"]].fevers = row["n"]
    for site_id, n in _on_site_counts(start, end, site_ids=list(counts)).items():
        counts[site_id].on_site = n
    return list(counts.values())


def _latest_in(start: datetime, end: datetime) -> QuerySet[CheckIn]:
    """Allowed entries of the day that are their person's latest allowed passage at that site: the
    people on site, counted in the database."""
    # `checked_at >= the entry's` repeats what the OR says, as a range the person's time index can
    # start from: without it each probe read every passage of the person's history.
    later = CheckIn.objects.filter(
        person_id=OuterRef("person_id"),
        site_id=OuterRef("site_id"),
        decision=Decision.ALLOW,
        checked_at__gte=OuterRef("checked_at"),
        checked_at__lt=end,
    ).filter(Q(checked_at__gt=OuterRef("checked_at")) | Q(checked_at=OuterRef("checked_at"), id__gt=OuterRef("id")))
    return CheckIn.objects.filter(
        checked_at__gte=start,
        checked_at__lt=end,
        decision=Decision.ALLOW,
        direction=Direction.IN,
        person__isnull=False,
    ).filter(~Exists(later))


def _on_site_counts(start: datetime, end: datetime, *, site_ids: list[int]) -> dict[int, int]:
    rows = _latest_in(start, end).filter(site_id__in=site_ids).order_by().values("site_id").annotate(n=Count("id"))
    return {row["site_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class SiteTotals:
    entries: int
    exits: int
    denied: int
    fevers: int
    on_site: int


def site_totals(*, actor: User, day: date | None = None) -> SiteTotals:
    """The overview's totals over every site in scope, summed in the database: what the pages of
    `site_counts` add up to."""
    start, end = day_bounds(day or timezone.localdate())
    scope = scoping.organisation_q(actor, "organisation")
    sites = Site.objects.filter(scope, is_active=True).values("pk")
    rows = (
        CheckIn.objects.filter(scope, site_id__in=sites, checked_at__gte=start, checked_at__lt=end)
        .order_by()
        .values("direction", "decision")
        .annotate(n=Count("id"))
    )
    entries = exits = denied = 0
    for row in rows:
        if row["decision"] == Decision.DENY:
            denied += row["n"]
        elif row["direction"] == Direction.IN:
            entries += row["n"]
        else:
            exits += row["n"]
    fevers = FeverAlert.objects.filter(scope, site_id__in=sites, checked_at__gte=start, checked_at__lt=end).count()
    on_site = _latest_in(start, end).filter(scope, site_id__in=sites).count()
    return SiteTotals(entries=entries, exits=exits, denied=denied, fevers=fevers, on_site=on_site)


@dataclass(frozen=True)
class DayTotals:
    entries: int
    denied: int
    fevers: int


def day_totals(*, actor: User, day: date | None = None) -> DayTotals:
    """Entries let in, entries refused and fevers of a day at the sites in the actor's scope."""
    start, end = day_bounds(day or timezone.localdate())
    rows = (
        CheckIn.objects.filter(scoping.organisation_q(actor, "organisation"), checked_at__gte=start, checked_at__lt=end)
        .filter(direction=Direction.IN)
        .order_by()
        .values("decision")
        .annotate(n=Count("id"))
    )
    by_decision = {row["decision"]: row["n"] for row in rows}
    fevers = FeverAlert.objects.filter(
        scoping.organisation_q(actor, "organisation"), checked_at__gte=start, checked_at__lt=end
    ).count()
    return DayTotals(by_decision.get(Decision.ALLOW, 0), by_decision.get(Decision.DENY, 0), fevers)


@dataclass
class HourCounts:
    hour: int
    entries: int = 0
    denied: int = 0
    fevers: int = 0


def hourly_counts(*, actor: User, day: date | None = None) -> list[HourCounts]:
    """`today_counts` of all the actor's sites, hour by hour of the zone's day (0 to 23): entries
    allowed, entries denied and fevers. Two queries grouped by hour, however many the sites."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    sites = Site.objects.filter(scoping.organisation_q(actor, "organisation"), is_active=True).values("pk")
    hours = [HourCounts(hour=h) for h in range(24)]
    rows = (
        CheckIn.objects.filter(site_id__in=sites, checked_at__gte=start, checked_at__lt=end)
        .filter(Q(decision=Decision.DENY) | Q(direction=Direction.IN))
        .annotate(hour=ExtractHour("checked_at"))
        .order_by()
        .values_list("hour", "decision")
        .annotate(n=Count("id"))
    )
    for hour, decision, n in rows:
        if decision == Decision.DENY:
            hours[hour].denied += n
        else:
            hours[hour].entries += n
    fevers = (
        FeverAlert.objects.filter(site_id__in=sites, checked_at__gte=start, checked_at__lt=end)
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
    organisation's sites on `day`. Organisations without any entry that day are left out."""
    start, end = day_bounds(day)
    rows = (
        CheckIn.objects.filter(
            organisation_id__in=list(organisation_ids),
            checked_at__gte=start,
            checked_at__lt=end,
            direction=Direction.IN,
            decision=Decision.ALLOW,
            person__isnull=False,
        )
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {row["organisation_id"]: row["n"] for row in rows}
