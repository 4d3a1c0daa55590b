from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.masking import mask_id_number, mask_phone
from zoneguard.core.models import BoundedDateField, PinyinKeyed, TimeStampedModel

from . import validators


class Department(PinyinKeyed, TimeStampedModel):
    """A department of the zone administration (经发, 建设, 税务局 ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)
    # Told when the department's work runs late (requests past their limits, key-task items
    # overdue); without one, every officer of the department is.
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department head"),
    )

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Sector(PinyinKeyed, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    BUILDING_PROJECT = "building_project", _("Building project")
    SHOP = "shop", _("Shop")
    MARKET = "market", _("Market")
    COMMUNITY = "community", _("Community")


class OrganisationSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class CompetenceRule(TimeStampedModel):
    """A department is competent for the organisations of a kind and/or sector.

    An empty kind or sector matches any; a rule with both empty makes the department
    competent for every organisation.

    A supervising rule (the default) makes the department the organisations' authority: it sees
    them and their epidemic records (entries, declarations, fever alerts, incidents), reviews
    their applications and handles their incidents. A serving rule only lets the department serve
    them in its own module: the tax bureau serves every taxpayer, and has no business with their
    staff's health or with deciding on their incidents."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="competence_rules", verbose_name=_("department")
    )
    organisation_kind = models.CharField(
        _("organisation kind"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("sector")
    )
    supervises = models.BooleanField(
        _("supervises"),
        default=True,
        help_text=_(
            "Sees these organisations' epidemic records, reviews their applications and handles their incidents. "
            "Off: the department only serves them in its own module (the tax bureau)."
        ),
    )

    class Meta:
        verbose_name = _("competence rule")
        verbose_name_plural = _("competence rules")
        constraints = [
            models.UniqueConstraint(fields=["department", "organisation_kind", "sector"], name="competence_rule_unique")
        ]

    def __str__(self) -> str:
        kind = self.get_organisation_kind_display() if self.organisation_kind else _("any kind")
        sector = self.sector.name if self.sector_id and self.sector else _("any sector")
        return f"{self.department} ← {kind} / {sector}"


class Organisation(PinyinKeyed, TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, validators=[validators.validate_name])
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations", verbose_name=_("sector")
    )
    size = models.CharField(_("size"), max_length=10, choices=OrganisationSize.choices, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validators.validate_credit_code],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validators.validate_contact_phone]
    )
    total_staff = models.PositiveIntegerField(_("total staff"), default=0)
    community = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents_organisations",
        limit_choices_to={"kind": OrganisationKind.COMMUNITY},
        verbose_name=_("community"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
        help_text=_("For example the investment group that owns a building project."),
    )
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["kind", "sector"], name="org_kind_sector"),
            models.Index(fields=["name_key", "id"], name="org_name_key"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_staff__lte=10_000_000), name="org_total_staff_bounded"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        # Canonical forms first, so that length and uniqueness checks see what will be stored.
        self.credit_code = validators.normalize_credit_code(self.credit_code) or None
        self.contact_phone = (self.contact_phone or "").strip()
        self.name = (self.name or "").strip()
        super().clean_fields(exclude)

    @property
    def audit_organisation_id(self) -> int | None:
        return self.pk

    @property
    def is_workplace(self) -> bool:
        return self.kind in {OrganisationKind.ENTERPRISE, OrganisationKind.BUILDING_PROJECT}


class SiteKind(models.TextChoices):
    GATE = "gate", _("Gate")
    SITE_ENTRANCE = "site_entrance", _("Building site entrance")
    MARKET_ENTRANCE = "market_entrance", _("Market entrance")
    SHOP_ENTRANCE = "shop_entrance", _("Shop entrance")
    CHECKPOINT = "checkpoint", _("Road or community checkpoint")


# How long a person is assumed to stay after checking in without checking out: a working
# day at a workplace, an hour at a market or shop. Contact tracing uses it for overlaps.
WORKPLACE_DWELL_MINUTES = 480
SHORT_VISIT_DWELL_MINUTES = 60


def default_dwell_minutes(organisation_kind: str) -> int:
    if organisation_kind in {OrganisationKind.MARKET, OrganisationKind.SHOP}:
        return SHORT_VISIT_DWELL_MINUTES
    return WORKPLACE_DWELL_MINUTES


def new_site_code() -> str:
    # 16 URL-safe characters (96 bits): printed in QR codes, so unguessable yet short.
    return secrets.token_urlsafe(12)


class Site(PinyinKeyed, TimeStampedModel):
    """A checkpoint: a gate, an entrance, a road checkpoint. People check in here."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sites", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200, validators=[validators.validate_name])
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices, default=SiteKind.GATE)
    default_dwell_minutes = models.PositiveIntegerField(_("default dwell minutes"), default=WORKPLACE_DWELL_MINUTES)
    code = models.CharField(_("site code"), max_length=32, unique=True, default=new_site_code, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        ordering = ["organisation__name_key", "name_key", "id"]
        verbose_name = _("checkpoint site")
        verbose_name_plural = _("checkpoint sites")
        indexes = [models.Index(fields=["organisation", "name_key"], name="site_org_name_key")]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_name_unique_per_organisation"),
            models.CheckConstraint(
                condition=Q(default_dwell_minutes__gte=1) & Q(default_dwell_minutes__lte=1440),
                name="site_dwell_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} · {self.name}"


class Person(PinyinKeyed, TimeStampedModel):
    """A resident or employee. The ID number is stored canonical (upper-case X, no spaces) and unique."""

    name = models.CharField(_("name"), max_length=50, validators=[validators.validate_name])
    id_number = models.CharField(_("ID number"), max_length=18, unique=True, validators=[validators.validate_id_number])
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validators.validate_mobile])
    birth_date = models.DateField(_("birth date"), null=True, blank=True, editable=False)
    # The organisation whose admin first registered the person (none when the zone or the person's
    # own declaration did): its admins keep the registry's name and phone up to date. Everyone
    # else who joins the person keeps their own record, on the membership.
    registered_by = models.ForeignKey(
        "Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("registered by"),
    )

    # Annotated by the registry's selectors (person_list, person_access): the name and phone as the
    # reading user sees them, their own organisations' record for all but the commander.
    shown_name: str
    shown_phone: str | None
    # Set by selectors.person_read once the reading user may see the full ID number and phone and
    # the read is audited; the API shows them masked otherwise.
    personal_data_read: bool = False

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["name", "phone"], name="person_name_phone"),
            models.Index(fields=["name_key", "id"], name="person_name_key"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_id_number})"

    def clean_fields(self, exclude: Any = None) -> None:
        # Canonical forms first, so that length and uniqueness checks see what will be stored.
        self.id_number = validators.normalize_id_number(self.id_number)
        self.phone = validators.normalize_phone(self.phone) if self.phone else ""
        self.name = (self.name or "").strip()
        super().clean_fields(exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.birth_date = validators.birth_date_from_id_number(self.id_number) if self.id_number else None
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Membership(PinyinKeyed, TimeStampedModel):
    """Who works (or lives) where. Ending a membership keeps it for the history.

    The name and phone are the organisation's own record of the person, as it entered them: joining
    someone already registered (by ID number) hands the organisation nothing another organisation
    or the person recorded elsewhere."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=50, validators=[validators.validate_name])
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[validators.validate_mobile])
    position = models.CharField(_("position"), max_length=100, blank=True)
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)
    started_on = BoundedDateField(_("started on"), null=True, blank=True)
    ended_on = BoundedDateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name_key", "name_key", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["organisation", "name_key"], name="membership_org_name_key")]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="membership_unique_person_organisation"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.organisation.name}"

    def clean_fields(self, exclude: Any = None) -> None:
        self.phone = validators.normalize_phone(self.phone) if self.phone else ""
        self.name = (self.name or "").strip()
        super().clean_fields(exclude)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
