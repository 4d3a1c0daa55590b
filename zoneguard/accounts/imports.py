"""Organisation admins invited from an Excel list (organisation, admin's name, phone, e-mail):
every row is checked first, and nothing is written unless every row is valid."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import ApplicationError
from zoneguard.core.excel import import_template, read_import_table
from zoneguard.core.roles import Role
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation
from zoneguard.registry.validators import normalize_credit_code

from . import access
from .models import Invitation, User
from .services.invitations import invitation_create

MAX_ROWS = 2000

COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "organisation": (
        gettext_lazy("Organisation"),
        ("单位", "单位名称", "企业", "企业名称", "统一社会信用代码", "organisation", "organization"),
    ),
    "full_name": (gettext_lazy("Full name"), ("姓名", "管理员", "管理员姓名", "联系人", "name", "admin")),
    "phone": (gettext_lazy("Mobile phone"), ("手机号", "手机号码", "手机", "联系电话", "mobile phone", "phone")),
    "email": (gettext_lazy("E-mail"), ("邮箱", "电子邮箱", "电子邮件", "e-mail", "email")),
}
REQUIRED_COLUMNS = ("organisation", "full_name")


@dataclass
class ImportRow:
    number: int
    values: dict[str, str]
    organisation: Organisation | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)
    created: list[tuple[Invitation, str]] = field(default_factory=list)
    written: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.header_errors and bool(self.rows) and all(not row.errors for row in self.rows)

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]


def admins_template() -> Workbook:
    return import_template(
        title=_("Organisation administrators to invite: one per row; organisation and name are required"),
        columns=COLUMNS,
        sheet_name=_("Administrators"),
        text_columns="C",
    )


def admins_import_check(*, actor: User, data: bytes) -> ImportReport:
    report = ImportReport()
    table = read_import_table(data, columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS)
    report.header_errors.extend(table.problems)
    if table.problems:
        return report
    wanted = {values["organisation"].strip() for _n, values in table.rows if values["organisation"].strip()}
    codes = {normalize_credit_code(text) for text in wanted}
    visible = scoping.visible_organisations(actor).filter(Q(name__in=wanted) | Q(credit_code__in=codes))
    by_name: dict[str, list[Organisation]] = {}
    by_code: dict[str, Organisation] = {}
    for organisation in visible:
        by_name.setdefault(organisation.name, []).append(organisation)
        if organisation.credit_code:
            by_code[organisation.credit_code] = organisation
    for number, values in table.rows:
        row = ImportRow(number, values)
        text = values["organisation"].strip()
        found = by_code.get(normalize_credit_code(text)) or next(iter(by_name.get(text, [])), None)
        if not text:
            row.errors.append(_("The organisation is required."))
        elif found is None:
            row.errors.append(_("No organisation you can see has this name or credit code."))
        elif len(by_name.get(text, [])) > 1:
            row.errors.append(_("Several organisations have this name: write its credit code."))
        elif not access.may_invite(actor, role=Role.ORGANISATION_ADMIN, organisation=found, department=None):
            row.errors.append(_("You cannot invite an administrator of this organisation."))
        row.organisation = found
        if not values["full_name"].strip():
            row.errors.append(_("Name is required."))
        report.rows.append(row)
    return report


def admins_import(*, actor: User, data: bytes) -> ImportReport:
    """Check every row; invite every admin in one transaction only when all are valid. A refusal
    while writing (a phone or e-mail not valid) is reported against its row, and nothing is
    written."""
    report = admins_import_check(actor=actor, data=data)
    if not report.is_valid:
        return report
    current = report.rows[0]
    try:
        with transaction.atomic():
            for row in report.rows:
                current = row
                report.created.append(
                    invitation_create(
                        actor=actor,
                        role=Role.ORGANISATION_ADMIN,
                        full_name=row.values["full_name"],
                        phone=row.values["phone"],
                        email=row.values["email"],
                        organisation=row.organisation,
                    )
                )
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="accounts.invitation",
                object_repr=_("Organisation administrators to invite"),
                detail={"rows": len(report.rows)},
            )
    except ApplicationError as error:
        current.errors.extend([msg for msgs in error.errors.values() for msg in msgs] or [error.message])
        report.created = []
        return report
    report.written = True
    return report
