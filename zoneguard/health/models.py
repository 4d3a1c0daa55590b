"""Health declarations (摸底调查表) and the rules that turn their answers into a status.

The rules are data: officers edit them in the admin (a listed risk area, contact with a case, a
symptom, a declared temperature), so that a district can follow its own health commission's
guidance without a code change."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import TimeStampedModel


class HealthStatus(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


# Worse statuses win when several rules match.
STATUS_RANK = {HealthStatus.GREEN: 0, HealthStatus.YELLOW: 1, HealthStatus.RED: 2}


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    FATIGUE = "fatigue", _("Fatigue")
    SORE_THROAT = "sore_throat", _("Sore throat")
    SHORTNESS_OF_BREATH = "shortness_of_breath", _("Shortness of breath")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    LOSS_OF_TASTE_OR_SMELL = "loss_of_taste_or_smell", _("Loss of taste or smell")
    MUSCLE_ACHE = "muscle_ache", _("Muscle ache")


class RuleCondition(models.TextChoices):
    TRAVEL = "travel", _("Travel to a listed place in the last days")
    CONTACT_WITH_CASE = "contact_with_case", _("Contact with a confirmed or suspected case")
    SYMPTOM = "symptom", _("A symptom")
    TEMPERATURE = "temperature", _("A declared temperature at or above a threshold")


class HealthRule(TimeStampedModel):
    """When a declaration meets the condition, its status is at least `status` for `valid_days`:
    counted from the return date for travel, from the declaration otherwise."""

    name = models.CharField(_("name"), max_length=100)
    condition = models.CharField(_("condition"), max_length=20, choices=RuleCondition.choices)
    places = models.TextField(
        _("places"),
        blank=True,
        help_text=_("For travel rules: one place per line; a travel place containing any of them matches."),
    )
    symptom = models.CharField(
        _("symptom"),
        max_length=30,
        choices=Symptom.choices,
        blank=True,
        help_text=_("For symptom rules: empty matches any symptom."),
    )
    threshold = models.DecimalField(
        _("temperature threshold (°C)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("34.0")), MaxValueValidator(Decimal("43.0"))],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=[(HealthStatus.YELLOW, _("Yellow")), (HealthStatus.RED, _("Red"))]
    )
    valid_days = models.PositiveSmallIntegerField(
        _("valid for days"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    reason = models.CharField(
        _("reason shown"), max_length=200, help_text=_("Shown on the status card and at the gate.")
    )
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        ordering = ["condition", "name"]
        verbose_name = _("health rule")
        verbose_name_plural = _("health rules")
        constraints = [
            models.CheckConstraint(condition=Q(valid_days__gte=1) & Q(valid_days__lte=90), name="health_rule_days"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.condition == RuleCondition.TRAVEL and not self.place_list:
            raise ValidationError({"places": _("A travel rule needs at least one place.")})
        if self.condition == RuleCondition.TEMPERATURE and self.threshold is None:
            raise ValidationError({"threshold": _("A temperature rule needs a threshold.")})

    @property
    def place_list(self) -> list[str]:
        return [line.strip() for line in (self.places or "").splitlines() if line.strip()]


def new_card_code() -> str:
    # Printed as the status card's QR code and typed into the gate page by scanners.
    return secrets.token_urlsafe(12)


class Declaration(models.Model):
    """One filled form. Status, reasons and validity are fixed when it is submitted, with the rules
    in force then; the latest verified declaration is a person's current status."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="declarations", verbose_name=_("person")
    )
    site = models.ForeignKey(
        "registry.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declarations",
        verbose_name=_("site scanned"),
    )
    name = models.CharField(_("name declared"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=11)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    travel = models.JSONField(_("travel in the last 14 days"), default=list, blank=True)
    contact_with_case = models.BooleanField(_("contact with a confirmed or suspected case"), default=False)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=HealthStatus.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    valid_until = models.DateTimeField(_("valid until"))
    # False when the name does not match the person registered under the ID number: kept for the
    # officers to review, but it does not give that person a status.
    identity_verified = models.BooleanField(_("identity verified"), default=True)
    card_code = models.CharField(_("card code"), max_length=32, unique=True, default=new_card_code, editable=False)
    declared_at = models.DateTimeField(_("declared at"))
    # An epidemic-control officer may end a red or yellow status before its time (a fever clinic's
    # negative test, a reading mistyped): the declaration stays as it was answered, its validity
    # ends then, and the person declares again.
    cleared_at = models.DateTimeField(_("status ended early at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status ended by"),
    )
    clearance_note = models.CharField(_("grounds for ending the status"), max_length=200, blank=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")
        indexes = [
            models.Index(fields=["person", "declared_at"], name="declaration_person_time"),
            # Newest first, the whole zone's and a site's lists, read from the index a page at a time.
            models.Index(fields=["declared_at", "id"], name="declaration_time"),
            models.Index(fields=["site", "declared_at"], name="declaration_site_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__isnull=True) | (Q(temperature__gte=34) & Q(temperature__lte=43)),
                name="declaration_temperature_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {timezone.localtime(self.declared_at):%Y-%m-%d %H:%M} {self.status}"


class DeclaredContact(models.Model):
    """A person the declarant was in close contact with (contact tracing reads these)."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("declaration")
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("declared contact")
        verbose_name_plural = _("declared contacts")
        indexes = [models.Index(fields=["phone"], name="declared_contact_phone")]

    def __str__(self) -> str:
        return self.name


class RestrictionKind(models.TextChoices):
    CLOSE_CONTACT = "close_contact", _("Close contact under observation")
    HOME_ISOLATION = "home_isolation", _("In home isolation")


class Restriction(models.Model):
    """An officer's decision that holds a person at every gate whatever their declarations say:
    a close contact found by tracing, or a resident in home isolation, until released. The gates
    read the active ones with the person (gates/services/lookup.py); at most one of a kind is
    active for a person."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="restrictions", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RestrictionKind.choices)
    # The case whose trace found the person, where a trace did.
    source_person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traced case"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("since"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("marked by")
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    release_note = models.CharField(_("release note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")
        indexes = [models.Index(fields=["person", "released_at"], name="restriction_person_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(released_at__isnull=True), name="restriction_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None
