"""Bulk import of an organisation's staff from Excel: every row is checked first, and nothing is
written unless every row is valid, so a half-imported list never has to be cleaned up by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import ApplicationError, Forbidden, InvalidInput
from zoneguard.core.excel import import_template, read_import_table

from . import scoping
from .models import Organisation
from .services import person_check, person_register

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

MAX_ROWS = 5000

# Column keys and the header texts recognised for them, in both languages.
COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "name": (pgettext_lazy("person", "Name"), ("姓名", "name")),
    "id_number": (gettext_lazy("ID number"), ("身份证号", "身份证号码", "id number", "id_number")),
    "phone": (gettext_lazy("Mobile phone"), ("手机号", "手机号码", "手机", "mobile phone", "phone")),
    "position": (gettext_lazy("Position"), ("岗位", "职务", "position")),
}
REQUIRED_COLUMNS = ("name", "id_number")


@dataclass
class ImportRow:
    number: int
    name: str
    id_number: str
    phone: str
    position: str
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)
    created: int = 0
    linked: int = 0
    written: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.header_errors and bool(self.rows) and all(not row.errors for row in self.rows)

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def staff_template() -> Workbook:
    return import_template(
        title=_("Staff list: one person per row; name and ID number are required"),
        columns=COLUMNS,
        sheet_name=_("Staff"),
        text_columns="BC",
    )


def staff_import_check(*, data: bytes) -> ImportReport:
    report = ImportReport()
    table = read_import_table(data, columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS)
    report.header_errors.extend(table.problems)
    seen: dict[str, int] = {}
    for number, values in table.rows:
        row = ImportRow(number, values["name"], values["id_number"], values["phone"], values["position"])
        if not row.name:
            row.errors.append(_("Name is required."))
        try:
            person = person_check(name=row.name or "-", id_number=row.id_number, phone=row.phone)
            row.id_number, row.phone = person.id_number, person.phone
        except InvalidInput as error:
            row.errors.extend(msg for msgs in error.errors.values() for msg in msgs)
        if row.id_number in seen:
            row.errors.append(_("The same ID number is on row %(row)d.") % {"row": seen[row.id_number]})
        else:
            seen[row.id_number] = number
        report.rows.append(row)
    return report


def staff_import(*, actor: User, organisation: Organisation, data: bytes) -> ImportReport:
    """Check every row; write them all in one transaction only when all are valid. The rows already
    registered elsewhere are joined as person_register joins them; the organisation is not told
    which they were (the audit log keeps the counts)."""
    if not scoping.can_manage_organisation(actor, organisation):
        raise Forbidden()
    report = staff_import_check(data=data)
    if not report.is_valid:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                _person, created = person_register(
                    actor=actor,
                    name=row.name,
                    id_number=row.id_number,
                    phone=row.phone,
                    organisation=organisation,
                    position=row.position,
                )
                if created:
                    report.created += 1
                else:
                    report.linked += 1
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                obj=organisation,
                organisation_id=organisation.pk,
                detail={"rows": len(report.rows), "created": report.created, "linked": report.linked},
            )
    except ApplicationError as error:
        # A concurrent change between check and write: report it, nothing was written.
        report.created = report.linked = 0
        report.header_errors.append(error.message)
        return report
    report.written = True
    return report
