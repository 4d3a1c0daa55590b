"""The day's reports as officers exchange them: one sheet with a row per organisation and a totals
row, the date in the title; a second sheet summarising the zone by sector."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.excel import Workbook, add_sheet, build_workbook
from zoneguard.resumption.selectors import Rates

from .selectors import DayOverview, FilingState

PERCENT = "0.0%"


def filename(overview: DayOverview) -> str:
    return _("daily prevention reports-%(day)s.xlsx") % {"day": f"{overview.day:%Y%m%d}"}


def _state_label(state: str) -> str:
    return {FilingState.FILED: _("Filed"), FilingState.LATE: _("Late"), FilingState.DUE: _("Not yet filed")}[state]


def day_workbook(overview: DayOverview, rates: Rates) -> Workbook:
    headers = [
        _("No."),
        _("Organisation"),
        _("Kind"),
        _("Sector"),
        _("Community"),
        _("Report"),
        _("Total staff"),
        _("Staff on duty"),
        _("Staff isolating"),
        _("Temperature anomalies"),
        _("Disinfection done"),
        _("Masks in stock"),
        _("Disinfectant (litres)"),
        _("Problems and needs"),
        _("Filed by"),
        _("Filed at"),
    ]
    rows = []
    for number, row in enumerate(overview.rows, start=1):
        o, r = row.organisation, row.report
        rows.append(
            [
                number,
                o.name,
                o.get_kind_display(),
                o.sector.name if o.sector else "",
                o.community.name if o.community else "",
                _state_label(row.state),
                o.total_staff,
                r.staff_on_duty if r else None,
                r.staff_isolating if r else None,
                r.temperature_anomalies if r else None,
                (_("Yes") if r.disinfection_done else _("No")) if r else None,
                r.masks_in_stock if r else None,
                float(r.disinfectant_litres) if r else None,
                r.problems if r else "",
                r.filed_by.display_name if r and r.filed_by else "",
                timezone.localtime(r.amended_at or r.filed_at).strftime("%H:%M") if r else "",
            ]
        )
    totals = [
        _("Total"),
        _("%(count)s organisations") % {"count": len(overview.rows)},
        "",
        "",
        "",
        _("%(filed)s of %(due)s filed") % {"filed": len(overview.filed), "due": len(overview.rows)},
        overview.total_staff,
        overview.total("staff_on_duty"),
        overview.total("staff_isolating"),
        overview.total("temperature_anomalies"),
        overview.total("disinfection_done"),
        overview.total("masks_in_stock"),
        float(overview.total("disinfectant_litres")),
        "",
        "",
        "",
    ]
    workbook = build_workbook(
        title=_("Daily prevention reports %(date)s") % {"date": overview.day.isoformat()},
        headers=headers,
        rows=rows,
        totals=totals,
        sheet_name=_("Daily reports"),
    )
    _sector_sheet(workbook, overview, rates)
    return workbook


def _sector_sheet(workbook: Workbook, overview: DayOverview, rates: Rates) -> None:
    filed: dict[Any, dict[str, Any]] = defaultdict(lambda: {"due": 0, "filed": 0, "isolating": 0, "anomalies": 0})
    for row in overview.rows:
        figures = filed[row.organisation.sector_id]
        figures["due"] += 1
        if row.report is not None:
            figures["filed"] += 1
            figures["isolating"] += row.report.staff_isolating
            figures["anomalies"] += row.report.temperature_anomalies
    headers = [
        _("Sector"),
        _("Registered"),
        _("Resumed"),
        _("Resumption rate"),
        _("Reports due"),
        _("Reports filed"),
        _("Total staff"),
        _("Staff on duty"),
        _("Staff return rate"),
        _("Staff isolating"),
        _("Temperature anomalies"),
    ]
    body = []
    for sector in rates.by_sector:
        f = filed[sector.key]
        body.append(
            [
                sector.label,
                sector.registered,
                sector.resumed,
                sector.resumption_rate,
                f["due"],
                f["filed"],
                sector.total_staff,
                sector.on_duty,
                sector.return_rate,
                f["isolating"],
                f["anomalies"],
            ]
        )
    all_ = rates.overall
    totals = [
        _("Zone total"),
        all_.registered,
        all_.resumed,
        all_.resumption_rate,
        len(overview.rows),
        len(overview.filed),
        all_.total_staff,
        all_.on_duty,
        all_.return_rate,
        overview.total("staff_isolating"),
        overview.total("temperature_anomalies"),
    ]
    add_sheet(
        workbook,
        sheet_name=_("Summary by sector"),
        title=_("Zone summary by sector %(date)s") % {"date": overview.day.isoformat()},
        headers=headers,
        rows=body,
        totals=totals,
        number_formats={3: PERCENT, 8: PERCENT},
    )
