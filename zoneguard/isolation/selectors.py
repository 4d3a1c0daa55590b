"""Reads of home isolation, always through access.case_q."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.audit.services import audit_personal_read
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.core.roles import Role
from zoneguard.registry import scoping
from zoneguard.registry.models import Membership, Organisation, OrganisationKind, Person

from . import access
from . import calendar as rules
from .models import CaseStatus, FollowUp, IsolationCase, Reason, ReasonRule


def case_list(
    *,
    actor: User,
    status: str = "",
    community_id: int | None = None,
    reason: str = "",
    search: str = "",
    worker_id: int | None = None,
) -> QuerySet[IsolationCase]:
    qs = IsolationCase.objects.filter(access.case_q(actor)).select_related("person", "community", "worker")
    qs = filter_given(qs, status=status, community_id=community_id, reason=reason, worker_id=worker_id)
    if search.strip():
        term = search.strip()
        qs = qs.filter(Q(person__name__icontains=term) | Q(person__id_number=term.upper()))
    return qs.order_by("status", "end_date", "id")


def case_access(*, actor: User, pk: int) -> IsolationCase:
    case = (
        IsolationCase.objects.filter(access.case_q(actor), pk=pk)
        .select_related("person", "community", "worker", "source_person", "closed_by", "created_by")
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def case_read_in_full(*, actor: User, case: IsolationCase) -> IsolationCase:
    """The case with the person's full ID number and phone shown: the worker needs them to call
    and visit. The read is audited.

    The name and phone are the community's own record of the person where it has one (`shown_name`,
    `shown_phone`): a worker who opens a case by typing an ID number and a name sees what they typed,
    not what an employer recorded. A case the zone handed over, of someone the community never
    recorded, shows the registry's."""
    record = (
        Membership.objects.filter(person_id=case.person_id, organisation_id=case.community_id).first()
        if case.community_id is not None
        else None
    )
    if record is not None:
        case.shown_name, case.shown_phone = record.name or case.person.name, record.phone
    else:
        case.shown_name, case.shown_phone = case.person.name, case.person.phone
    audit_personal_read(
        actor=actor,
        obj=case.person,
        fields=["id_number", "phone"],
        purpose="isolation_case",
        organisation_id=case.community_id,
    )
    return case


def readings_by_case(case_ids: Iterable[int]) -> dict[int, dict[date, int]]:
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    rows = (
        FollowUp.objects.filter(case_id__in=list(case_ids)).values("case_id", "day").annotate(n=Count("id")).order_by()
    )
    for row in rows:
        counts[row["case_id"]][row["day"]] = row["n"]
    return counts


def _closed_on(case: IsolationCase) -> date | None:
    return timezone.localdate(case.closed_at) if case.closed_at else None


def case_calendar(case: IsolationCase, *, today: date | None = None) -> list[rules.Day]:
    readings = readings_by_case([case.pk]).get(case.pk, {})
    return rules.calendar(
        start=case.start_date,
        end=case.end_date,
        readings_per_day=case.readings_per_day,
        readings=readings,
        today=today or timezone.localdate(),
        closed_on=_closed_on(case),
    )


@dataclass(frozen=True)
class CaseDay:
    """An active case as a worker's list shows it: what today asks and what was missed."""

    case: IsolationCase
    missed: list[date]
    today_readings: int
    ends_today_or_before: bool

    @property
    def due_today(self) -> bool:
        return self.today_readings < self.case.readings_per_day


def follow_up_list(*, actor: User, today: date | None = None, community_id: int | None = None) -> list[CaseDay]:
    """The active cases in the actor's scope with their missed days and today's readings; a worker
    sees theirs and their community's, the missed ones first."""
    today = today or timezone.localdate()
    cases = list(case_list(actor=actor, status=CaseStatus.ACTIVE, community_id=community_id))
    readings = readings_by_case(c.pk for c in cases)
    days = []
    for case in cases:
        counts = readings.get(case.pk, {})
        missed = rules.missed_days(
            start=case.start_date,
            end=case.end_date,
            readings_per_day=case.readings_per_day,
            readings=counts,
            today=today,
            closed_on=None,
        )
        days.append(CaseDay(case, missed, counts.get(today, 0), case.end_date <= today))
    days.sort(key=lambda d: (not d.missed, not d.due_today, d.case.end_date, d.case.pk))
    return days


def missed_count(*, actor: User, today: date | None = None) -> int:
    return sum(1 for day in follow_up_list(actor=actor, today=today) if day.missed)


def follow_ups(case: IsolationCase) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case=case).select_related("recorded_by").order_by("-day", "-slot")


def reason_rules() -> list[ReasonRule]:
    stored = {rule.reason: rule for rule in ReasonRule.objects.all()}
    return [stored.get(reason) or ReasonRule(reason=reason) for reason in Reason.values]


def communities(*, actor: User) -> QuerySet[Organisation]:
    """The communities where the actor may open cases."""
    qs = Organisation.objects.filter(kind=OrganisationKind.COMMUNITY, is_active=True).order_by("name")
    if access.follows_whole_zone(actor):
        return qs
    if access.is_community_worker(actor):
        return qs.filter(pk=actor.organisation_id or 0)
    return qs.none()


def community_workers(*, actor: User, community_id: int | None = None) -> QuerySet[User]:
    qs = User.objects.filter(
        is_active=True, role=Role.COMMUNITY_WORKER, organisation__in=communities(actor=actor)
    ).order_by("organisation_id", "full_name", "id")
    return filter_given(qs, organisation_id=community_id)


def person_access(*, actor: User, pk: int) -> Person:
    """A registered person a case may be opened for: anyone in the zone for the commander's
    officers, the residents of their community for a worker."""
    if access.follows_whole_zone(actor):
        person = Person.objects.filter(pk=pk).first()
    elif access.is_community_worker(actor):
        person = Person.objects.filter(scoping.people_q(actor), pk=pk).first()
    else:
        person = None
    if person is None:
        raise NotFound()
    return person


def counts_by_status(*, actor: User) -> dict[str, int]:
    rows = IsolationCase.objects.filter(access.case_q(actor)).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}
