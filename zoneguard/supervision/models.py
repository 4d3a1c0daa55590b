"""Supervision of key tasks (督查考核) and dispatch meetings (调度会).

A department's key tasks for a quarter are broken down into dated items ("细化落实到每一天"), each
with its responsible person, who reports progress on it; items not done by their day are overdue,
remind that person and then the department's head. An assessment scheme scores each department
monthly (scoring.py); the commander closes a month, which freezes its scores. Dispatch meetings
record attendees, agenda, minutes and decisions, and each decision becomes an item."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import BoundedDateField, BoundedDateTimeField, TimeStampedModel

MAX_POINTS = Decimal("1000")


class TaskKind(models.TextChoices):
    """What the scheme weighs: the story's lines of work."""

    PROJECT = "project", _("Project construction")
    INVESTMENT = "investment", _("Investment attraction")
    SERVICE = "service", _("Enterprise service")
    FUNDS = "funds", _("Funds and finance")
    LAND = "land", _("Land and approvals")
    MEETING = "meeting", _("Meeting decision")
    OTHER = "other", pgettext_lazy("task kind", "Other")


class Cadence(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Not reported")
    PARTLY = "partly", _("Partly done")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")


class KeyTask(TimeStampedModel):
    department = models.ForeignKey(
        "registry.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    kind = models.CharField(_("kind"), max_length=12, choices=TaskKind.choices, default=TaskKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    target = models.CharField(
        pgettext_lazy("key task", "target"), max_length=300, help_text=_("What is measured, e.g. 开工项目 5 个.")
    )
    target_quantity = models.DecimalField(
        _("target quantity"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("999999999999"))],
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-quarter", "department_id", "id"]
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        indexes = [models.Index(fields=["department", "year", "quarter"], name="keytask_dept_period")]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="keytask_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskItem(TimeStampedModel):
    """A dated step of a key task: one day's (or one week's) work, its responsible person and the
    result expected of it."""

    task = models.ForeignKey(KeyTask, on_delete=models.CASCADE, related_name="items", verbose_name=_("key task"))
    due_on = BoundedDateField(_("due on"), db_index=True)
    cadence = models.CharField(_("cadence"), max_length=6, choices=Cadence.choices, default=Cadence.DAILY)
    title = models.CharField(_("title"), max_length=200)
    expected_result = models.CharField(_("expected result"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible person")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN, db_index=True
    )
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0, validators=[MaxValueValidator(100)])
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)  # done_at's day in Asia/Shanghai
    reported_at = models.DateTimeField(_("last reported at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task item")
        verbose_name_plural = _("task items")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="taskitem_percent_bounded"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False, done_on__isnull=False),
                name="taskitem_done_has_moment",
            ),
        ]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: Any, filename: str) -> str:
    return f"supervision/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ProgressReport(models.Model):
    item = models.ForeignKey(
        TaskItem, on_delete=models.CASCADE, related_name="reports", verbose_name=pgettext_lazy("task item", "item")
    )
    status = models.CharField(_("status"), max_length=8, choices=ItemStatus.choices)
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0, validators=[MaxValueValidator(100)])
    reason = models.CharField(_("why blocked"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.status}"


class Evidence(models.Model):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("progress report")
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


def _points(verbose: Any, default: str) -> models.DecimalField:
    return models.DecimalField(
        verbose,
        max_digits=7,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_POINTS)],
    )


class AssessmentScheme(TimeStampedModel):
    """The rules of scoring as data (scoring.py applies them). One scheme is active at a time."""

    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)
    base = _points(_("base points"), "100")
    weights = models.JSONField(_("weights per task kind"), default=dict, blank=True)
    per_overdue_day = _points(_("points per overdue day"), "1")
    item_cap = _points(_("most points deducted per item"), "5")
    early_bonus = _points(_("bonus for early completion"), "0.5")
    monthly_bonus_cap = _points(_("most bonus points per month"), "5")
    floor = _points(_("lowest score"), "60")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-is_active", "-updated_at", "-id"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_scheme"),
        ]

    def __str__(self) -> str:
        return self.name


class ClosedMonth(models.Model):
    """A month the commander closed: its scores are those stored with it, whatever changes after."""

    month = models.DateField(_("month"), unique=True)  # its first day
    scheme = models.JSONField(_("scheme applied"), default=dict)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="closedmonth_first_day")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class MonthScore(models.Model):
    closed_month = models.ForeignKey(ClosedMonth, on_delete=models.CASCADE, related_name="scores")
    department = models.ForeignKey(
        "registry.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    total = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))
    items = models.PositiveIntegerField(_("items"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    done = models.PositiveIntegerField(pgettext_lazy("items", "done"), default=0)
    lines = models.JSONField(_("calculation"), default=list)

    class Meta:
        ordering = ["rank", "department_id"]
        verbose_name = _("month score")
        verbose_name_plural = _("month scores")
        constraints = [
            models.UniqueConstraint(fields=["closed_month", "department"], name="monthscore_once_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.closed_month_id}/{self.department_id}: {self.total}"


class Meeting(TimeStampedModel):
    """A dispatch meeting (调度会), held in a room or by video (无接触办公)."""

    title = models.CharField(_("title"), max_length=200)
    held_at = BoundedDateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    departments = models.ManyToManyField(
        "registry.Department", blank=True, related_name="+", verbose_name=_("departments attending")
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people attending")
    )
    minutes = models.TextField(_("minutes"), max_length=50_000, blank=True)
    # The notice the minutes went out as (notices app): its readings are the read receipts.
    minutes_notice = models.OneToOneField(
        "notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("dispatch meeting")
        verbose_name_plural = _("dispatch meetings")
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""), name="meeting_place_or_link"),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    task = models.ForeignKey(
        KeyTask, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("key task")
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("enterprise request", "request"),
    )
    project = models.ForeignKey(
        "dispatch.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("investment project"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            # Linked to one thing at most: the agenda item is about it.
            models.CheckConstraint(
                condition=(
                    Q(task__isnull=True, ticket__isnull=True)
                    | Q(task__isnull=True, project__isnull=True)
                    | Q(ticket__isnull=True, project__isnull=True)
                ),
                name="agendaitem_one_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """What the meeting decided: by whom and by when. Becomes a key-task item once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    text = models.CharField(pgettext_lazy("meeting", "decision"), max_length=300)
    department = models.ForeignKey(
        "registry.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = BoundedDateField(_("due on"))
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agenda item")
    )
    item = models.OneToOneField(
        TaskItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=pgettext_lazy("task item", "item"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = pgettext_lazy("meeting", "decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text
