"""Errands (代购) for residents isolating at home: a list of things to buy, bought and delivered
contact-free by a volunteer of the community, paid back by the resident. lifecycle.py holds the
rules of its states."""

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

MAX_AMOUNT = 100_000  # yuan: no errand of groceries and medicine costs more


class ErrandStatus(models.TextChoices):
    OPEN = lifecycle.OPEN, _("Waiting for a volunteer")
    ACCEPTED = lifecycle.ACCEPTED, _("A volunteer is on it")
    DELIVERED = lifecycle.DELIVERED, _("Delivered at the door")
    RECEIVED = lifecycle.RECEIVED, _("Received")
    SETTLED = lifecycle.SETTLED, _("Paid back")
    CANCELLED = lifecycle.CANCELLED, pgettext_lazy("errand", "Cancelled")


class LineKind(models.TextChoices):
    GROCERIES = "groceries", _("Groceries")
    MEDICINE = "medicine", _("Medicine")
    MASKS = "masks", _("Masks and disinfectant")
    OTHER = "other", _("Other")


def receipt_upload_to(instance: Any, filename: str) -> str:
    return f"errands/receipts/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class Errand(models.Model):
    case = models.ForeignKey(
        "isolation.IsolationCase", on_delete=models.PROTECT, related_name="errands", verbose_name=_("isolation case")
    )
    # The case's community when asked: whose volunteers it is offered to, whose worker follows it.
    community = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ErrandStatus.choices, default=ErrandStatus.OPEN, db_index=True
    )
    # A phone retrying a request it did not see answered sends the same key: one errand.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    by_resident = models.BooleanField(_("asked by the resident"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="errands",
        verbose_name=_("volunteer"),
    )
    accepted_at = models.DateTimeField(pgettext_lazy("errand", "accepted at"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(
        _("amount spent (yuan)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )
    receipt = models.FileField(_("receipt photo"), upload_to=receipt_upload_to, max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by_resident = models.BooleanField(default=False)
    settled_at = models.DateTimeField(_("paid back at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    # Set when the keeping time of personal data removed the list, the notes and the receipt
    # (services.purge_errand_contents); the errand's other facts stay.
    contents_purged_at = models.DateTimeField(_("list removed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("errand")
        verbose_name_plural = _("errands")
        indexes = [models.Index(fields=["community", "status"], name="errand_community_status")]
        constraints = [
            # Past acceptance, an errand has its volunteer; delivered, its amount.
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"]) | Q(volunteer__isnull=False),
                name="errand_volunteer_once_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["delivered", "received", "settled"]) | Q(amount__isnull=False),
                name="errand_amount_once_delivered",
            ),
        ]

    def __str__(self) -> str:
        return _("Errand #%(number)s") % {"number": self.pk}

    @property
    def is_pending(self) -> bool:
        return self.status in lifecycle.PENDING


class ErrandLine(models.Model):
    errand = models.ForeignKey(Errand, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices, default=LineKind.GROCERIES)
    item = models.CharField(_("item"), max_length=100)
    quantity = models.CharField(_("quantity"), max_length=30, help_text=_("For example: 2 斤, 1 box, 3."))

    class Meta:
        ordering = ["id"]
        verbose_name = _("line")
        verbose_name_plural = _("lines")

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"
