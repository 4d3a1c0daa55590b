from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zoneguard.core.excel import Workbook, build_workbook
from zoneguard.core.masking import mask_name

from .decisions import reason_message
from .models import CheckIn


def checkins_workbook(checkins: Iterable[CheckIn], *, title: str) -> Workbook:
    """The entry log as officers file it; names and ID numbers masked."""
    headers = [
        _("Time"),
        _("Organisation"),
        _("Site"),
        pgettext("person", "Name"),
        _("ID number"),
        _("Direction"),
        _("Temperature (°C)"),
        _("Result"),
        _("Health status"),
        _("Reasons"),
    ]
    rows = (
        [
            c.checked_at,
            c.site.organisation.name,
            c.site.name,
            mask_name(c.person.name) if c.person else "",
            c.masked_id_number,
            c.get_direction_display(),
            float(c.temperature) if c.temperature is not None else None,
            c.get_decision_display(),
            c.status,
            "；".join(reason_message(r) for r in c.reasons),
        ]
        for c in checkins
    )
    return build_workbook(title=title, headers=headers, rows=rows, sheet_name=_("Entries"))


def filename(label: str) -> str:
    return f"{label}-{timezone.localdate():%Y%m%d}.xlsx"
