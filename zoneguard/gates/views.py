from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.charts import chart_response
from zoneguard.core.context import is_loopback, site_url
from zoneguard.core.errors import ApplicationError
from zoneguard.core.exports import export_format, export_response
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, add_error_to_form, perform, perform_with_form, submit_form
from zoneguard.registry import scoping
from zoneguard.registry.models import Person
from zoneguard.registry.selectors import person_access, site_access, site_list

from . import charts, exports, face, poster, selectors, services
from .decisions import reason_message
from .forms import AlertCloseForm, AlertFilterForm, AlertRetestForm, FaceEnrolForm, LogFilterForm, SiteGateForm
from .models import SiteGate


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    """Today's counts per site: entries, exits, refusals, fevers, people on site now. A page of
    sites at a time, those with fevers and refusals first; the totals are of every site."""
    services.refresh_day_counts()  # the minute's job does it too; a page need not wait for it
    day = timezone.localdate()
    page = paginate(request, selectors.site_counts_attention_first(actor=request.user, day=day))
    counts, totals = selectors.site_overview(actor=request.user, sites=list(page), day=day)
    return render(
        request,
        "gates/today.html",
        {
            "page": page,
            "counts": counts,
            "today": day,
            "open_alerts": selectors.open_alert_count(actor=request.user),
            "totals": totals,
        },
    )


@login_required
def today_chart(request: AuthedRequest) -> HttpResponse:
    return chart_response(charts.entries_by_hour(actor=request.user))


@login_required
def gate(request: AuthedRequest) -> HttpResponse:
    """The officer's gate page (tablet or phone): it posts to the same API as gate devices."""
    sites = list(selectors.checkin_site_list(actor=request.user))
    if not sites:
        raise Http404
    labels = {
        "allow": _("ALLOW"),
        "deny": _("DENY"),
        "offline": _("No connection: try again."),
        "status": _("Health status: %(status)s"),
        "statuses": {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")},
    }
    return render(request, "gates/gate.html", {"sites": sites, "labels": labels})


def _checkin_rows(checkins: Any) -> list[dict[str, Any]]:
    return [{"c": c, "reasons": [reason_message(r) for r in c.reasons]} for c in checkins]


@login_required
def log(request: AuthedRequest) -> HttpResponseBase:
    """The entry log, a day at a time (today unless the query names another day, or none: all
    days). The export link carries the filters of what is on screen, the day included."""
    params = {key: request.GET.get(key, "") for key in ("site", "day", "direction", "decision")}
    if "day" not in request.GET:
        params["day"] = timezone.localdate().isoformat()
    form = LogFilterForm(params)
    if not form.is_valid():
        params = {"site": "", "day": timezone.localdate().isoformat(), "direction": "", "decision": ""}
    filters = exports.log_filters(actor=request.user, params=params)
    checkins = selectors.checkin_list(actor=request.user, **filters)
    fmt = export_format(request)
    if fmt:
        return export_response(
            request,
            exports.checkins_table(checkins, title=exports.log_title(filters["day"])),
            kind="gates.entry_log",
            params=params,
            fmt=fmt,
            rows=checkins.count(),
            masked=True,
            audit=partial(audit_record, actor=request.user, action=AuditAction.EXPORT, object_type="gates.checkin"),
        )
    page = paginate(request, checkins, per_page=50)
    return render(
        request,
        "gates/log.html",
        {
            "form": form,
            "page": page,
            "rows": _checkin_rows(page),
            "export_xlsx": urlencode({**params, "export": "xlsx"}),
            "export_csv": urlencode({**params, "export": "csv"}),
        },
    )


@login_required
def person_log(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_access(actor=request.user, pk=pk)
    page = paginate(request, selectors.checkin_list(actor=request.user, person_id=person.pk), per_page=50)
    return render(
        request,
        "gates/person_log.html",
        {
            "person": person,
            "page": page,
            "rows": _checkin_rows(page),
            "can_manage_faces": services.can_manage_faces(request.user, person),
            "faces": selectors.face_photos(actor=request.user).filter(person=person),
            "face_available": face.available(),
        },
    )


@login_required
def onsite(request: AuthedRequest) -> HttpResponse:
    entries = selectors.onsite_now(actor=request.user)
    sites = {s.pk: s for s in site_list(actor=request.user)}
    people = {p.pk: p for p in Person.objects.filter(pk__in={e.person_id for e in entries})}
    rows = [{"site": sites.get(e.site_id), "person": people.get(e.person_id), "since": e.since} for e in entries]
    return render(request, "gates/onsite.html", {"rows": rows})


@login_required
def alerts(request: AuthedRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    qs = selectors.alert_list(actor=request.user, status=status)
    return render(
        request,
        "gates/alerts.html",
        {"form": form, "page": paginate(request, qs)},
    )


@login_required
def alert_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _alert_page(request, selectors.alert_access(actor=request.user, pk=pk))


def _alert_page(
    request: AuthedRequest, alert: Any, retest_form: AlertRetestForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "gates/alert_detail.html",
        {
            "alert": alert,
            "form": AlertCloseForm(),
            "retest_form": retest_form or AlertRetestForm(),
            "can_handle": services.can_handle_alert(request.user, alert),
            "reasons": [reason_message(r) for r in alert.checkin.reasons],
        },
        status=status,
    )


@login_required
@require_POST
def alert_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.alert_acknowledge(actor=request.user, alert=alert),
        success=_("You have taken charge of the alert."),
    )
    return redirect("gates:alert", pk=alert.pk)


@login_required
@require_POST
def alert_retest(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_access(actor=request.user, pk=pk)
    form = AlertRetestForm(request.POST)
    done, _retest = submit_form(
        request,
        form,
        lambda data: services.alert_retest(actor=request.user, alert=alert, **data),
        success=_("The re-test was recorded."),
    )
    if not done:
        return _alert_page(request, alert, retest_form=form, status=422)
    return redirect("gates:alert", pk=alert.pk)


@login_required
@require_POST
def alert_close(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        AlertCloseForm(request.POST),
        lambda data: services.alert_close(actor=request.user, alert=alert, note=data["note"]),
        success=_("The alert was closed."),
    )
    return redirect("gates:alert", pk=alert.pk)


@login_required
def site_gate(request: AuthedRequest, pk: int) -> HttpResponse:
    """A site's QR poster, its gate settings and (for those managing it) the face checks."""
    site = site_access(actor=request.user, pk=pk)
    can_manage = scoping.can_manage_organisation(request.user, site.organisation)
    gate_settings = SiteGate.objects.filter(site=site).first() or SiteGate(site=site)
    form = SiteGateForm(
        request.POST or None,
        initial={
            "face_check": gate_settings.face_check,
            "require_declaration": gate_settings.require_declaration,
            "admit_yellow": gate_settings.admit_yellow,
        },
    )
    if not face.available():
        form.fields["face_check"].disabled = True
        form.fields["face_check"].help_text = _("No face matcher is installed on this server.")
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.site_gate_update(actor=request.user, site=site, **form.cleaned_data)
            except ApplicationError as error:
                add_error_to_form(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("gates:site", pk=site.pk)
    return render(
        request,
        "gates/site.html",
        {
            "site": site,
            "form": form,
            "can_manage": can_manage,
            "declaration_url": poster.declaration_url(site),
            "loopback_address": is_loopback(site_url(request)),
            "faces": selectors.face_photos(actor=request.user, organisation_id=site.organisation_id)[:200],
        },
    )


@login_required
def poster_png(request: AuthedRequest, pk: int) -> HttpResponse:
    site = site_access(actor=request.user, pk=pk)
    response = HttpResponse(poster.poster_png(site), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="site-{site.pk}-qr.png"'
    return response


@login_required
def poster_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    site = site_access(actor=request.user, pk=pk)
    response = HttpResponse(poster.poster_pdf(site), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="site-{site.pk}-qr.pdf"'
    return response


@login_required
def face_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_access(actor=request.user, pk=pk)
    if not services.can_manage_faces(request.user, person):
        raise Http404
    form = FaceEnrolForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation_id = request.user.organisation_id or _first_organisation_id(request.user, person)
        try:
            services.face_enrol(
                actor=request.user,
                person=person,
                organisation_id=organisation_id,
                image=form.cleaned_data["photo"].read(),
            )
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The face photo was enrolled."))
            return redirect("gates:person", pk=person.pk)
    return render(request, "gates/face_enrol.html", {"form": form, "person": person, "available": face.available()})


def _first_organisation_id(actor: User, person: Person) -> int:
    membership = person.memberships.filter(is_active=True).order_by("id").first()
    if membership is None:
        raise Http404
    return membership.organisation_id


@login_required
def face_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    photo = selectors.face_photo_access(actor=request.user, pk=pk)
    data = selectors.face_photo_read(actor=request.user, photo=photo)
    response = HttpResponse(data, content_type=photo.content_type)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def face_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    photo = selectors.face_photo_access(actor=request.user, pk=pk)
    person_pk = photo.person_id
    perform(
        request, lambda: services.face_delete(actor=request.user, photo=photo), success=_("The face photo was deleted.")
    )
    return redirect("gates:person", pk=person_pk)
