"""A stock count from Excel: rows of (depot, item, counted quantity). Every row is checked first;
one bad row and nothing is imported (the report lists each row's errors). A good file becomes
adjustments, one per (depot, item) whose count differs from the ledger (services.count_apply)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from zoneguard.accounts.models import User
from zoneguard.core.errors import ApplicationError
from zoneguard.core.excel import build_workbook, read_import_table

from . import selectors, services
from .models import MAX_QUANTITY

MAX_ROWS = 2000

# Column keys and the header texts recognised for them, in both languages.
COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "depot": (gettext_lazy("Depot"), ("仓库", "depot")),
    "item": (gettext_lazy("Item"), ("物品", "物资", "item")),
    "counted": (gettext_lazy("Counted quantity"), ("实盘数量", "盘点数量", "counted quantity", "counted")),
}


def headers() -> list[str]:
    return [str(label) for label, _aliases in COLUMNS.values()]


@dataclass
class CountRow:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


@dataclass
class CountReport:
    rows: list[CountRow] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)
    adjustments: int = 0
    imported: bool = False

    @property
    def bad_rows(self) -> list[CountRow]:
        return [row for row in self.rows if row.errors]


def count_template(*, actor: User) -> Workbook:
    rows = [(r.depot.name, r.item.name, r.quantity) for r in selectors.stock_rows(actor=actor)]
    return build_workbook(title=_("Stock count"), headers=headers(), rows=rows)


def count_import(*, actor: User, data: bytes, reason: str) -> CountReport:
    report = CountReport()
    table = read_import_table(data, columns=COLUMNS, required=list(COLUMNS), max_rows=MAX_ROWS)
    report.header_errors.extend(table.problems)
    if table.problems:
        return report
    depots = {d.name: d for d in selectors.depot_list(actor=actor)}
    items = {i.name: i for i in selectors.item_list(actor=actor)}
    counts: list[services.Count] = []
    seen: dict[tuple[int, int], int] = {}
    for number, values in table.rows:
        row = CountRow(number=number, values=values)
        report.rows.append(row)
        depot, item = depots.get(values["depot"]), items.get(values["item"])
        if depot is None:
            row.errors.append(_("No depot of yours is called “%(name)s”.") % {"name": values["depot"]})
        if item is None:
            row.errors.append(_("No item is called “%(name)s”.") % {"name": values["item"]})
        try:
            counted = Decimal(values["counted"])
            if not counted.is_finite() or counted < 0 or counted > MAX_QUANTITY or counted != round(counted, 2):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            row.errors.append(_("Write the counted quantity as a number of zero or more."))
            continue
        if depot is not None and item is not None:
            key = (depot.pk, item.pk)
            if key in seen:
                row.errors.append(_("The same depot and item are on row %(row)d.") % {"row": seen[key]})
            seen[key] = number
            counts.append(services.Count(depot=depot, item=item, counted=counted))
    if report.bad_rows:
        return report
    try:
        report.adjustments = len(services.count_apply(actor=actor, counts=counts, reason=reason))
    except ApplicationError as error:
        report.header_errors.append(error.message)
        return report
    report.imported = True
    return report
