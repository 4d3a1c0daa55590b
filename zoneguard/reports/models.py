from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zoneguard.core.models import TimeStampedModel

MAX_PEOPLE = 1_000_000
MAX_STOCK = 100_000_000
MAX_LITRES = Decimal("9999999.9")


class DailyReport(TimeStampedModel):
    """An open organisation's daily prevention report (防控日报表). One per organisation and day:
    filing again the same day amends it, each version kept as a DailyReportRevision."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="daily_reports", verbose_name=_("organisation")
    )
    day = models.DateField(_("day"), db_index=True)
    staff_on_duty = models.PositiveIntegerField(_("staff on duty"), validators=[MaxValueValidator(MAX_PEOPLE)])
    staff_isolating = models.PositiveIntegerField(
        _("staff isolating"), default=0, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    temperature_anomalies = models.PositiveIntegerField(
        _("temperature anomalies found"), default=0, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    disinfection_done = models.BooleanField(_("disinfection done"), default=False)
    masks_in_stock = models.PositiveIntegerField(
        _("masks in stock"), default=0, validators=[MaxValueValidator(MAX_STOCK)]
    )
    disinfectant_litres = models.DecimalField(
        _("disinfectant in stock (litres)"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_LITRES)],
    )
    problems = models.TextField(_("problems and needs"), blank=True, max_length=2000)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("filed by")
    )
    amended_at = models.DateTimeField(_("amended at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "organisation__name_key", "id"]
        verbose_name = _("daily prevention report")
        verbose_name_plural = _("daily prevention reports")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="daily_report_one_per_day"),
            models.CheckConstraint(
                condition=Q(staff_on_duty__lte=MAX_PEOPLE)
                & Q(staff_isolating__lte=MAX_PEOPLE)
                & Q(temperature_anomalies__lte=MAX_PEOPLE)
                & Q(masks_in_stock__lte=MAX_STOCK)
                & Q(disinfectant_litres__gte=0),
                name="daily_report_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.day}"

    def clean(self) -> None:
        """More people at work or isolating than the organisation employs is a typing slip that
        would swell the zone's totals (the command dashboard, the reports page)."""
        total = self.organisation.total_staff if self.organisation_id else 0
        if not total:
            return
        message = _("More than the %(total)s staff %(name)s has: check the figure, or update its total staff first.")
        errors = {
            field: message % {"total": total, "name": self.organisation.name}
            for field in ("staff_on_duty", "staff_isolating")
            if (getattr(self, field) or 0) > total
        }
        if errors:
            raise ValidationError(errors)


class DailyReportRevision(models.Model):
    """The report as filed or amended, with who and when."""

    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("revision"))
    data = models.JSONField(_("report"), default=dict)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filed_by_name = models.CharField(_("filed by"), max_length=150)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "revision"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [models.UniqueConstraint(fields=["report", "revision"], name="daily_report_revision_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} r{self.revision}"


class ReportReminder(models.Model):
    """A late filer was reminded for a day. The unique key makes the reminder run idempotent:
    however often the periodic command runs, an organisation is reminded once a day."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-day", "organisation_id"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [models.UniqueConstraint(fields=["organisation", "day"], name="report_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day}"


class ReportDeadline(TimeStampedModel):
    """The zone's deadline for daily reports, set by the commander; without one,
    ZONEGUARD_REPORT_DEADLINE applies. One row at most."""

    deadline = models.TimeField(_("daily reports due by"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")

    def __str__(self) -> str:
        return f"{self.deadline:%H:%M}"
