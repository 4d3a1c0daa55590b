"""Excel out: the deferral summary, the way the bureau reports it upward."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.excel import Workbook, build_workbook

from .models import TaxType
from .selectors.deferrals import DeferralSummary


def summary_filename() -> str:
    return _("tax-deferrals-%(day)s.xlsx") % {"day": f"{timezone.localdate():%Y%m%d}"}


def _number(value: Decimal | None) -> object:
    # Excel cells hold binary floats. Amounts have at most 15 significant digits, which a float
    # carries exactly to the file (the shortest repr is written); the totals row is computed here
    # from Decimals, not by Excel.
    return None if value is None else float(value)


def summary_workbook(summary: DeferralSummary, types: Sequence[TaxType]) -> Workbook:
    used = [t for t in types if any(t.code == s.code for s in summary.by_tax_type)]
    headers = [
        _("Taxpayer"),
        _("Unified social credit code"),
        _("Tax period"),
        _("Months granted"),
        _("New due date"),
        *[_("%(tax)s (yuan)") % {"tax": t.name} for t in used],
        _("Total granted (yuan)"),
        _("Decided on"),
    ]
    rows = []
    for row in summary.rows:
        deferral = row["deferral"]
        rows.append(
            [
                deferral.organisation.name,
                deferral.organisation.credit_code or "",
                f"{deferral.period:%Y-%m}",
                deferral.approved_months,
                deferral.new_due_on,
                *[_number(row["amounts"].get(t.pk)) for t in used],
                _number(deferral.approved_total),
                timezone.localdate(deferral.decided_at) if deferral.decided_at else None,
            ]
        )
    by_code = {t.code: t.total for t in summary.by_tax_type}
    totals = [
        _("Total: %(n)s enterprises") % {"n": summary.enterprises},
        "",
        "",
        "",
        "",
        *[_number(by_code.get(t.code)) for t in used],
        _number(summary.total),
        "",
    ]
    span = ""
    if summary.date_from or summary.date_to:
        span = f" ({summary.date_from or '…'} – {summary.date_to or '…'})"
    # The amounts of each tax and their total, in the data and the totals row.
    amounts = range(5, 6 + len(used))
    return build_workbook(
        title=_("Approved tax payment deferrals") + span,
        headers=headers,
        rows=rows,
        sheet_name=_("Deferrals"),
        totals=totals,
        number_formats=dict.fromkeys(amounts, "#,##0.00"),
    )
