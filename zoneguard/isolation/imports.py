"""Cases from an Excel list (a list of returnees from the district, the close contacts another
district sends): every row is checked first, and nothing is written unless every row is valid."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import ApplicationError, InvalidInput
from zoneguard.core.excel import import_template, read_import_table
from zoneguard.registry.services import person_check

from . import selectors, services
from .models import CaseStatus, IsolationCase, Reason, Source

MAX_ROWS = 2000

# Column keys and the header texts recognised for them, in both languages.
COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "name": (pgettext_lazy("person", "Name"), ("姓名", "name")),
    "id_number": (gettext_lazy("ID number"), ("身份证号", "身份证号码", "id number", "id_number")),
    "phone": (gettext_lazy("Mobile phone"), ("手机号", "手机号码", "手机", "联系电话", "mobile phone", "phone")),
    "community": (gettext_lazy("Community"), ("社区", "所属社区", "community")),
    "address": (gettext_lazy("Address"), ("地址", "住址", "居住地址", "address")),
    "reason": (gettext_lazy("Reason"), ("原因", "隔离原因", "reason")),
    "start_date": (gettext_lazy("From"), ("开始日期", "隔离开始日期", "from", "start date", "start_date")),
}
REQUIRED_COLUMNS = ("name", "id_number", "reason")


@dataclass
class ImportRow:
    number: int
    values: dict[str, str]
    community: Any = None
    reason: str = ""
    start_date: date | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def id_number(self) -> str:
        return self.values["id_number"]


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


def cases_template() -> Workbook:
    return import_template(
        title=_("Home isolation list: one person per row; name, ID number and reason are required"),
        columns=COLUMNS,
        sheet_name=_("Home isolation"),
        text_columns="BC",
    )


def _reason(text: str) -> str | None:
    """A reason as a list writes it: its value, or its label in either language."""
    wanted = text.strip().lower()
    for value, label in Reason.choices:
        names = {value}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(label).lower())
        if wanted in names:
            return value
    return None


def _check_row(row: ImportRow, *, communities: dict[str, Any], default_community: Any, seen: dict[str, int]) -> None:
    values = row.values
    if not values["name"]:
        row.errors.append(_("Name is required."))
    try:
        person = person_check(name=values["name"] or "-", id_number=values["id_number"], phone=values["phone"])
        values["id_number"], values["phone"] = person.id_number, person.phone
    except InvalidInput as error:
        row.errors.extend(msg for msgs in error.errors.values() for msg in msgs)
    if values["id_number"] in seen:
        row.errors.append(_("The same ID number is on row %(row)d.") % {"row": seen[values["id_number"]]})
    else:
        seen[values["id_number"]] = row.number
    row.community = communities.get(values["community"]) if values["community"] else default_community
    if row.community is None:
        row.errors.append(_("Choose a community you follow."))
    row.reason = _reason(values["reason"]) or ""
    if not row.reason:
        row.errors.append(
            _("Unknown reason: use one of %(reasons)s.")
            % {"reasons": "、".join(str(label) for _v, label in Reason.choices)}
        )
    if values["start_date"]:
        try:
            row.start_date = date.fromisoformat(values["start_date"].replace("/", "-")[:10])
        except ValueError:
            row.errors.append(_("Write the start date as 2020-02-01."))


def cases_import_check(*, actor: User, data: bytes) -> ImportReport:
    report = ImportReport()
    table = read_import_table(data, columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS)
    report.header_errors.extend(table.problems)
    if table.problems:
        return report
    followed = list(selectors.communities(actor=actor))
    communities = {c.name: c for c in followed}
    default_community = followed[0] if len(followed) == 1 else None
    seen: dict[str, int] = {}
    for number, values in table.rows:
        row = ImportRow(number, values)
        _check_row(row, communities=communities, default_community=default_community, seen=seen)
        report.rows.append(row)
    active = set(
        IsolationCase.objects.filter(
            status=CaseStatus.ACTIVE, person__id_number__in=[r.values["id_number"] for r in report.rows]
        ).values_list("person__id_number", flat=True)
    )
    for row in report.rows:
        if row.values["id_number"] in active:
            row.errors.append(_("This person is already in home isolation."))
    return report


def cases_import(*, actor: User, data: bytes) -> ImportReport:
    """Check every row; open every case in one transaction only when all are valid. A refusal
    while writing (a start date out of range, a person isolated meanwhile) is reported against its
    row, and nothing is written."""
    report = cases_import_check(actor=actor, data=data)
    if not report.is_valid:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                current = row
                services.case_open_registering(
                    actor=actor,
                    community=row.community,
                    name=row.values["name"],
                    id_number=row.values["id_number"],
                    phone=row.values["phone"],
                    address=row.values["address"],
                    reason=row.reason,
                    source=Source.IMPORT,
                    start_date=row.start_date or timezone.localdate(),
                )
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="isolation.isolationcase",
                object_repr=_("Home isolation list"),
                detail={"rows": len(report.rows)},
            )
    except ApplicationError as error:
        messages = [msg for msgs in error.errors.values() for msg in msgs] or [error.message]
        current.errors.extend(messages)
        return report
    report.written = True
    return report
