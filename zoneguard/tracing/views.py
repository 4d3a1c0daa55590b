from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import ApplicationError, Forbidden
from zoneguard.core.exports import table_response
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, carried, perform_with_form
from zoneguard.health.selectors import current_declaration, status_in_effect, status_in_force
from zoneguard.registry.models import Person, Site

from . import access, exports, selectors, services
from .forms import EndStatusForm, MarkForm, ReleaseForm, TraceForm

# Contacts of each degree a trace's page lists, the closest first: a case seen at a market has
# thousands, all in the Excel export.
SHOWN_PER_DEGREE = 200


def _shown(found: Sequence[selectors.Contact]) -> list[selectors.Contact]:
    """The contacts the page shows: the closest of each degree (the export holds them all)."""
    return [c for degree in (1, 2) for c in [c for c in found if c.degree == degree][:SHOWN_PER_DEGREE]]


@dataclass
class Row:
    """A contact as the page lists it."""

    contact: selectors.Contact
    sites: list[str]
    via: str
    bars: list[dict[str, Any]]


def _bars(contact: selectors.Contact, sites: dict[int, str], since: datetime, until: datetime) -> list[dict[str, Any]]:
    """The times shared with the case, placed on a 1,000-wide line from `since` to `until`."""
    span = (until - since).total_seconds()
    bars = []
    for visit in contact.visits:
        x = (visit.start - since).total_seconds() / span * 1000
        width = max((visit.end - visit.start).total_seconds() / span * 1000, 2)
        start, end = timezone.localtime(visit.start), timezone.localtime(visit.end)
        label = f"{sites.get(visit.site_id, '')} {start:%m-%d %H:%M}–{end:%H:%M}"
        bars.append({"x": f"{max(x, 0):.1f}", "width": f"{width:.1f}", "label": label})
    return bars


def _day_ticks(since: datetime, until: datetime) -> list[str]:
    """Where each zone midnight between `since` and `until` falls on the timeline's 1,000-wide line:
    a bar is read against the days."""
    span = (until - since).total_seconds()
    day = timezone.localtime(since).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    ticks = []
    while day < until:
        ticks.append(f"{(day - since).total_seconds() / span * 1000:.1f}")
        day = timezone.localtime(day + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return ticks


def _tracer(request: AuthedRequest) -> None:
    if not access.can_trace(request.user):
        raise Forbidden()


@login_required
def trace(request: AuthedRequest) -> HttpResponseBase:
    """Find a case, trace them, mark close contacts, export the list."""
    _tracer(request)
    settings = services.tracing_settings()
    data = request.GET.copy()
    data.setdefault("days", "14")
    data.setdefault("min_overlap_minutes", str(settings.min_overlap_minutes))
    data.setdefault("depth", "2")
    form = TraceForm(data)
    context: dict[str, object] = {"form": form}
    if not form.is_valid():
        return render(request, "tracing/trace.html", context)
    values = form.cleaned_data
    if values["person"] is None:
        context["matches"] = selectors.case_search(actor=request.user, text=values["q"])
        context["searched"] = bool(values["q"].strip())
        if not context["searched"]:
            context["fevers"] = selectors.recent_fevers(actor=request.user)
            context["fever_days"] = selectors.RECENT_FEVER_DAYS
        return render(request, "tracing/trace.html", context)
    exporting = request.GET.get("export") == "xlsx"
    try:
        case, found = services.trace(
            actor=request.user,
            person_id=values["person"],
            days=values["days"],
            min_overlap_minutes=values["min_overlap_minutes"],
            depth=values["depth"],
            with_visits=0 if exporting else SHOWN_PER_DEGREE,  # the timeline of the contacts shown
            shown=None if exporting else _shown,  # the export holds every contact in full
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return render(request, "tracing/trace.html", context)
    if exporting:
        selectors.with_names(found)
        people = {p.pk: p for p in Person.objects.filter(pk__in={c.person_id for c in found if c.person_id})}
        full = selectors.readable_in_full(actor=request.user, person_ids=set(people))
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            obj=case,
            object_repr=_("contacts of a traced case"),
            detail={"contacts": len(found), "unmasked": len(full), "days": values["days"]},
        )
        return table_response(exports.contacts_table(case, found, people=people, full=full, days=values["days"]))
    shown = _shown(found)
    selectors.with_names(shown)
    people = {p.pk: p for p in Person.objects.filter(pk__in={c.via_person_id for c in shown if c.via_person_id})}
    sites = {s.pk: str(s) for s in Site.objects.filter(pk__in={pk for c in shown for pk in c.site_ids})}
    marked = set(selectors.close_contact_list(actor=request.user).values_list("person_id", flat=True))
    until = timezone.now()
    since = until - timedelta(days=values["days"])
    rows = [
        Row(
            contact=c,
            sites=[sites.get(pk, "") for pk in c.site_ids],
            via=people[c.via_person_id].name if c.via_person_id in people else "",
            bars=_bars(c, sites, since, until),
        )
        for c in shown
    ]
    context.update(
        case=case,
        degrees=[
            (degree, [r for r in rows if r.contact.degree == degree], sum(1 for c in found if c.degree == degree))
            for degree in range(1, values["depth"] + 1)
        ],
        second_degree_from=selectors.SECOND_DEGREE_FROM,
        timeline_since=since,
        timeline_until=until,
        timeline_ticks=_day_ticks(since, until),
        marked=marked,
        case_marked=case.pk in marked,
        mark_form=carried(
            request, MarkForm, (reverse("tracing:mark"), reverse("tracing:handover")), initial={"case": case.pk}
        ),
        export_query=f"{request.GET.urlencode()}&export=xlsx",
        handover=services.isolation_available(),
        **_case_status(request, case),
    )
    return render(request, "tracing/trace.html", context)


def _case_status(request: AuthedRequest, case: Person) -> dict[str, object]:
    """The case's health status in force, and for the zone's epidemic control the form that ends a
    red or yellow one early."""
    declaration = current_declaration(person_id=case.pk)
    now = timezone.now()
    held = status_in_force(declaration, now=now)
    context: dict[str, object] = {
        "case_declaration": declaration,
        "case_status_valid": status_in_effect(declaration, now=now),
        "case_status_past_validity": declaration is not None and declaration.valid_until <= now,
    }
    if held and access.traces_whole_zone(request.user):
        context["end_status_form"] = carried(
            request, EndStatusForm, reverse("tracing:end_status"), initial={"case": case.pk}
        )
    return context


@login_required
@require_POST
def mark(request: AuthedRequest) -> HttpResponse:
    form = MarkForm(request.POST)
    perform_with_form(
        request,
        form,
        lambda data: services.close_contacts_mark(
            actor=request.user, case_id=data["case"], person_ids=data["people"], note=data["note"]
        ),
        success=lambda marked: (
            ngettext(
                "%(n)s person marked as a close contact: every gate refuses them until released.",
                "%(n)s people marked as close contacts: every gate refuses them until released.",
                len(marked),
            )
            % {"n": len(marked)}
        ),
    )
    return _back_to_trace(request)


def _back_to_trace(request: AuthedRequest) -> HttpResponse:
    """To the trace the form was posted from (its case, days and depth), not a blank search."""
    back = request.POST.get("next", "")
    return redirect(back if back.startswith(reverse("tracing:trace")) else reverse("tracing:trace"))


@login_required
def close_contacts(request: AuthedRequest) -> HttpResponse:
    active = request.GET.get("state") != "released"
    restrictions = selectors.close_contact_list(actor=request.user, active=active).select_related(
        "source_person", "created_by", "released_by"
    )
    return render(
        request,
        "tracing/close_contacts.html",
        {"page": paginate(request, restrictions), "active": active, "release_form": ReleaseForm()},
    )


@login_required
@require_POST
def release(request: AuthedRequest, pk: int) -> HttpResponse:
    perform_with_form(
        request,
        ReleaseForm(request.POST),
        lambda data: services.close_contact_release(actor=request.user, restriction_id=pk, note=data["note"]),
        success=_("Released: the gates admit the person again by their health status."),
    )
    return redirect("tracing:close_contacts")


@login_required
@require_POST
def end_status(request: AuthedRequest) -> HttpResponse:
    perform_with_form(
        request,
        EndStatusForm(request.POST),
        lambda data: services.health_status_end_early(actor=request.user, person_id=data["case"], note=data["note"]),
        success=_("The status is ended: the gates ask the person to declare again."),
    )
    return _back_to_trace(request)


@login_required
@require_POST
def handover(request: AuthedRequest) -> HttpResponse:
    form = MarkForm(request.POST)
    perform_with_form(
        request,
        form,
        lambda data: services.isolation_handover(actor=request.user, case_id=data["case"], person_ids=data["people"]),
        success=_("Handed over to home isolation."),
    )
    return _back_to_trace(request)
