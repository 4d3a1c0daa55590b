"""Reads of resumption filings and the zone's rates, always through the actor's scope."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.core.attendance import attendance
from zoneguard.core.collation import pinyin_key
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation, OrganisationKind

from . import access
from .models import RESUMABLE_KINDS, FilingStatus, ResumptionFiling, ResumptionState
from .onduty import reported


def filing_list(
    *,
    actor: User,
    status: str = "",
    organisation_id: int | None = None,
    search: str = "",
    to_review: bool = False,
) -> QuerySet[ResumptionFiling]:
    qs = ResumptionFiling.objects.filter(scoping.organisation_q(actor, "organisation")).select_related(
        "organisation", "organisation__sector", "decided_department"
    )
    if to_review:
        qs = qs.filter(access.reviewable_q(actor), status=FilingStatus.SUBMITTED)
    qs = filter_given(qs, status=status, organisation_id=organisation_id)
    if search:
        qs = qs.filter(organisation__name__icontains=search.strip())
    return qs.order_by("-submitted_at", "-id")


def filing_access(*, actor: User, pk: int) -> ResumptionFiling:
    filing = (
        ResumptionFiling.objects.filter(scoping.organisation_q(actor, "organisation"), pk=pk)
        .select_related("organisation", "organisation__sector", "organisation__parent", "decided_department")
        .first()
    )
    if filing is None:
        raise NotFound()
    return filing


def filing_for_organisation(*, actor: User, organisation_id: int) -> ResumptionFiling | None:
    return filing_list(actor=actor, organisation_id=organisation_id).first()


def fileable_organisations(*, actor: User) -> QuerySet[Organisation]:
    """Organisations the actor may file for and that have not filed yet."""
    return (
        Organisation.objects.filter(access.fileable_organisations_q(actor), is_active=True)
        .exclude(pk__in=ResumptionFiling.objects.values("organisation_id"))
        .order_by("name_key", "id")
    )


def resumption_states(organisation_ids: Sequence[int]) -> dict[int, str]:
    """The `resumption_state` fact: every organisation asked about gets a value."""
    states = dict(
        ResumptionFiling.objects.filter(organisation_id__in=organisation_ids).values_list("organisation_id", "status")
    )
    return {pk: states.get(pk, ResumptionState.NOT_FILED) for pk in organisation_ids}


def resumed_organisation_ids(*, day: date, organisation_ids: Iterable[int] | None = None) -> set[int]:
    """Organisations whose resumption was approved, counted from their resumption date."""
    qs = ResumptionFiling.objects.filter(status=FilingStatus.APPROVED, resumed_on__lte=day)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return set(qs.values_list("organisation_id", flat=True))


def resumed_q(*, on: date | Combinable, path: str = "") -> Q:
    """Organisations (reached through `path`, "" on Organisation itself) open for work on `on`: a
    date, or an expression such as F("day") comparing with each row's own date (a daily report's).
    Active, their filing approved, their resumption date reached."""
    prefix = f"{path}__" if path else ""
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}resumption_filings__status": FilingStatus.APPROVED,
            f"{prefix}resumption_filings__resumed_on__lte": on,
        }
    )


def resumed_organisations(*, actor: User, day: date) -> QuerySet[Organisation]:
    """The actor's organisations that are open for work on `day` (they owe a daily report)."""
    return (
        Organisation.objects.filter(scoping.organisation_q(actor), resumed_q(on=day))
        .select_related("sector", "community")
        .order_by("kind", "name_key", "id")
    )


def resumed_counts(*, actor: User, days: Sequence[date]) -> list[int]:
    """For each of `days` (ascending), how many of the actor's organisations were open for work:
    `resumed_organisations(day=…).count()` for every day, in one query grouped by resumption date."""
    return _open_on(Organisation.objects.filter(scoping.organisation_q(actor)), days)


def _open_on(organisations: QuerySet[Organisation], days: Sequence[date]) -> list[int]:
    if not days:
        return []
    # One filing per organisation: counting filings counts organisations.
    started = (
        ResumptionFiling.objects.filter(
            organisation__in=organisations.filter(is_active=True).values("pk"),
            status=FilingStatus.APPROVED,
            resumed_on__lte=days[-1],
        )
        .order_by()
        .values_list("resumed_on")
        .annotate(n=Count("pk"))
    )
    pending = sorted(started)
    result, total, index = [], 0, 0
    for day in days:
        while index < len(pending) and pending[index][0] <= day:
            total += pending[index][1]
            index += 1
        result.append(total)
    return result


def staff_on_duty(organisations: Iterable[Organisation], day: date) -> dict[int, int]:
    """Staff on duty per organisation on `day`: the larger of what its gates counted
    (core.attendance) and what it reported (the daily prevention report, through onduty). A
    count above the registered staff is capped at it (a gate also counts visitors)."""
    organisations = list(organisations)
    ids = [o.pk for o in organisations]
    counted, declared = attendance(ids, day), reported(ids, day)
    result = {}
    for organisation in organisations:
        value = max(counted.get(organisation.pk, 0), declared.get(organisation.pk, 0))
        if organisation.total_staff:
            value = min(value, organisation.total_staff)
        result[organisation.pk] = value
    return result


@dataclass
class RateRow:
    key: Any
    label: str
    registered: int = 0
    resumed: int = 0
    total_staff: int = 0
    on_duty: int = 0

    @property
    def resumption_rate(self) -> float | None:
        return self.resumed / self.registered if self.registered else None

    @property
    def return_rate(self) -> float | None:
        return self.on_duty / self.total_staff if self.total_staff else None

    def add(self, *, resumed: bool, total_staff: int, on_duty: int) -> None:
        self.registered += 1
        self.resumed += int(resumed)
        self.total_staff += total_staff
        self.on_duty += on_duty


@dataclass
class OrganisationRate:
    organisation: Organisation
    state: str
    resumed_on: date | None
    resumed: bool
    on_duty: int

    @property
    def state_label(self) -> str:
        return str(ResumptionState(self.state).label)

    @property
    def return_rate(self) -> float | None:
        total = self.organisation.total_staff
        return self.on_duty / total if total else None


@dataclass
class Rates:
    day: date
    overall: RateRow
    by_kind: list[RateRow] = field(default_factory=list)
    by_sector: list[RateRow] = field(default_factory=list)
    by_community: list[RateRow] = field(default_factory=list)
    organisations: list[OrganisationRate] = field(default_factory=list)


def resumption_rates(*, actor: User, day: date | None = None, kind: str = "") -> Rates:
    """Resumption rate (resumed ÷ registered) and staff return rate (on duty ÷ total staff) of
    the actor's active organisations that resume work, overall and by kind, sector and community."""
    from django.utils.translation import gettext as _

    day = day or timezone.localdate()
    organisations = list(
        Organisation.objects.filter(scoping.organisation_q(actor), is_active=True, kind__in=RESUMABLE_KINDS)
        .filter(Q(kind=kind) if kind else Q())
        .select_related("sector", "community")
        .only("name", "name_key", "kind", "total_staff", "sector__name", "community__name")
        .order_by("kind", "name_key", "id")
    )
    # By id: a list of a district's organisations as model instances costs Django a conversion each.
    filings = {
        f.organisation_id: f
        for f in ResumptionFiling.objects.filter(organisation_id__in=[o.pk for o in organisations]).only(
            "organisation_id", "status", "resumed_on"
        )
    }
    on_duty = staff_on_duty(organisations, day)
    overall = RateRow("all", _("All"))
    by_kind: dict[Any, RateRow] = {}
    by_sector: dict[Any, RateRow] = {}
    by_community: dict[Any, RateRow] = {}
    rows: list[OrganisationRate] = []
    kinds = dict(OrganisationKind.choices)
    for organisation in organisations:
        filing = filings.get(organisation.pk)
        resumed = bool(
            filing and filing.status == FilingStatus.APPROVED and filing.resumed_on and filing.resumed_on <= day
        )
        sector, community = organisation.sector, organisation.community
        for row in (
            overall,
            _row(by_kind, organisation.kind, str(kinds[organisation.kind])),
            _row(by_sector, sector.pk if sector else None, sector.name if sector else "—"),
            _row(by_community, community.pk if community else None, community.name if community else "—"),
        ):
            row.add(resumed=resumed, total_staff=organisation.total_staff, on_duty=on_duty[organisation.pk])
        rows.append(
            OrganisationRate(
                organisation=organisation,
                state=filing.status if filing else ResumptionState.NOT_FILED,
                resumed_on=filing.resumed_on if filing else None,
                resumed=resumed,
                on_duty=on_duty[organisation.pk],
            )
        )
    return Rates(
        day=day,
        overall=overall,
        by_kind=list(by_kind.values()),
        by_sector=sorted(by_sector.values(), key=lambda r: pinyin_key(r.label)),
        by_community=sorted(by_community.values(), key=lambda r: pinyin_key(r.label)),
        organisations=rows,
    )


ATTENTION: dict[str, int] = {
    ResumptionState.RETURNED: 0,
    ResumptionState.NOT_FILED: 1,
    ResumptionState.SUBMITTED: 2,
    ResumptionState.APPROVED: 3,
}


def attention_first(rows: Sequence[OrganisationRate]) -> list[OrganisationRate]:
    """The organisations as the rates page lists them, a page at a time: those not open for work
    first (returned filings, then none, then waiting for review), then the open ones with the
    fewest staff back, then by name."""
    return sorted(
        rows,
        key=lambda r: (
            r.resumed,
            ATTENTION.get(r.state, 9),
            r.return_rate if r.return_rate is not None else 2.0,
            bytes(r.organisation.name_key),
            r.organisation.pk,
        ),
    )


def resumption_history(*, actor: User, days: Sequence[date], kind: str = "") -> list[RateRow]:
    """The overall resumption rate on each of `days`, as `resumption_rates(day=…).overall` counts
    it (of the organisations registered now), in two queries however many the days."""
    organisations = Organisation.objects.filter(
        scoping.organisation_q(actor), is_active=True, kind__in=RESUMABLE_KINDS
    ).filter(Q(kind=kind) if kind else Q())
    registered = organisations.count()
    return [
        RateRow(day, day.isoformat(), registered=registered, resumed=resumed)
        for day, resumed in zip(days, _open_on(organisations, days), strict=True)
    ]


def _row(rows: dict[Any, RateRow], key: Any, label: str) -> RateRow:
    if key not in rows:
        rows[key] = RateRow(key, label)
    return rows[key]
