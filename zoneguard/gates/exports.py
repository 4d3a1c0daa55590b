from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zoneguard.core.excel import stream
from zoneguard.core.exports import Table
from zoneguard.core.masking import mask_name
from zoneguard.registry.selectors import sites_matching

from . import selectors
from .decisions import reason_message
from .models import CheckIn

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def checkins_table(checkins: Iterable[CheckIn], *, title: str) -> Table:
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
        for c in stream(checkins)
    )
    return Table(
        title=title, headers=headers, rows=rows, sheet_name=_("Entries"), filename=filename(_("entry log"), "")
    )


def log_title(day: date | None) -> str:
    return _("Entry log (%(day)s)") % {"day": day or _("all days")}


def log_filters(*, actor: User, params: Mapping[str, str]) -> dict[str, Any]:
    """The entry log's filters from their text form (the page's query, a background job's params)."""
    day = parse_date(params.get("day") or "") if params.get("day") else None
    filters: dict[str, Any] = {
        "day": day,
        "direction": params.get("direction") or "",
        "decision": params.get("decision") or "",
    }
    if params.get("site"):
        filters["site_ids"] = sites_matching(actor=actor, text=params["site"])
    return filters


def entry_log_table(actor: User, params: dict[str, Any]) -> Table:
    """The background export of the entry log ("gates.entry_log"), with the page's filters."""
    filters = log_filters(actor=actor, params=params)
    return checkins_table(selectors.checkin_list(actor=actor, **filters), title=log_title(filters["day"]))


def filename(label: str, extension: str = ".xlsx") -> str:
    return f"{label}-{timezone.localdate():%Y%m%d}{extension}"
