"""Tax services: the policy library and its matching, the tax hall's appointments, payment deferrals.

Money is `Decimal` end to end: database decimals with two places, amounts as strings in the API,
totals added up in Python from exact values (SQLite stores decimals as floating point, so its SUM
is not trusted for money)."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import BoundedDateField, BoundedDateTimeField, TimeStampedModel

# 13 digits before the point, 2 after: up to 9,999,999,999,999.99 yuan. Fifteen significant digits
# survive SQLite's floating-point storage exactly.
MONEY_DIGITS = 15
MONEY_PLACES = 2
MONEY_MAX = Decimal("9999999999999.99")
CENT = Decimal("0.01")
MAX_DEFERRAL_MONTHS = 3
MAX_SLOT_CAPACITY = 1000


def money_field(verbose_name: str | object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)  # type: ignore[arg-type]


# --- Tax profile and policy library -----------------------------------------------------------


class TaxpayerType(models.TextChoices):
    GENERAL = "general", _("General VAT taxpayer")
    SMALL_SCALE = "small_scale", _("Small-scale VAT taxpayer")


class RevenueBand(models.TextChoices):
    """Annual operating revenue, in the bands the tax bureau's policies speak of."""

    UNDER_1M = "under_1m", _("Under 1 million yuan")
    FROM_1M = "1m_5m", _("1 to 5 million yuan")
    FROM_5M = "5m_20m", _("5 to 20 million yuan")
    FROM_20M = "20m_100m", _("20 to 100 million yuan")
    OVER_100M = "over_100m", _("Over 100 million yuan")


class TaxProfile(TimeStampedModel):
    """What the tax bureau knows of a taxpayer beyond the registry; its fields are organisation facts."""

    organisation = models.OneToOneField(
        "registry.Organisation", on_delete=models.CASCADE, related_name="tax_profile", verbose_name=_("organisation")
    )
    taxpayer_type = models.CharField(_("taxpayer type"), max_length=20, choices=TaxpayerType.choices, blank=True)
    revenue_band = models.CharField(_("annual revenue band"), max_length=20, choices=RevenueBand.choices, blank=True)
    hardship_reported = models.BooleanField(
        _("hardship reported"),
        default=False,
        help_text=_("The enterprise has reported operating difficulties caused by the epidemic."),
    )
    hardship_note = models.CharField(_("difficulties"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tax profile")
        verbose_name_plural = _("tax profiles")

    def __str__(self) -> str:
        return str(self.organisation)


class PolicyCategory(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("policy category")
        verbose_name_plural = _("policy categories")

    def __str__(self) -> str:
        return self.name


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Policy(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        PolicyCategory, on_delete=models.PROTECT, related_name="policies", verbose_name=_("category")
    )
    issuer = models.CharField(_("issuing body"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    valid_from = BoundedDateField(_("valid from"))
    valid_until = BoundedDateField(_("valid until"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    text = models.TextField(_("full text"), max_length=50_000)
    status = models.CharField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["category__order", "-valid_from", "title"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="tax_policy_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Operator(models.TextChoices):
    EQ = "eq", _("is")
    NE = "ne", _("is not")
    IN = "in", _("is one of")
    NOT_IN = "not_in", _("is none of")
    GT = "gt", _("is more than")
    GTE = "gte", _("is at least")
    LT = "lt", _("is less than")
    LTE = "lte", _("is at most")
    IS_TRUE = "is_true", _("is yes")
    IS_FALSE = "is_false", _("is no")
    CONTAINS = "contains", _("contains")


class PolicyCondition(TimeStampedModel):
    """One eligibility condition: (fact, operator, value) over an organisation fact (core/facts.py).
    A policy applies to the organisations for which every one of its conditions holds.

    `value` is JSON: a string for comparisons (numbers as decimal strings), a list of strings for
    "is one of" and "is none of", null for "is yes" and "is no"."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("policy"))
    fact = models.CharField(_("fact"), max_length=50)
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    value = models.JSONField(_("value"), null=True, blank=True)

    class Meta:
        ordering = ["policy", "id"]
        verbose_name = _("eligibility condition")
        verbose_name_plural = _("eligibility conditions")

    def __str__(self) -> str:
        return f"{self.fact} {self.operator} {self.value}"


def policy_attachment_path(instance: PolicyAttachment, filename: str) -> str:
    return f"tax/policies/{instance.policy_id}/{secrets.token_hex(8)}/{filename}"


class UploadedDocument(models.Model):
    """A file someone uploaded, with the name it had on their computer."""

    file = models.FileField(_("file"), max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class PolicyAttachment(UploadedDocument):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("policy"))
    file = models.FileField(_("file"), upload_to=policy_attachment_path, max_length=300)

    class Meta:
        ordering = ["policy", "id"]
        verbose_name = _("policy attachment")
        verbose_name_plural = _("policy attachments")


class PolicyMatch(models.Model):
    """An organisation found eligible for a published policy. The row is kept when the organisation
    stops being eligible, so that it is told about a policy once, however often it comes and goes."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="matches")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="tax_matches")
    is_eligible = models.BooleanField(default=True)
    first_matched_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("policy match")
        verbose_name_plural = _("policy matches")
        constraints = [
            models.UniqueConstraint(fields=["policy", "organisation"], name="tax_policy_match_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} → {self.organisation_id}"


class Question(TimeStampedModel):
    """An enterprise asks about a policy online; a tax officer answers; good answers become FAQ."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="questions", verbose_name=_("policy"))
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="tax_questions", verbose_name=_("organisation")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.TextField(_("question"), max_length=2000)
    answer = models.TextField(_("answer"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_faq = models.BooleanField(_("published as FAQ"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=Q(is_faq=False) | ~Q(answer=""), name="tax_question_faq_answered"),
        ]

    def __str__(self) -> str:
        return self.question[:60]


# --- The tax hall -------------------------------------------------------------------------------


class Hall(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tax hall")
        verbose_name_plural = _("tax halls")

    def __str__(self) -> str:
        return self.name


class HallWindow(TimeStampedModel):
    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="windows", verbose_name=_("hall"))
    name = models.CharField(_("name"), max_length=50)
    services = models.CharField(_("services"), max_length=200, blank=True)
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["hall", "name"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [models.UniqueConstraint(fields=["hall", "name"], name="tax_window_unique_name")]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(TimeStampedModel):
    """One opening period of a weekday (a morning and an afternoon period are two rows)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("hall"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["hall", "weekday", "opens_at"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["hall", "weekday", "opens_at"], name="tax_opening_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="tax_opening_ordered"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="tax_opening_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class HallClosure(TimeStampedModel):
    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="closures", verbose_name=_("hall"))
    date = BoundedDateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["hall", "date"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints = [models.UniqueConstraint(fields=["hall", "date"], name="tax_closure_unique_day")]

    def __str__(self) -> str:
        return f"{self.hall} {self.date}"


class Slot(TimeStampedModel):
    """A time slot of the hall. `booked` counts active appointments; the database itself refuses
    more than `capacity` (a check constraint under the conditional update that books)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="slots", verbose_name=_("hall"))
    starts_at = BoundedDateTimeField(_("starts at"))
    ends_at = BoundedDateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    booked = models.PositiveIntegerField(_("booked"), default=0)
    is_open = models.BooleanField(_("open for booking"), default=True)

    class Meta:
        ordering = ["starts_at", "hall"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["hall", "starts_at"], name="tax_slot_unique_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="tax_slot_ordered"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_SLOT_CAPACITY), name="tax_slot_capacity_range"
            ),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")), name="tax_slot_not_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="tax_slot_start")]

    def __str__(self) -> str:
        return f"{self.hall} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def available(self) -> int:
        return max(self.capacity - self.booked, 0)


class Purpose(models.TextChoices):
    DECLARATION = "declaration", _("Tax declaration")
    INVOICES = "invoices", _("Invoices")
    DEFERRAL = "deferral", _("Payment deferral")
    REGISTRATION = "registration", _("Tax registration")
    OTHER = "other", _("Other business")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


# A taxpayer has at most one of these per day (a partial unique index).
ACTIVE_APPOINTMENT_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)
BOOKING_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the hall


def new_booking_code() -> str:
    return "".join(secrets.choice(BOOKING_CODE_ALPHABET) for _ in range(8))


class Appointment(TimeStampedModel):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("time slot"))
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="tax_appointments",
        verbose_name=_("taxpayer"),
    )
    day = models.DateField(_("day"), help_text=_("The slot's local date, for the one-booking-a-day rule."))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    code = models.CharField(_("booking code"), max_length=12, unique=True, default=new_booking_code)
    status = models.CharField(
        _("status"), max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day"],
                condition=Q(status__in=["booked", "arrived"]),
                name="tax_appointment_one_active_per_day",
            ),
        ]
        indexes = [models.Index(fields=["day", "status"], name="tax_appointment_day")]

    def __str__(self) -> str:
        return self.code


# --- Payment deferrals --------------------------------------------------------------------------


class TaxType(TimeStampedModel):
    """增值税, 消费税 ... configurable: a district adds the taxes its taxpayers defer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("tax type")
        verbose_name_plural = _("tax types")

    def __str__(self) -> str:
        return self.name


class DeferralStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("deferral status", "Submitted")
    APPROVED = "approved", pgettext_lazy("deferral status", "Approved")
    REFUSED = "refused", pgettext_lazy("deferral status", "Refused")


class Deferral(TimeStampedModel):
    """An application to pay taxes up to three months late (延期缴纳税款)."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="tax_deferrals", verbose_name=_("taxpayer")
    )
    period = BoundedDateField(_("tax period"), help_text=_("The first day of the month the taxes belong to."))
    due_on = BoundedDateField(_("payment due on"))
    months = models.PositiveSmallIntegerField(_("months of deferral"))
    reason = models.TextField(_("reason"), max_length=5000)
    total = money_field(_("total"))
    status = models.CharField(
        _("status"), max_length=12, choices=DeferralStatus.choices, default=DeferralStatus.SUBMITTED, db_index=True
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, db_index=True)
    approved_months = models.PositiveSmallIntegerField(_("approved months"), null=True, blank=True)
    approved_total = money_field(_("approved total"), null=True, blank=True)
    new_due_on = models.DateField(_("new due date"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment deferral")
        verbose_name_plural = _("payment deferrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=MAX_DEFERRAL_MONTHS), name="tax_deferral_months_range"
            ),
            models.CheckConstraint(condition=Q(total__gt=0), name="tax_deferral_total_positive"),
            models.CheckConstraint(
                condition=Q(approved_months__isnull=True)
                | (Q(approved_months__gte=1) & Q(approved_months__lte=F("months"))),
                name="tax_deferral_approved_months_range",
            ),
            models.CheckConstraint(
                condition=Q(approved_total__isnull=True)
                | (Q(approved_total__gt=0) & Q(approved_total__lte=F("total"))),
                name="tax_deferral_approved_total_range",
            ),
            # One application in progress or granted per taxpayer and tax period.
            models.UniqueConstraint(
                fields=["organisation", "period"],
                condition=Q(status__in=["submitted", "approved"]),
                name="tax_deferral_one_open_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period:%Y-%m}"


class DeferralItem(models.Model):
    deferral = models.ForeignKey(Deferral, on_delete=models.CASCADE, related_name="items", verbose_name=_("deferral"))
    tax_type = models.ForeignKey(TaxType, on_delete=models.PROTECT, related_name="+", verbose_name=_("tax type"))
    amount = money_field(_("amount"))
    approved_amount = money_field(_("approved amount"), null=True, blank=True)

    class Meta:
        ordering = ["deferral", "tax_type__order", "id"]
        verbose_name = _("deferred tax")
        verbose_name_plural = _("deferred taxes")
        constraints = [
            models.UniqueConstraint(fields=["deferral", "tax_type"], name="tax_deferral_item_unique_type"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tax_deferral_item_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | (Q(approved_amount__gte=0) & Q(approved_amount__lte=F("amount"))),
                name="tax_deferral_item_approved_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tax_type} {self.amount}"


def deferral_evidence_path(instance: DeferralEvidence, filename: str) -> str:
    return f"tax/deferrals/{instance.deferral_id}/{secrets.token_hex(8)}/{filename}"


class DeferralEvidence(UploadedDocument):
    """Proof of the hardship (statements, contracts cancelled ...). Private to the taxpayer and the bureau."""

    deferral = models.ForeignKey(
        Deferral, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("deferral")
    )
    file = models.FileField(_("file"), upload_to=deferral_evidence_path, max_length=300)

    class Meta:
        ordering = ["deferral", "id"]
        verbose_name = _("hardship evidence")
        verbose_name_plural = _("hardship evidence")
