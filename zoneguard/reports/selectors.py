"""Reads of daily reports: who has and has not filed, through the actor's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation
from zoneguard.resumption.selectors import resumed_counts, resumed_organisations, resumed_q

from .models import DailyReport, ReportReminder
from .schedule import deadline_for, is_late
from .services import can_report


def report_list(*, actor: User, day: date | None = None, organisation_id: int | None = None) -> QuerySet[DailyReport]:
    qs = DailyReport.objects.filter(scoping.organisation_q(actor, "organisation")).select_related(
        "organisation", "filed_by"
    )
    qs = filter_given(qs, day=day, organisation_id=organisation_id)
    return qs.order_by("-day", "organisation__name_key", "id")


def report_access(*, actor: User, pk: int) -> DailyReport:
    report = (
        DailyReport.objects.filter(scoping.organisation_q(actor, "organisation"), pk=pk)
        .select_related("organisation", "organisation__sector", "filed_by")
        .first()
    )
    if report is None:
        raise NotFound()
    return report


class FilingState:
    FILED = "filed"
    DUE = "due"  # not filed, deadline not passed yet
    LATE = "late"


@dataclass
class OrganisationDay:
    organisation: Organisation
    report: DailyReport | None
    state: str
    reminded_at: datetime | None


@dataclass
class DayOverview:
    day: date
    deadline: datetime
    rows: list[OrganisationDay] = field(default_factory=list)

    @property
    def filed(self) -> list[OrganisationDay]:
        return [r for r in self.rows if r.state == FilingState.FILED]

    @property
    def missing(self) -> list[OrganisationDay]:
        return [r for r in self.rows if r.state != FilingState.FILED]

    @property
    def late(self) -> list[OrganisationDay]:
        return [r for r in self.rows if r.state == FilingState.LATE]

    def total(self, name: str) -> Any:
        values = [getattr(r.report, name) for r in self.filed if r.report is not None]
        if name == "disinfectant_litres":
            return sum(values, Decimal("0"))
        if name == "disinfection_done":
            return sum(1 for v in values if v)
        return sum(values)

    @property
    def total_staff_on_duty(self) -> int:
        return int(self.total("staff_on_duty"))

    @property
    def total_staff(self) -> int:
        return sum(r.organisation.total_staff for r in self.rows)


def day_overview(*, actor: User, day: date | None = None, now: datetime | None = None) -> DayOverview:
    """Every organisation of the actor's scope that owes a report on `day` (those resumed by then),
    with its report, or its state: due before the deadline, late after it."""
    day = day or timezone.localdate()
    organisations = list(resumed_organisations(actor=actor, day=day))
    ids = [o.pk for o in organisations]
    reports = {
        r.organisation_id: r
        for r in DailyReport.objects.filter(day=day, organisation_id__in=ids).select_related("filed_by")
    }
    reminders = dict(
        ReportReminder.objects.filter(day=day, organisation_id__in=ids).values_list("organisation_id", "sent_at")
    )
    late = is_late(day, now=now)
    rows = []
    for organisation in organisations:
        report = reports.get(organisation.pk)
        state = FilingState.FILED if report else (FilingState.LATE if late else FilingState.DUE)
        rows.append(OrganisationDay(organisation, report, state, reminders.get(organisation.pk)))
    return DayOverview(day=day, deadline=deadline_for(day), rows=rows)


@dataclass(frozen=True)
class DaySummary:
    """`day_overview`'s counts, computed in the database: reports due, filed, late, staff on duty."""

    day: date
    deadline: datetime
    due: int
    filed: int
    late: int
    staff_on_duty: int


def _owed(actor: User, day: date) -> QuerySet[Organisation]:
    return Organisation.objects.filter(scoping.organisation_q(actor), resumed_q(on=day))


def day_summary(*, actor: User, day: date | None = None, now: datetime | None = None) -> DaySummary:
    day = day or timezone.localdate()
    owed = _owed(actor, day)
    due = owed.count()
    filed = DailyReport.objects.filter(day=day, organisation_id__in=owed.values("pk")).aggregate(
        n=Count("pk"), staff=Sum("staff_on_duty")
    )
    missing = due - filed["n"]
    return DaySummary(
        day=day,
        deadline=deadline_for(day),
        due=due,
        filed=filed["n"],
        late=missing if is_late(day, now=now) else 0,
        staff_on_duty=filed["staff"] or 0,
    )


def missing_reports(*, actor: User, day: date | None = None) -> QuerySet[Organisation]:
    """The organisations that owe `day`'s report and have not filed it, by name; each carries
    `reminded_at`. Paged on the overview, whose late filers come first."""
    day = day or timezone.localdate()
    reminded = ReportReminder.objects.filter(day=day, organisation_id=OuterRef("pk")).values("sent_at")[:1]
    return (
        _owed(actor, day)
        .exclude(pk__in=DailyReport.objects.filter(day=day).values("organisation_id"))
        .annotate(reminded_at=Subquery(reminded))
        .order_by("name_key", "id")
    )


def filed_reports(*, actor: User, day: date | None = None) -> QuerySet[DailyReport]:
    """`day`'s reports of the organisations that owe one, those with temperature anomalies first."""
    day = day or timezone.localdate()
    return (
        DailyReport.objects.filter(day=day, organisation_id__in=_owed(actor, day).values("pk"))
        .select_related("organisation")
        .order_by("-temperature_anomalies", "organisation__name_key", "id")
    )


@dataclass(frozen=True)
class FilingDay:
    day: date
    filed: int
    due: int


def filing_by_day(*, actor: User, days: Sequence[date]) -> list[FilingDay]:
    """For each of `days` (ascending), the reports due and filed as `day_overview` counts them (due:
    the actor's organisations open for work that day; filed: those of them that filed), in two
    queries grouped by day however many the days."""
    if not days:
        return []
    filed = dict(
        DailyReport.objects.filter(
            scoping.organisation_q(actor, "organisation"),
            resumed_q(on=F("day"), path="organisation"),
            day__gte=days[0],
            day__lte=days[-1],
        )
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    due = resumed_counts(actor=actor, days=days)
    return [FilingDay(day=day, filed=filed.get(day, 0), due=n) for day, n in zip(days, due, strict=True)]


def reportable_organisations(*, actor: User, day: date | None = None) -> list[Organisation]:
    """Organisations the actor files reports for and that are open for work on `day`."""
    day = day or timezone.localdate()
    return [o for o in resumed_organisations(actor=actor, day=day) if can_report(actor, o)]
