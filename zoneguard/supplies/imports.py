"""A stock count from Excel: rows of (depot, item, counted quantity). Every row is checked first;
one bad row and nothing is imported (the report lists each row's errors). A good file becomes
adjustments, one per (depot, item) whose count differs from the ledger (services.count_apply)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from zoneguard.accounts.models import User
from zoneguard.core.errors import ApplicationError
from zoneguard.core.excel import SpreadsheetRefused, build_workbook, read_rows

from . import selectors, services
from .models import MAX_QUANTITY

MAX_ROWS = 2000
COLUMNS = ("depot", "item", "counted")


def headers() -> list[str]:
    return [_("Depot"), _("Item"), _("Counted quantity")]


@dataclass
class CountRow:
    number: int
    values: list[Any]
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


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def count_import(*, actor: User, data: bytes, reason: str) -> CountReport:
    report = CountReport()
    try:
        found, rows = read_rows(data, max_rows=MAX_ROWS, header_row=2)
    except SpreadsheetRefused as error:
        report.header_errors.append(error.message)
        return report
    if [_text(h) for h in found[:3]] != headers():
        report.header_errors.append(_("The columns must be: %(columns)s.") % {"columns": "、".join(headers())})
        return report
    depots = {d.name: d for d in selectors.depot_list(actor=actor)}
    items = {i.name: i for i in selectors.item_list(actor=actor)}
    counts: list[services.Count] = []
    seen: dict[tuple[int, int], int] = {}
    for number, values in rows:
        row = CountRow(number=number, values=list(values[:3]))
        report.rows.append(row)
        depot_name, item_name = _text(values[0] if values else ""), _text(values[1] if len(values) > 1 else "")
        depot, item = depots.get(depot_name), items.get(item_name)
        if depot is None:
            row.errors.append(_("No depot of yours is called “%(name)s”.") % {"name": depot_name})
        if item is None:
            row.errors.append(_("No item is called “%(name)s”.") % {"name": item_name})
        try:
            counted = Decimal(_text(values[2] if len(values) > 2 else ""))
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
    if not report.rows:
        report.header_errors.append(_("The file has no rows to import."))
    if report.header_errors or report.bad_rows:
        return report
    try:
        report.adjustments = len(services.count_apply(actor=actor, counts=counts, reason=reason))
    except ApplicationError as error:
        report.header_errors.append(error.message)
        return report
    report.imported = True
    return report
