from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.errors import ApplicationError
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, add_error_to_form, perform, perform_with_form
from zoneguard.registry.scoping import is_commander

from . import selectors, services
from .forms import CloseForm, EscalationForm, IncidentFilterForm, IncidentForm, NoteForm
from .models import IncidentStatus


@login_required
def incident_list(request: AuthedRequest) -> HttpResponse:
    form = IncidentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    incidents = selectors.incident_list(actor=request.user, **filters)
    return render(
        request,
        "incidents/incident_list.html",
        {
            "form": form,
            "page": paginate(request, incidents),
            "is_commander": is_commander(request.user),
        },
    )


@login_required
def incident_create(request: AuthedRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_report(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The incident was reported; the duty officers have been told."))
            return redirect("incidents:incident", pk=incident.pk)
    return render(request, "incidents/incident_form.html", {"form": form})


@login_required
def incident_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_access(actor=request.user, pk=pk)
    can_handle = services.can_handle(request.user, incident)
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "reporter": selectors.reporter_name(incident),
            "events": incident.events.all(),
            "can_acknowledge": can_handle and incident.status == IncidentStatus.OPEN,
            "can_close": can_handle and incident.status != IncidentStatus.CLOSED,
            "note_form": NoteForm() if incident.status != IncidentStatus.CLOSED else None,
            "close_form": CloseForm(),
        },
    )


@login_required
@require_POST
def incident_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.incident_acknowledge(actor=request.user, incident=incident),
        success=_("Acknowledged."),
    )
    return redirect("incidents:incident", pk=pk)


@login_required
@require_POST
def incident_note(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        NoteForm(request.POST),
        lambda data: services.incident_note(actor=request.user, incident=incident, note=data["note"]),
        invalid=_("Say what was done."),
    )
    return redirect("incidents:incident", pk=pk)


@login_required
@require_POST
def incident_close(request: AuthedRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        CloseForm(request.POST),
        lambda data: services.incident_close(actor=request.user, incident=incident, resolution=data["resolution"]),
        invalid=_("Say how it was resolved."),
        success=_("The incident was closed."),
    )
    return redirect("incidents:incident", pk=pk)


@login_required
def escalation(request: AuthedRequest) -> HttpResponse:
    """The commander sets, per severity, how long an incident may wait for acknowledgement."""
    if not is_commander(request.user):
        raise Http404
    current = {k: int(v.total_seconds() // 60) for k, v in services.escalation_delays().items()}
    form = EscalationForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_delays_set(actor=request.user, minutes=form.cleaned_data)
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The escalation delays were saved."))
            return redirect("incidents:list")
    return render(request, "incidents/escalation.html", {"form": form})
