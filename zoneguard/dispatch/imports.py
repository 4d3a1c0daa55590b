"""Monthly progress from an Excel list (the 项目调度表 as departments fill it in): every row is
checked first, and nothing is written unless every row is valid."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import ApplicationError
from zoneguard.core.excel import import_template, read_import_table

from . import access, services
from .models import Project

MAX_ROWS = 2000
MAX_INVESTED = Decimal("999999999999.99")

# Column keys and the header texts recognised for them, in both languages.
COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "project": (gettext_lazy("Project"), ("项目名称", "项目", "project")),
    "month": (gettext_lazy("Month"), ("月份", "month")),
    "invested": (
        gettext_lazy("Investment this month (10k yuan)"),
        ("本月完成投资", "本月完成投资额", "investment this month", "invested"),
    ),
    "workers_on_site": (gettext_lazy("Workers on site"), ("在岗人数", "施工人数", "workers on site", "workers")),
    "note": (gettext_lazy("Note"), ("备注", "note")),
}
REQUIRED_COLUMNS = ("project", "month", "invested")


@dataclass
class ImportRow:
    number: int
    values: dict[str, str]
    project: Project | None = None
    month: date | None = None
    invested: Decimal | None = None
    workers_on_site: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.header_errors and bool(self.rows) and all(not row.errors for row in self.rows)

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def progress_template() -> Workbook:
    return import_template(
        title=_("Monthly progress of investment projects: one project and month per row"),
        columns=COLUMNS,
        sheet_name=_("Monthly progress"),
        text_columns="AB",
    )


def _month(text: str) -> date | None:
    cleaned = text.strip().replace("/", "-").replace("年", "-").replace("月", "").replace(".", "-")
    parts = cleaned.split("-")
    try:
        if len(parts) >= 2:
            return date(int(parts[0]), int(parts[1]), 1)
    except ValueError:
        return None
    return None


def _check_row(row: ImportRow, *, projects: dict[str, Project], seen: dict[tuple[int, date], int], actor: User) -> None:
    values = row.values
    row.project = projects.get(values["project"])
    if row.project is None or not access.reports_progress(actor, row.project):
        row.errors.append(_("Unknown project, or not one you report on: %(name)s.") % {"name": values["project"]})
    row.month = _month(values["month"])
    if row.month is None:
        row.errors.append(_("Write the month as 2020-02."))
    try:
        row.invested = Decimal(values["invested"].replace(",", ""))
        if not row.invested.is_finite() or row.invested < 0 or row.invested > MAX_INVESTED:
            raise InvalidOperation
        if row.invested != row.invested.quantize(Decimal("0.01")):
            row.errors.append(_("The investment has at most two decimals (100 yuan)."))
    except InvalidOperation:
        row.invested = None
        row.errors.append(_("The investment is a number of 10k yuan, zero or more."))
    workers = values["workers_on_site"].replace(",", "")
    if workers:
        if workers.isdigit() and int(workers) <= 1_000_000:
            row.workers_on_site = int(workers)
        else:
            row.errors.append(_("Workers on site is a whole number."))
    if row.project is not None and row.month is not None:
        key = (row.project.pk, row.month)
        if key in seen:
            row.errors.append(_("The same project and month are on row %(row)d.") % {"row": seen[key]})
        else:
            seen[key] = row.number


def progress_import_check(*, actor: User, data: bytes) -> ImportReport:
    from . import selectors

    report = ImportReport()
    table = read_import_table(data, columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS)
    report.header_errors.extend(table.problems)
    if table.problems:
        return report
    names = {values["project"] for _number, values in table.rows}
    projects = {p.name: p for p in selectors.project_list(actor=actor).filter(name__in=names)}
    seen: dict[tuple[int, date], int] = {}
    for number, values in table.rows:
        row = ImportRow(number, values)
        _check_row(row, projects=projects, seen=seen, actor=actor)
        report.rows.append(row)
    return report


def progress_import(*, actor: User, data: bytes) -> ImportReport:
    """Check every row; write every month in one transaction only when all are valid. A refusal
    while writing (a future month) is reported against its row, and nothing is written."""
    report = progress_import_check(actor=actor, data=data)
    if not report.is_valid:
        return report
    current: ImportRow | None = None
    try:
        with transaction.atomic():
            for row in report.rows:
                current = row
                assert row.project is not None and row.month is not None and row.invested is not None
                services.progress_report(
                    actor=actor,
                    project=row.project,
                    month=row.month,
                    invested=row.invested,
                    workers_on_site=row.workers_on_site,
                    note=row.values["note"],
                )
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="dispatch.monthlyprogress",
                object_repr=_("Monthly progress of investment projects"),
                detail={"rows": len(report.rows)},
            )
    except ApplicationError as error:
        messages = [msg for msgs in error.errors.values() for msg in msgs] or [error.message]
        if current is not None:
            current.errors.extend(messages)
        return report
    report.written = True
    return report
