"""The audit log's export: every event the filters select, written in the background when large."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zoneguard.core.excel import stream
from zoneguard.core.exports import Table

from . import selectors
from .models import AuditEvent

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

# The filter form's fields, as the page's query and a background job's params name them.
FILTERS = ("q", "action", "object_type", "actor", "date_from", "date_to")


def event_filters(params: Mapping[str, str]) -> dict[str, Any]:
    """selectors.audit_event_list's filters from their text form (dates as ISO text)."""
    return {
        "search": params.get("q") or "",
        "action": params.get("action") or "",
        "object_type": params.get("object_type") or "",
        "actor_name": params.get("actor") or "",
        "date_from": parse_date(params.get("date_from") or ""),
        "date_to": parse_date(params.get("date_to") or ""),
    }


def events_table(events: Iterable[AuditEvent]) -> Table:
    rows = (
        [
            e.at,
            e.actor_name,
            e.get_action_display(),
            e.object_label,
            e.object_id,
            e.object_repr,
            e.ip_address or "",
            e.detail_text,
            # What was stored, for whoever checks the log by program.
            json.dumps(e.detail, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder) if e.detail else "",
        ]
        for e in stream(events)
    )
    return Table(
        title=_("Audit log (%(date)s)") % {"date": timezone.localdate()},
        headers=[
            _("Time"),
            _("User"),
            pgettext("audit log", "Action"),
            _("Object type"),
            _("Object ID"),
            _("Object"),
            _("IP address"),
            _("Detail"),
            _("Detail (JSON)"),
        ],
        rows=rows,
        sheet_name=_("Audit log"),
        filename=f"audit-{timezone.localdate():%Y%m%d}",
    )


def audit_events_table(actor: User, params: dict[str, Any]) -> Table:
    """The background export of the audit log ("audit.events"): the commander's only, checked again
    when the job runs (audit_event_list refuses anyone else)."""
    return events_table(selectors.audit_event_list(actor=actor, **event_filters(params)))
