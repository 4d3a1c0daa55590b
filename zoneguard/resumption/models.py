from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import BoundedDateField, TimeStampedModel
from zoneguard.registry.models import OrganisationKind
from zoneguard.registry.validators import validate_contact_phone

# Organisations that stop and resume work; communities do not file.
RESUMABLE_KINDS = (
    OrganisationKind.ENTERPRISE,
    OrganisationKind.BUILDING_PROJECT,
    OrganisationKind.SHOP,
    OrganisationKind.MARKET,
)
MAX_STAFF = 1_000_000
MAX_MASKS = 100_000_000
MAX_TEMPERATURE_POINTS = 10_000


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", pgettext_lazy("filing", "Approved")


class ResumptionState(models.TextChoices):
    """The organisation fact `resumption_state` (see core/facts.py)."""

    NOT_FILED = "not_filed", _("Not filed")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved to resume")


class FilingReviewRule(TimeStampedModel):
    """Which competence rules make a department the reviewer of resumption filings.

    Competence (registry.CompetenceRule) decides what a department sees; reviewing a filing is a
    narrower duty: the tax bureau is competent for every taxpayer yet approves no prevention
    plan. A department reviews the filings of the organisations its flagged rules match."""

    competence_rule = models.OneToOneField(
        "registry.CompetenceRule",
        on_delete=models.CASCADE,
        related_name="resumption_review",
        verbose_name=_("competence rule"),
    )
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        verbose_name = _("filing review rule")
        verbose_name_plural = _("filing review rules")

    def __str__(self) -> str:
        return str(self.competence_rule)


def plan_upload_to(instance: Any, filename: str) -> str:
    # A random name: the original may carry personal names, and must not be guessable.
    return f"resumption/plans/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ResumptionFiling(TimeStampedModel):
    """An organisation's resumption application (复工备案) with its prevention plan. One per
    organisation: returned filings are amended and resubmitted, every step kept as an event."""

    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="resumption_filings",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED, db_index=True
    )
    planned_date = BoundedDateField(_("planned resumption date"))
    # The bounds are the constraint's (resumption_filing_bounded), checked on each field first so
    # that an impossible figure is named beside its field.
    staff_expected = models.PositiveIntegerField(_("staff expected back"), validators=[MaxValueValidator(MAX_STAFF)])
    staff_local = models.PositiveIntegerField(_("of which local"), validators=[MaxValueValidator(MAX_STAFF)])
    staff_other_provinces = models.PositiveIntegerField(
        _("of which from other provinces"), validators=[MaxValueValidator(MAX_STAFF)]
    )
    staff_from_risk_areas = models.PositiveIntegerField(
        _("of which returning from risk areas"),
        default=0,
        help_text=_("They isolate for 14 days before work."),
        validators=[MaxValueValidator(MAX_STAFF)],
    )
    # The prevention plan's checklist.
    disinfection = models.BooleanField(_("work areas disinfected on a schedule"), default=False)
    temperature_points = models.PositiveIntegerField(
        _("temperature check points"), default=0, validators=[MaxValueValidator(MAX_TEMPERATURE_POINTS)]
    )
    isolation_room = models.BooleanField(_("temporary isolation room"), default=False)
    masks_in_stock = models.PositiveIntegerField(
        _("masks in stock"), default=0, validators=[MaxValueValidator(MAX_MASKS)]
    )
    canteen_rules = models.BooleanField(_("canteen: staggered or boxed meals"), default=False)
    plan_notes = models.TextField(_("prevention plan"), blank=True, max_length=5000)
    plan_document = models.FileField(_("prevention plan document"), upload_to=plan_upload_to, blank=True)
    plan_document_name = models.CharField(_("document name"), max_length=200, blank=True)
    responsible_name = models.CharField(_("responsible person"), max_length=50)
    responsible_phone = models.CharField(
        _("responsible person's phone"), max_length=20, validators=[validate_contact_phone]
    )

    revision = models.PositiveIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"))
    # Empty once the submitter's account is deleted (and for filings recorded before accounts):
    # the filing stays with its organisation and can still be reviewed.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_department = models.ForeignKey(
        "registry.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewing department"),
    )
    review_comment = models.TextField(_("review comment"), blank=True, max_length=2000)
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["submitted_at", "id"], name="filing_time")]
        verbose_name = _("resumption filing")
        verbose_name_plural = _("resumption filings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="resumption_filing_one_per_organisation"),
            models.CheckConstraint(
                condition=Q(staff_expected__lte=MAX_STAFF)
                & Q(staff_local__lte=MAX_STAFF)
                & Q(staff_other_provinces__lte=MAX_STAFF)
                & Q(staff_from_risk_areas__lte=MAX_STAFF)
                & Q(masks_in_stock__lte=MAX_MASKS)
                & Q(temperature_points__lte=MAX_TEMPERATURE_POINTS),
                name="resumption_filing_bounded",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(resumed_on__isnull=False),
                name="resumption_filing_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_status_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.staff_local is not None and self.staff_other_provinces is not None and self.staff_expected is not None:
            if self.staff_local + self.staff_other_provinces != self.staff_expected:
                raise ValidationError(
                    {
                        "staff_other_provinces": _(
                            "Local staff and staff from other provinces must add up to the staff expected back."
                        )
                    }
                )
            if (self.staff_from_risk_areas or 0) > self.staff_expected:
                raise ValidationError({"staff_from_risk_areas": _("Cannot be more than the staff expected back.")})


class FilingAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RESUBMITTED = "resubmitted", _("Amended and resubmitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", pgettext_lazy("filing", "Approved")
    WITHDRAWN = "withdrawn", _("Approval withdrawn")


class FilingEvent(models.Model):
    """One step of a filing's review, with who, when and the filing as it then stood."""

    filing = models.ForeignKey(ResumptionFiling, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=FilingAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    actor_name = models.CharField(_("by"), max_length=150)
    department = models.ForeignKey(
        "registry.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(_("revision"))
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("filing as submitted"), default=dict, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("filing event")
        verbose_name_plural = _("filing events")

    def __str__(self) -> str:
        return f"{self.filing_id} {self.action} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
