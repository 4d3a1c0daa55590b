from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import BoundedDateTimeField

# The name ZoneGuard's own steps are recorded under (a gate's fever, an escalation).
SYSTEM = "ZoneGuard"


class IncidentKind(models.TextChoices):
    FEVER = "fever", _("Fever")  # measured at a gate, or at home in isolation
    SUSPECTED_CASE = "suspected_case", _("Suspected case")
    CLOSE_CONTACT = "close_contact", _("Close contact found")
    ACCIDENT = "accident", _("Site accident")
    OTHER = "other", _("Other emergency")


class Severity(models.TextChoices):
    # A context: the registry's "Medium" is a size of enterprise (中型), a severity is 中.
    LOW = "low", pgettext_lazy("severity", "Low")
    MEDIUM = "medium", pgettext_lazy("severity", "Medium")
    HIGH = "high", pgettext_lazy("severity", "High")
    CRITICAL = "critical", pgettext_lazy("severity", "Critical")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open, not acknowledged")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("incident", "Acknowledged")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    """An emergency reported at once (紧急情况随时上报): by anyone with an account, or raised by
    the gates module when it measures a fever. Duty officers are told immediately; one nobody
    acknowledges in time is escalated to the commanders."""

    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH)
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.OPEN, db_index=True
    )
    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("details"), blank=True, max_length=5000)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("organisation"),
    )
    site = models.ForeignKey(
        "registry.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    location = models.CharField(_("where"), max_length=200, blank=True)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("person concerned"),
    )
    people_involved = models.TextField(_("who is involved"), blank=True, max_length=2000)
    temperature = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("30.0")), MaxValueValidator(Decimal("45.0"))],
    )
    occurred_at = BoundedDateTimeField(_("occurred at"))
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    acknowledged_at = models.DateTimeField(pgettext_lazy("incident", "acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True, max_length=5000)
    # Raised by another module (a fever alert of the gates): one incident per source.
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"], condition=~Q(source_id=""), name="incident_one_per_source"
            ),
        ]
        indexes = [models.Index(fields=["status", "escalated_at"], name="incident_escalation")]

    def __str__(self) -> str:
        return self.title


class IncidentAction(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("incident", "Acknowledged")
    ACTION = "action", _("Action taken")
    ESCALATED = "escalated", _("Escalated to the commanders")
    CLOSED = "closed", _("Closed")


class IncidentEvent(models.Model):
    """The incident's timeline."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=IncidentAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(_("by"), max_length=150)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("incident event")
        verbose_name_plural = _("incident events")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.action}"


class EscalationDelay(models.Model):
    """How long an incident of a severity may stay unacknowledged before the commanders are told;
    set by the commander. A severity without a row uses ZONEGUARD_INCIDENT_ESCALATION_MINUTES."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, unique=True)
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MinValueValidator(1), MaxValueValidator(1440)])

    class Meta:
        ordering = ["severity"]
        verbose_name = _("escalation delay")
        verbose_name_plural = _("escalation delays")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1) & Q(minutes__lte=1440), name="escalation_minutes_range")
        ]

    def __str__(self) -> str:
        return f"{self.severity}: {self.minutes}"
