from __future__ import annotations

from datetime import date
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import render

from zoneguard.core.exports import export_format, export_response
from zoneguard.core.pagination import paginate
from zoneguard.core.roles import is_commander
from zoneguard.core.web import AuthedRequest

from . import exports, selectors
from .forms import AuditFilterForm
from .models import AuditAction
from .services import audit_record


@login_required
def event_list(request: AuthedRequest) -> HttpResponseBase:
    """The audit log, and its export of every event the filters select (queued when large)."""
    if not is_commander(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None, object_types=selectors.audit_object_types())
    params = dict.fromkeys(exports.FILTERS, "")
    if form.is_valid():
        for name in exports.FILTERS:
            value = form.cleaned_data[name]
            params[name] = value.isoformat() if isinstance(value, date) else value or ""
    events = selectors.audit_event_list(actor=request.user, **exports.event_filters(params))
    fmt = export_format(request)
    if fmt:
        return export_response(
            request,
            exports.events_table(events),
            kind="audit.events",
            params=params,
            fmt=fmt,
            rows=events.count(),
            masked=False,
            audit=partial(audit_record, actor=request.user, action=AuditAction.EXPORT, object_type="audit.auditevent"),
        )
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": paginate(request, events, per_page=50), "retention": selectors.retention()},
    )
