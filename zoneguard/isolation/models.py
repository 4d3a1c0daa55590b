"""Home isolation (居家隔离): a resident kept at home for a period, followed up every day.

A case runs from `start_date` to `end_date`, both included; the period is the reason's
(`ReasonRule`, data the commander edits). While a case is active the gates refuse the person: the
case holds a `health.Restriction` of kind home_isolation, placed and released with it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import TimeStampedModel
from zoneguard.health.models import Symptom


class Reason(models.TextChoices):
    CLOSE_CONTACT = "close_contact", _("Close contact")
    RISK_AREA = "risk_area", _("Return from a risk area")
    FEVER = "fever", _("Fever under observation")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    TRACE = "trace", _("A contact trace")
    ALERT = "alert", _("A fever alert")
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("An Excel list")


class CaseStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("isolation", "In isolation")
    RELEASED = "released", _("Released")
    HOSPITAL = "hospital", _("Transferred to hospital")


class ReasonRule(models.Model):
    """How long a reason keeps a person at home, and how often their temperature is taken."""

    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, unique=True)
    days = models.PositiveSmallIntegerField(
        _("days of isolation"), default=14, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    readings_per_day = models.PositiveSmallIntegerField(
        _("temperature readings a day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )

    class Meta:
        ordering = ["reason"]
        verbose_name = _("isolation rule")
        verbose_name_plural = _("isolation rules")

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.days}"


class IsolationCase(TimeStampedModel):
    # Not columns: set by selectors.case_read_in_full, the name and phone the page shows.
    shown_name: str
    shown_phone: str

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="isolation_cases", verbose_name=_("person")
    )
    # Null until someone says where the person lives (a trace hands over people of no known community).
    community = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="isolation_cases",
        limit_choices_to={"kind": "community"},
        verbose_name=_("community"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone for the follow-up"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    # The traced case whose close contact this is, where a trace sent them.
    source_person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traced case"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    readings_per_day = models.PositiveSmallIntegerField(
        _("temperature readings a day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="isolation_cases",
        verbose_name=_("community worker"),
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    restriction = models.OneToOneField(
        "health.Restriction", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("isolation", "closed by"),
    )
    close_note = models.CharField(_("decision note"), max_length=500, blank=True)
    # Bumped to revoke the resident's personal link: older links stop working.
    link_version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("isolation case")
        verbose_name_plural = _("isolation cases")
        indexes = [models.Index(fields=["community", "status"], name="isolation_community_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="isolation_one_active_per_person"
            ),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="isolation_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.status == CaseStatus.ACTIVE


class FollowUp(models.Model):
    """One temperature reading of a case, with the symptoms of that moment: the morning reading
    (slot 1) and, where the rule asks for two, the afternoon one (slot 2)."""

    case = models.ForeignKey(IsolationCase, on_delete=models.CASCADE, related_name="follow_ups")
    day = models.DateField(_("day"))
    slot = models.PositiveSmallIntegerField(
        _("reading"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    temperature = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(34), MaxValueValidator(43)],
    )
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # None: the resident, through their personal link.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    by_resident = models.BooleanField(_("by the resident"), default=False)
    incident_id = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["day", "slot"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [models.UniqueConstraint(fields=["case", "day", "slot"], name="follow_up_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.day} #{self.slot}: {self.temperature}"

    @property
    def symptom_names(self) -> list[str]:
        """The symptoms in the reader's words (stored as health.Symptom codes)."""
        known = dict(Symptom.choices)
        return [str(known.get(code, code)) for code in self.symptoms]
