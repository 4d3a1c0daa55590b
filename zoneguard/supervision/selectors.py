"""Reads of key tasks, items, scores and meetings, always through access.py's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.core.roles import Role, is_commander
from zoneguard.registry.models import Department

from . import access, deadlines, scoring
from .models import (
    AgendaItem,
    AssessmentScheme,
    ClosedMonth,
    Decision,
    ItemStatus,
    KeyTask,
    Meeting,
    MonthScore,
    ProgressReport,
    TaskItem,
)

# --- Tasks and items ----------------------------------------------------------------------------


def task_list(
    *, actor: User, department_id: int | None = None, year: int | None = None, quarter: int | None = None
) -> QuerySet[KeyTask]:
    qs = KeyTask.objects.filter(access.department_q(actor)).select_related("department")
    qs = filter_given(qs, department_id=department_id, year=year, quarter=quarter)
    today = timezone.localdate()
    return qs.annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__status=ItemStatus.DONE), distinct=True),
        overdue_count=Count(
            "items", filter=Q(items__due_on__lt=today) & ~Q(items__status=ItemStatus.DONE), distinct=True
        ),
    ).order_by("-year", "-quarter", "department__code", "id")


def task_access(*, actor: User, pk: int) -> KeyTask:
    task = task_list(actor=actor).filter(pk=pk).first()
    if task is None:
        raise NotFound()
    return task


def _items(qs: QuerySet[TaskItem]) -> QuerySet[TaskItem]:
    return qs.select_related("task", "task__department", "responsible")


def item_list(
    *,
    actor: User,
    task_id: int | None = None,
    department_id: int | None = None,
    responsible_id: int | None = None,
    status: str = "",
    due_on: date | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    overdue: bool | None = None,
) -> QuerySet[TaskItem]:
    qs = _items(TaskItem.objects.filter(access.department_q(actor, "task__department")))
    qs = filter_given(
        qs,
        task_id=task_id,
        task__department_id=department_id,
        responsible_id=responsible_id,
        status=status,
        due_on=due_on,
        due_on__gte=due_from,
        due_on__lte=due_to,
    )
    if overdue is not None:
        late = Q(due_on__lt=timezone.localdate()) & ~Q(status=ItemStatus.DONE)
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs.order_by("due_on", "id")


def item_access(*, actor: User, pk: int) -> TaskItem:
    item = _items(TaskItem.objects.filter(access.department_q(actor, "task__department"), pk=pk)).first()
    if item is None:
        raise NotFound()
    return item


def my_items(*, actor: User, today: date | None = None) -> QuerySet[TaskItem]:
    """What the officer has to report on: today's items and the overdue ones (oldest first), theirs
    or, as the department's head, the department's."""
    department = access.officer_department(actor)
    if department is None:
        return TaskItem.objects.none()
    today = today or timezone.localdate()
    qs = TaskItem.objects.filter(task__department_id=department)
    if not access.is_head(actor, department):
        qs = qs.filter(responsible=actor)
    due = Q(due_on=today) | (Q(due_on__lt=today) & ~Q(status=ItemStatus.DONE))
    return _items(qs.filter(due)).order_by("due_on", "id")


def item_reports(*, item: TaskItem) -> QuerySet[ProgressReport]:
    """The item's reports (the item already read through item_access), newest first."""
    return item.reports.select_related("reported_by").prefetch_related("evidence").order_by("-reported_at", "-id")


def evidence_access(*, actor: User, item_pk: int, pk: int) -> Any:
    from .models import Evidence

    item = item_access(actor=actor, pk=item_pk)
    evidence = Evidence.objects.filter(report__item=item, pk=pk).first()
    if evidence is None:
        raise NotFound()
    return evidence


def department_officers(*, department_id: int) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.DEPARTMENT_OFFICER, department_id=department_id).order_by(
        "full_name", "username"
    )


def visible_departments(*, actor: User) -> QuerySet[Department]:
    qs = Department.objects.filter(is_active=True)
    if is_commander(actor):
        return qs
    department = access.officer_department(actor)
    return qs.filter(pk=department) if department else qs.none()


def department_access(*, actor: User, pk: int) -> Department:
    department = visible_departments(actor=actor).filter(pk=pk).first()
    if department is None:
        raise NotFound()
    return department


def heads() -> dict[int, User]:
    return {d.pk: d.head for d in Department.objects.filter(head__isnull=False).select_related("head") if d.head}


# --- Scores -------------------------------------------------------------------------------------


def active_scheme() -> AssessmentScheme | None:
    return AssessmentScheme.objects.filter(is_active=True).first()


def scheme_rules(scheme: AssessmentScheme) -> scoring.Scheme:
    return scoring.Scheme(
        base=scheme.base,
        weights={kind: Decimal(str(weight)) for kind, weight in (scheme.weights or {}).items()},
        per_overdue_day=scheme.per_overdue_day,
        item_cap=scheme.item_cap,
        early_bonus=scheme.early_bonus,
        monthly_bonus_cap=scheme.monthly_bonus_cap,
        floor=scheme.floor,
    )


def scheme_snapshot(scheme: AssessmentScheme) -> dict[str, Any]:
    """The scheme as a closed month keeps it."""
    return {
        "name": scheme.name,
        "base": str(scheme.base),
        "weights": {k: str(v) for k, v in (scheme.weights or {}).items()},
        "per_overdue_day": str(scheme.per_overdue_day),
        "item_cap": str(scheme.item_cap),
        "early_bonus": str(scheme.early_bonus),
        "monthly_bonus_cap": str(scheme.monthly_bonus_cap),
        "floor": str(scheme.floor),
    }


@dataclass
class DepartmentScore:
    department: Department
    total: Decimal
    rank: int
    previous_total: Decimal | None
    previous_rank: int | None
    items: int
    overdue: int
    done: int
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        return None if self.previous_total is None else self.total - self.previous_total

    @property
    def rank_change(self) -> int | None:
        return None if self.previous_rank is None else self.previous_rank - self.rank


@dataclass
class MonthScores:
    month: date
    closed: ClosedMonth | None
    rows: list[DepartmentScore]


def _computed(month: date, today: date) -> dict[int, scoring.Score]:
    """Each department's score of the month from the records as they stand, with the active
    scheme; {} without a scheme."""
    scheme = active_scheme()
    if scheme is None:
        return {}
    rules = scheme_rules(scheme)
    first, last = deadlines.month_bounds(month)
    records: dict[int, list[scoring.ItemRecord]] = {}
    rows = TaskItem.objects.filter(due_on__gte=first, due_on__lte=last, task__department__is_active=True).values_list(
        "pk", "title", "task__kind", "due_on", "done_on", "task__department_id"
    )
    for pk, title, kind, due_on, done_on, department_id in rows:
        records.setdefault(department_id, []).append(scoring.ItemRecord(pk, title, kind, due_on, done_on))
    return {
        department: scoring.month_score(scheme=rules, items=items, today=today) for department, items in records.items()
    }


def _totals(month: date, today: date) -> tuple[ClosedMonth | None, dict[int, Any]]:
    """The month's scores per department: the stored ones once closed, computed ones before."""
    closed = ClosedMonth.objects.filter(month=month).first()
    if closed is not None:
        return closed, {s.department_id: s for s in MonthScore.objects.filter(closed_month=closed)}
    return None, _computed(month, today)


def month_scores(*, actor: User, month: date, today: date | None = None) -> MonthScores:
    """The ranking of the month with the change from the month before (the commander sees every
    department, an officer their own department's row)."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    closed, scores = _totals(month, today)
    _closed_before, before = _totals(deadlines.previous_month(month), today)
    ranked = scoring.ranking(
        totals={d: s.total for d, s in scores.items()}, previous={d: s.total for d, s in before.items()}
    )
    visible = {d.pk: d for d in visible_departments(actor=actor).filter(pk__in=list(scores))}
    rows = []
    for row in ranked:
        if row.department_id not in visible:
            continue
        score = scores[row.department_id]
        lines = score.lines if closed is not None else [line.as_dict() for line in score.lines]
        rows.append(
            DepartmentScore(
                department=visible[row.department_id],
                total=row.total,
                rank=row.rank,
                previous_total=row.previous_total,
                previous_rank=row.previous_rank,
                items=score.items,
                overdue=score.overdue,
                done=score.done,
                lines=lines,
            )
        )
    return MonthScores(month=month, closed=closed, rows=rows)


def department_score(*, actor: User, department_id: int, month: date) -> DepartmentScore:
    department_access(actor=actor, pk=department_id)
    for row in month_scores(actor=actor, month=month).rows:
        if row.department.pk == department_id:
            return row
    raise NotFound()


def closed_months() -> QuerySet[ClosedMonth]:
    return ClosedMonth.objects.select_related("closed_by").order_by("-month")


# --- Meetings -----------------------------------------------------------------------------------


def meeting_list(*, actor: User) -> QuerySet[Meeting]:
    visible = Meeting.objects.filter(access.meeting_q(actor)).values("pk")
    return (
        Meeting.objects.filter(pk__in=visible)
        .annotate(agenda_count=Count("agenda", distinct=True), decision_count=Count("decisions", distinct=True))
        .order_by("-held_at", "-id")
    )


def meeting_access(*, actor: User, pk: int) -> Meeting:
    visible = Meeting.objects.filter(access.meeting_q(actor)).values("pk")
    meeting = (
        Meeting.objects.filter(pk__in=visible, pk=pk)
        .select_related("minutes_notice")
        .prefetch_related(
            "departments",
            "people",
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("task", "ticket", "project")),
            Prefetch("decisions", queryset=Decision.objects.select_related("department", "owner", "item")),
        )
        .first()
    )
    if meeting is None:
        raise NotFound()
    return meeting


def decision_access(*, actor: User, meeting: Meeting, pk: int) -> Decision:
    decision = Decision.objects.filter(meeting=meeting, pk=pk).select_related("department", "owner").first()
    if decision is None:
        raise NotFound()
    return decision


def attendees(meeting: Meeting) -> QuerySet[User]:
    """The people the minutes go to: those named, and the active officers of the departments."""
    departments = list(meeting.departments.values_list("pk", flat=True))
    people = list(meeting.people.values_list("pk", flat=True))
    return User.objects.filter(
        Q(pk__in=people) | Q(role=Role.DEPARTMENT_OFFICER, department_id__in=departments), is_active=True
    ).order_by("pk")


def meeting_people() -> QuerySet[User]:
    """Whom a meeting may name as attendees: the zone's officers and its commanders."""
    return (
        User.objects.filter(is_active=True, role__in=[Role.DEPARTMENT_OFFICER, Role.COMMANDER])
        .select_related("department")
        .order_by("department_id", "full_name", "username")
    )


def minutes_receipts(*, notice_id: int) -> Any:
    """Who has read the minutes (the notices app records the readings)."""
    from zoneguard.notices.models import Notice
    from zoneguard.notices.selectors import reader_receipts

    return reader_receipts(notice=Notice(pk=notice_id))
