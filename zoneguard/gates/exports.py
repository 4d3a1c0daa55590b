from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zoneguard.core.excel import stream
from zoneguard.core.exports import Table
from zoneguard.core.masking import mask_name
from zoneguard.health.models import HealthStatus
from zoneguard.registry.selectors import sites_matching

from . import selectors
from .decisions import reason_message
from .models import CheckIn, Decision, Direction

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


# What the export reads of each entry: one joined row, not a model instance and its prefetched site,
# organisation and person (a day of a district is over a hundred thousand entries).
EXPORTED = (
    "checked_at",
    "site__organisation__name",
    "site__name",
    "person__name",
    "masked_id_number",
    "direction",
    "temperature",
    "decision",
    "status",
    "reasons",
)


def checkins_table(checkins: QuerySet[CheckIn], *, title: str) -> Table:
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
    directions = {value: str(label) for value, label in Direction.choices}
    decisions = {value: str(label) for value, label in Decision.choices}
    statuses = {value: str(label) for value, label in HealthStatus.choices}
    rows = (
        [
            checked_at,
            organisation,
            site,
            mask_name(name) if name else "",
            masked_id_number,
            directions.get(direction, direction),
            float(temperature) if temperature is not None else None,
            decisions.get(decision, decision),
            statuses.get(status, status),
            # Each reason is a sentence with its own full stop: a "；" between them read "。；".
            " ".join(reason_message(r) for r in reasons),
        ]
        for (
            checked_at,
            organisation,
            site,
            name,
            masked_id_number,
            direction,
            temperature,
            decision,
            status,
            reasons,
        ) in stream(checkins.prefetch_related(None).values_list(*EXPORTED))
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
