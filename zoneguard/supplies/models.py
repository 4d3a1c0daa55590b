"""Prevention supplies (防疫物资): items, depots, the stock ledger, and the organisations'
requests that officers allocate from the depots.

Stock is the sum of the ledger (LedgerLine), never a number edited in place. StockLevel is the
row each write to one (depot, item) locks first, so that the check "enough on hand" and the
write that follows it are serialised; it also holds the low-stock threshold and whether the
keeper was told the stock fell below it (once per crossing)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.collation import PinyinOrder
from zoneguard.core.models import BoundedDateField, TimeStampedModel
from zoneguard.registry.models import OrganisationKind

MAX_QUANTITY = Decimal("999999999.99")


class SuppliesDuty(TimeStampedModel):
    """The departments that run the zone's prevention supplies: their officers see every depot and
    request, post to every depot's ledger and allocate (data the commander edits)."""

    department = models.OneToOneField(
        "registry.Department", on_delete=models.CASCADE, related_name="supplies_duty", verbose_name=_("department")
    )
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        verbose_name = _("supplies duty")
        verbose_name_plural = _("supplies duties")

    def __str__(self) -> str:
        return str(self.department)


class ItemCategory(models.TextChoices):
    MASK_MEDICAL = "mask_medical", _("Medical mask")
    MASK_SURGICAL = "mask_surgical", _("Surgical mask")
    MASK_N95 = "mask_n95", _("N95/KN95 mask")
    ALCOHOL = "alcohol", _("Alcohol")
    DISINFECTANT = "disinfectant", _("Disinfectant")
    THERMOMETER = "thermometer", _("Thermometer")
    PROTECTIVE_SUIT = "protective_suit", _("Protective suit")
    HERBAL = "herbal", _("Herbal medicine")
    OTHER = "other", _("Other supplies")


MASK_CATEGORIES = frozenset({ItemCategory.MASK_MEDICAL, ItemCategory.MASK_SURGICAL, ItemCategory.MASK_N95})


# Units things are counted in, one by one: half a mask or a third of a bottle is a slip of the keyboard.
PIECE_UNITS = frozenset(
    {"只", "个", "副", "件", "盒", "瓶", "桶", "套", "支", "把", "台", "顶", "双", "包", "箱", "袋", "张", "本", "片"}
    | {"piece", "pieces", "box", "boxes", "bottle", "bottles", "pair", "pairs", "pack", "packs"}
)


class Item(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("For example: piece, box, bottle, litre."))
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        ordering = ["category", PinyinOrder("name"), "id"]
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")

    @property
    def counted_in_pieces(self) -> bool:
        return self.unit.strip().casefold() in PIECE_UNITS

    def __str__(self) -> str:
        return self.name

    @property
    def is_mask(self) -> bool:
        return self.category in MASK_CATEGORIES


class DepotKind(models.TextChoices):
    ZONE = "zone", _("Zone depot")
    COMMUNITY = "community", _("Community depot")
    ENTERPRISE = "enterprise", _("Enterprise's own store")


class Depot(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=DepotKind.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("owning organisation"),
        help_text=_("Empty for the zone's own depot."),
    )
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keeper"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", PinyinOrder("name"), "id"]
        verbose_name = _("depot")
        verbose_name_plural = _("depots")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int | None:
        return self.organisation_id


class StockLevel(models.Model):
    """The lock row of one item in one depot, and its low-stock threshold. Holds no quantity."""

    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="levels")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    threshold = models.DecimalField(
        _("low-stock threshold"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_QUANTITY)],
    )
    below_threshold = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["depot", "item"], name="stock_level_once")]

    def __str__(self) -> str:
        return f"{self.depot_id}/{self.item_id}"


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", pgettext_lazy("stock movement", "Receipt")
    TRANSFER = "transfer", _("Transfer")
    ISSUE = "issue", _("Issue")
    ADJUSTMENT = "adjustment", _("Adjustment after a count")


class ReceiptSource(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    DONATION = "donation", _("Donation")


class LedgerEntry(models.Model):
    """One post to the ledger: a receipt into a depot, a transfer between two, an issue out of one,
    an adjustment after a count. Its lines (LedgerLine) are what the stock sums."""

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices, db_index=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, help_text=_("Signed for an adjustment.")
    )
    depot = models.ForeignKey(
        Depot, on_delete=models.PROTECT, related_name="+", verbose_name=_("depot"), help_text=_("Where it moves from")
    )
    to_depot = models.ForeignKey(
        Depot, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("to depot")
    )
    source = models.CharField(_("source"), max_length=20, choices=ReceiptSource.choices, blank=True)
    donor = models.CharField(_("donor"), max_length=100, blank=True)
    recipient_organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recipient organisation"),
    )
    recipient_name = models.CharField(_("recipient"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="adjustment") | Q(quantity__gt=0), name="ledger_entry_positive_unless_adjustment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.quantity}"

    @property
    def audit_organisation_id(self) -> int | None:
        return self.depot.organisation_id


class LedgerLine(models.Model):
    """One signed movement of one item in one depot; a transfer has two that sum to zero."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="lines")
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["depot", "item", "created_at"], name="ledger_line_depot_item")]

    def __str__(self) -> str:
        return f"{self.depot_id}/{self.item_id} {self.quantity}"


class PriorityRule(TimeStampedModel):
    """A row of the priority table the commander edits: the organisations it matches (by kind,
    sector, whether workers are on site) and their rank (1 first). See priorities.py."""

    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    label = models.CharField(_("label"), max_length=100)
    organisation_kind = models.CharField(_("kind of organisation"), max_length=20, blank=True)
    sector = models.ForeignKey(
        "registry.Sector", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("sector")
    )
    workers_on_site = models.BooleanField(
        _("only with workers on site"), default=False, help_text=_("Staff on duty in the latest daily report.")
    )

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = _("priority rule")
        verbose_name_plural = _("priority rules")

    def __str__(self) -> str:
        return f"{self.rank}. {self.label}"

    @property
    def organisation_kind_label(self) -> str:
        return str(OrganisationKind(self.organisation_kind).label) if self.organisation_kind else ""


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("supplies request", "Pending")
    ALLOCATED = "allocated", _("Allocated")
    HANDED_OVER = "handed_over", _("Handed over")
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("supplies request", "Withdrawn")


class SupplyRequest(TimeStampedModel):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    needed_by = BoundedDateField(_("needed by"))
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )

    # Annotated by selectors.request_queue: the rank of the priority table that matched.
    priority: int | None = None

    class Meta:
        ordering = ["needed_by", "id"]
        verbose_name = _("supplies request")
        verbose_name_plural = _("supplies requests")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.needed_by}"

    @property
    def audit_organisation_id(self) -> int | None:
        return self.organisation_id


class RequestLine(models.Model):
    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_QUANTITY)],
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item"], name="request_line_item_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="request_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"


class Allocation(models.Model):
    """Part or all of a request line, from one depot. Handed over, it becomes an issue (`entry`)."""

    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="allocations")
    line = models.ForeignKey(RequestLine, on_delete=models.CASCADE, related_name="allocations")
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="+", verbose_name=_("depot"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    allocated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="allocation_positive")]

    def __str__(self) -> str:
        return f"{self.depot_id} → {self.request_id}: {self.quantity}"
