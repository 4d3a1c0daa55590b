"""The one place that moves stock: lock the (depot, item) rows, check, write the ledger lines.

Every write to a depot's stock goes through `locked_levels` first. On PostgreSQL the StockLevel
rows are locked with SELECT … FOR UPDATE (in a fixed order, so two transfers crossing each other
cannot deadlock); on SQLite the project's BEGIN IMMEDIATE already serialises writers. The sum of
the ledger read after the lock is therefore the stock no other writer can change before this
transaction commits, and "no depot below zero" holds under concurrent issues."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.core.errors import Conflict
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify

from .models import Depot, Item, LedgerLine, StockLevel

ZERO = Decimal("0")


class InsufficientStock(Conflict):
    """409: the depot holds less than asked; `available` is what it holds."""

    default_code = "insufficient_stock"

    def __init__(self, *, depot: Depot, item: Item, available: Decimal) -> None:
        message = _("Not enough %(item)s in %(depot)s: %(available)s %(unit)s available.") % {
            "item": item.name,
            "depot": depot.name,
            "available": format_quantity(available),
            "unit": item.unit,
        }
        super().__init__(message, errors={"quantity": [message], "available": [format_quantity(available)]})
        self.available = available


def format_quantity(value: Decimal) -> str:
    """2000.00 → "2000", 2.50 → "2.5": quantities as people write them."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _level(depot_id: int, item_id: int) -> StockLevel:
    level = StockLevel.objects.select_for_update().filter(depot_id=depot_id, item_id=item_id).first()
    if level is not None:
        return level
    try:
        with transaction.atomic():
            StockLevel.objects.create(depot_id=depot_id, item_id=item_id)
    except IntegrityError:
        pass  # created by a concurrent writer, which we now wait for
    return StockLevel.objects.select_for_update().get(depot_id=depot_id, item_id=item_id)


def locked_levels(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockLevel]:
    """Lock the StockLevel rows of (depot id, item id) pairs, in a fixed order. Call inside a
    transaction."""
    return {pair: _level(*pair) for pair in sorted(set(pairs))}


def on_hand(depot_id: int, item_id: int) -> Decimal:
    total = LedgerLine.objects.filter(depot_id=depot_id, item_id=item_id).aggregate(total=Sum("quantity"))["total"]
    return total if total is not None else ZERO


def require(*, depot: Depot, item: Item, quantity: Decimal, reserved: Decimal = ZERO) -> Decimal:
    """The stock on hand (minus `reserved`) once checked to cover `quantity`. Under the lock."""
    available = on_hand(depot.pk, item.pk) - reserved
    if available < quantity:
        raise InsufficientStock(depot=depot, item=item, available=max(available, ZERO))
    return available


def after_write(levels: Sequence[StockLevel], *, depots: dict[int, Depot], items: dict[int, Item]) -> None:
    """Tell the keeper once when a depot's stock of an item falls below its threshold; re-arm once
    it is back at or above it. Under the lock, in the write's transaction."""
    for level in levels:
        if level.threshold is None:
            continue
        stock = on_hand(level.depot_id, level.item_id)
        below = stock < level.threshold
        if below == level.below_threshold:
            continue
        level.below_threshold = below
        level.save(update_fields=["below_threshold"])
        depot, item = depots[level.depot_id], items[level.item_id]
        if below and depot.keeper_id is not None:
            notify(
                recipients=[depot.keeper],
                kind=NotificationKind.ALERT,
                title=gettext_lazy("Low stock: %(item)s in %(depot)s"),
                body=gettext_lazy("%(stock)s %(unit)s left, below the threshold of %(threshold)s."),
                params={
                    "item": item.name,
                    "depot": depot.name,
                    "stock": format_quantity(stock),
                    "unit": item.unit,
                    "threshold": format_quantity(level.threshold),
                },
                link=f"/supplies/?depot={depot.pk}",
                source=depot,
            )
