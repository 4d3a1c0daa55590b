from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zoneguard.core.excel import build_workbook, workbook_response
from zoneguard.core.pagination import paginate
from zoneguard.core.roles import is_commander
from zoneguard.core.web import AuthedRequest

from . import selectors
from .forms import AuditFilterForm
from .models import AuditAction
from .services import audit_record

EXPORT_LIMIT = 100_000


@login_required
def event_list(request: AuthedRequest) -> HttpResponseBase:
    if not is_commander(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None, object_types=selectors.audit_object_types())
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"],
            "action": data["action"],
            "object_type": data["object_type"],
            "actor_name": data["actor"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    events = selectors.audit_event_list(actor=request.user, **filters)
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="audit.auditevent",
            detail={"filters": {k: str(v) for k, v in filters.items() if v}},
        )
        rows = (
            [
                e.at,
                e.actor_name,
                e.get_action_display(),
                e.object_type,
                e.object_id,
                e.object_repr,
                e.ip_address or "",
                str(e.detail) if e.detail else "",
            ]
            for e in events[:EXPORT_LIMIT]
        )
        workbook = build_workbook(
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
            ],
            rows=rows,
            sheet_name=_("Audit log"),
        )
        return workbook_response(workbook, f"audit-{timezone.localdate():%Y%m%d}.xlsx")
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": paginate(request, events, per_page=50),
        },
    )
