"""What the tax pages share: access checks, the day picked, file downloads, and the home page."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zoneguard.core.errors import ApplicationError
from zoneguard.core.web import AuthedRequest, submit_form

from .. import access, selectors
from ..forms import (
    DayForm,
)
from ..models import AppointmentStatus, DeferralStatus, PolicyStatus


def _require_user(request: AuthedRequest) -> None:
    if not access.uses_tax_services(request.user):
        raise Http404


def _require_administrator(request: AuthedRequest) -> None:
    if not access.can_administer(request.user):
        raise Http404


def _day(request: AuthedRequest) -> tuple[DayForm, date]:
    """The day of `?date=`, else today; a date the form refuses is shown on it."""
    form = DayForm(request.GET if request.GET.get("date") else None, initial={"date": timezone.localdate()})
    day = form.cleaned_data["date"] if form.is_valid() else None
    return form, day or timezone.localdate()


def _file_response(file: Any, name: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


def _submit_once(
    request: AuthedRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    taken: str,
) -> tuple[bool, bool]:
    """`submit_form` for a decision made once (a deferral's, an answer). When another post made it
    first (the service's refusal with code `taken`), that refusal becomes the error message rather
    than an error on a form for a decision no longer open. Returns (done, taken meanwhile); either
    way the caller redirects."""
    meanwhile: list[ApplicationError] = []

    def run(data: dict[str, Any]) -> Any:
        try:
            return action(data)
        except ApplicationError as error:
            if error.code == taken:
                meanwhile.append(error)
            raise

    done, _result = submit_form(request, form, run, success=success)
    if meanwhile:
        messages.error(request, meanwhile[0].message)
    return done, bool(meanwhile)


# --- Home -----------------------------------------------------------------------------------------


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    actor = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {
        "is_officer": access.can_administer(actor),
        "is_enterprise": access.is_enterprise_user(actor),
        "today": today,
    }
    if context["is_enterprise"]:
        taxpayers = list(selectors.taxpayer_choices(actor=actor))
        context["taxpayers"] = [
            {"organisation": o, "policies": selectors.eligible_policies(actor=actor, organisation=o)} for o in taxpayers
        ]
    else:
        context["unanswered"] = selectors.question_list(actor=actor, answered=False).count()
        context["submitted"] = selectors.deferral_list(actor=actor, status=DeferralStatus.SUBMITTED).count()
        context["today_bookings"] = (
            selectors.appointment_list(actor=actor, day=today).exclude(status=AppointmentStatus.CANCELLED).count()
        )
        context["published"] = selectors.policy_list(actor=actor, status=PolicyStatus.PUBLISHED).count()
        context["summary"] = selectors.deferral_summary(actor=actor)
    context["appointments"] = selectors.appointment_list(actor=actor, upcoming=True, status=AppointmentStatus.BOOKED)[
        :5
    ]
    context["deferrals"] = selectors.deferral_list(actor=actor)[:5]
    return render(request, "tax/home.html", context)
