from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from zoneguard.core.api import MAX_ID, DateIn, DateTimeIn, InSchema

from . import deadlines
from .labels import RULE_LABELS
from .models import MAX_POINTS, Cadence, ItemStatus, TaskKind

MONTH_PATTERN = r"^(20\d\d|2100)-(0[1-9]|1[0-2])$"
ID = Field(..., ge=1, le=MAX_ID)


def rule_label(rule: str) -> str:
    return str(RULE_LABELS.get(rule, rule))


# --- Tasks and items ----------------------------------------------------------------------------


class KeyTaskFilters(InSchema):
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    year: int | None = Field(None, ge=2000, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)


class KeyTaskIn(InSchema):
    department_id: int = ID
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    kind: TaskKind
    title: str = Field(..., min_length=1, max_length=200)
    target: str = Field(..., min_length=1, max_length=300, description="What is measured, e.g. 开工项目 5 个.")
    target_quantity: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"), max_digits=14, decimal_places=2)
    unit: str = Field("", max_length=20)


class KeyTaskOut(Schema):
    id: int
    department_id: int
    department: str
    year: int
    quarter: int
    kind: str
    title: str
    target: str
    target_quantity: Decimal | None
    unit: str
    item_count: int
    done_count: int
    overdue_count: int

    @staticmethod
    def resolve_department(obj: Any) -> str:
        return obj.department.name


class TaskItemFilters(InSchema):
    task_id: int | None = Field(None, ge=1, le=MAX_ID)
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    responsible_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: ItemStatus | None = None
    due_on: DateIn | None = None
    due_from: DateIn | None = None
    due_to: DateIn | None = None
    overdue: bool | None = Field(None, description="Not reported done by the end of their day (Asia/Shanghai).")


class TaskItemIn(InSchema):
    task_id: int = ID
    due_on: DateIn
    cadence: Cadence = Cadence.DAILY
    title: str = Field(..., min_length=1, max_length=200)
    expected_result: str = Field(..., min_length=1, max_length=300)
    responsible_id: int = Field(..., ge=1, le=MAX_ID, description="An officer of the task's department.")


class TaskItemOut(Schema):
    id: int
    task_id: int
    task: str
    kind: str
    department_id: int
    due_on: date
    cadence: str
    title: str
    expected_result: str
    responsible_id: int
    responsible: str
    status: str
    percent: int
    overdue: bool
    done_on: date | None
    reported_at: datetime | None
    reminded_at: datetime | None
    escalated_at: datetime | None

    @staticmethod
    def resolve_task(obj: Any) -> str:
        return obj.task.title

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.task.kind

    @staticmethod
    def resolve_department_id(obj: Any) -> int:
        return obj.task.department_id

    @staticmethod
    def resolve_responsible(obj: Any) -> str:
        return obj.responsible.display_name

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return deadlines.is_overdue(due_on=obj.due_on, done=obj.status == ItemStatus.DONE, today=timezone.localdate())


class ProgressEvidenceOut(Schema):
    id: int
    name: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return f"/supervision/items/{obj.report.item_id}/evidence/{obj.pk}/"


class ProgressReportOut(Schema):
    id: int
    item_id: int
    status: str
    percent: int
    reason: str
    note: str
    reported_by: str
    reported_at: datetime
    evidence: list[ProgressEvidenceOut]

    @staticmethod
    def resolve_reported_by(obj: Any) -> str:
        return obj.reported_by.display_name if obj.reported_by else ""

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())


class DepartmentHeadIn(InSchema):
    user_id: int = Field(..., ge=1, le=MAX_ID, description="An officer of the department.")


class DepartmentHeadOut(Schema):
    department_id: int
    user_id: int


# --- Scores -------------------------------------------------------------------------------------


class ScoreMonthQuery(InSchema):
    month: str = Field(..., pattern=MONTH_PATTERN, description="YYYY-MM")


def month_of(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class DepartmentScoreOut(Schema):
    department_id: int
    department: str
    month: str
    closed: bool
    total: Decimal
    rank: int
    previous_total: Decimal | None = Field(description="Last month's score, if it had one.")
    change: Decimal | None
    rank_change: int | None = Field(description="Places gained since last month (negative: lost).")
    items: int
    overdue: int
    done: int


class ScoreLineOut(Schema):
    rule: str
    rule_label: str
    item_id: int | None
    item: str
    days: int
    weight: Decimal
    points: Decimal


class DepartmentScoreDetailOut(DepartmentScoreOut):
    lines: list[ScoreLineOut]


def score_out(row: Any, month: date, closed: bool, *, lines: bool = False) -> dict[str, Any]:
    data = {
        "department_id": row.department.pk,
        "department": row.department.name,
        "month": f"{month:%Y-%m}",
        "closed": closed,
        "total": row.total,
        "rank": row.rank,
        "previous_total": row.previous_total,
        "change": row.change,
        "rank_change": row.rank_change,
        "items": row.items,
        "overdue": row.overdue,
        "done": row.done,
    }
    if lines:
        data["lines"] = [{**line, "rule_label": rule_label(line["rule"])} for line in row.lines]
    return data


class ClosedMonthOut(Schema):
    month: str
    closed_at: datetime
    departments: int

    @staticmethod
    def resolve_month(obj: Any) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_departments(obj: Any) -> int:
        return obj.scores.count()


def _points() -> Any:
    return Field(..., ge=0, le=MAX_POINTS, max_digits=7, decimal_places=2)


class AssessmentSchemeIn(InSchema):
    name: str = Field(..., min_length=1, max_length=100)
    base: Decimal = _points()
    weights: dict[TaskKind, Decimal] = Field(default_factory=dict, description="Task kind → weight (0 to 10).")
    per_overdue_day: Decimal = _points()
    item_cap: Decimal = _points()
    early_bonus: Decimal = _points()
    monthly_bonus_cap: Decimal = _points()
    floor: Decimal = _points()


class AssessmentSchemeOut(Schema):
    id: int
    name: str
    base: Decimal
    weights: dict[str, Decimal]
    per_overdue_day: Decimal
    item_cap: Decimal
    early_bonus: Decimal
    monthly_bonus_cap: Decimal
    floor: Decimal
    updated_at: datetime


# --- Meetings -----------------------------------------------------------------------------------


class MeetingIn(InSchema):
    title: str = Field(..., min_length=1, max_length=200)
    held_at: DateTimeIn
    place: str = Field("", max_length=200)
    video_link: str = Field("", max_length=500, description="An http(s) link, for a meeting by video.")
    department_ids: list[int] = Field(default_factory=list, max_length=100)
    people_ids: list[int] = Field(default_factory=list, max_length=500)


class MeetingListOut(Schema):
    id: int
    title: str
    held_at: datetime
    place: str
    video_link: str
    agenda_count: int
    decision_count: int
    minutes_sent: bool

    @staticmethod
    def resolve_minutes_sent(obj: Any) -> bool:
        return obj.minutes_notice_id is not None


class AgendaItemIn(InSchema):
    title: str = Field(..., min_length=1, max_length=200)
    project_id: int | None = Field(None, ge=1, le=MAX_ID, description="An investment project (dispatch).")
    task_id: int | None = Field(None, ge=1, le=MAX_ID)
    ticket_id: int | None = Field(None, ge=1, le=MAX_ID)


class AgendaItemOut(Schema):
    id: int
    title: str
    project_id: int | None
    task_id: int | None
    ticket_id: int | None


class MeetingDecisionIn(InSchema):
    text: str = Field(..., min_length=1, max_length=300)
    department_id: int = ID
    owner_id: int = Field(..., ge=1, le=MAX_ID, description="An officer of the department.")
    due_on: DateIn
    agenda_item_id: int | None = Field(None, ge=1, le=MAX_ID)


class MeetingDecisionOut(Schema):
    id: int
    text: str
    department_id: int
    owner_id: int
    due_on: date
    agenda_item_id: int | None
    item_id: int | None


class MinutesIn(InSchema):
    minutes: str = Field(..., max_length=50_000)


class MinutesReaderOut(Schema):
    user_id: int
    name: str
    read_at: datetime | None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.user.display_name


class MeetingOut(Schema):
    id: int
    title: str
    held_at: datetime
    place: str
    video_link: str
    department_ids: list[int]
    people_ids: list[int]
    minutes: str
    notice_id: int | None = Field(description="The notice the minutes went out as.")
    agenda: list[AgendaItemOut]
    decisions: list[MeetingDecisionOut]

    @staticmethod
    def resolve_department_ids(obj: Any) -> list[int]:
        return [d.pk for d in obj.departments.all()]

    @staticmethod
    def resolve_people_ids(obj: Any) -> list[int]:
        return [p.pk for p in obj.people.all()]

    @staticmethod
    def resolve_notice_id(obj: Any) -> int | None:
        return obj.minutes_notice_id

    @staticmethod
    def resolve_agenda(obj: Any) -> list[Any]:
        return list(obj.agenda.all())

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(obj.decisions.all())
