"""Enterprise requests (企业诉求): a difficulty an enterprise reports, routed by category (and
sector) to a department, which accepts, works, answers and resolves it; the enterprise confirms
or reopens, and rates the answer. lifecycle.py holds the rules of its states and time limits."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import lifecycle

MAX_LIMIT_HOURS = 24 * 365


class Category(models.TextChoices):
    RAW_MATERIALS = "raw_materials", _("Raw materials")
    FUNDS = "funds", _("Funds and loans")
    LABOUR = "labour", _("Labour and worker transport")
    LOGISTICS = "logistics", _("Logistics")
    POLICIES = "policies", _("Policies")
    PERMITS = "permits", _("Permits and approvals")
    SUPPLIES = "supplies", _("Epidemic supplies")
    OTHER = "other", pgettext_lazy("ticket category", "Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("urgency", "Normal")
    URGENT = "urgent", pgettext_lazy("urgency", "Urgent")
    CRITICAL = "critical", pgettext_lazy("urgency", "Critical")


class TicketStatus(models.TextChoices):
    SUBMITTED = lifecycle.SUBMITTED, _("Waiting for the department")
    ACCEPTED = lifecycle.ACCEPTED, _("Being worked on")
    RESOLVED = lifecycle.RESOLVED, _("Answered, to confirm")
    REOPENED = lifecycle.REOPENED, _("Reopened")
    CONFIRMED = lifecycle.CONFIRMED, _("Confirmed")
    WITHDRAWN = lifecycle.WITHDRAWN, _("Withdrawn by the enterprise")


class RoutingRule(models.Model):
    """Requests of a category (from enterprises of a sector, when set) go to a department. A rule
    with a sector wins over the category's rule without one. The commander keeps the table."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    sector = models.ForeignKey(
        "registry.Sector", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("sector")
    )
    department = models.ForeignKey(
        "registry.Department", on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )

    class Meta:
        ordering = ["category", "sector_id", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "sector"], name="ticket_route_unique"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(sector__isnull=True), name="ticket_route_unique_any_sector"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.department}"


class TimeLimit(models.Model):
    """Hours to accept and to resolve requests of a category and urgency, counted from filing."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    accept_hours = models.PositiveIntegerField(
        _("hours to accept"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LIMIT_HOURS)]
    )
    resolve_hours = models.PositiveIntegerField(
        _("hours to resolve"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LIMIT_HOURS)]
    )

    class Meta:
        ordering = ["category", "urgency"]
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [models.UniqueConstraint(fields=["category", "urgency"], name="ticket_limit_unique")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} / {self.get_urgency_display()}"


class Ticket(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    department = models.ForeignKey(
        "registry.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.SUBMITTED, db_index=True
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))
    accept_due = models.DateTimeField(_("to accept by"))
    resolve_due = models.DateTimeField(_("to resolve by"))
    first_accepted_at = models.DateTimeField(_("first accepted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(pgettext_lazy("ticket", "accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)
    passed_count = models.PositiveIntegerField(_("times passed on"), default=0)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the rating"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The filer's key for this request: sending the same request twice (a double click, a retry
    # after a lost answer) files it once.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("enterprise request")
        verbose_name_plural = _("enterprise requests")
        indexes = [models.Index(fields=["department", "status"], name="ticket_department_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="ticket_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in lifecycle.OPEN


class TicketEvent(models.Model):
    """The ticket's history and conversation: every transition, timed, and every message."""

    class Action(models.TextChoices):
        FILE = "file", _("Filed")
        ACCEPT = "accept", pgettext_lazy("ticket", "Accepted")
        PASS_ON = "pass_on", _("Passed on")
        MESSAGE = "message", _("Message")
        RESOLVE = "resolve", _("Answered and resolved")
        CONFIRM = "confirm", _("Confirmed")
        REOPEN = "reopen", _("Reopened")
        RATE = "rate", _("Rated")
        ESCALATE = "escalate", _("Escalated")
        WITHDRAW = "withdraw", pgettext_lazy("ticket", "Withdrawn")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    # Who spoke: the enterprise or the zone's side (department, commander).
    by_enterprise = models.BooleanField(default=False)
    department = models.ForeignKey(
        "registry.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=TicketStatus.choices)
    body = models.TextField(blank=True, max_length=5000)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


def attachment_upload_to(instance: Any, filename: str) -> str:
    return f"tickets/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class TicketAttachment(models.Model):
    """Stored under MEDIA_ROOT, which nothing serves: read only through the ticket's access check."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    """A notice sent because a limit passed: one per ticket, stage and level, however often the
    escalation runs."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(max_length=10)  # lifecycle.ACCEPT / RESOLVE
    level = models.CharField(max_length=10)  # lifecycle.HEAD / COMMANDER
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "stage", "level"], name="ticket_escalation_once")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.stage}:{self.level}"
