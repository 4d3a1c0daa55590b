"""Tax pages: hall appointments and the hall's opening hours, closures and windows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, carried, perform, perform_with_form, submit_form

from .. import access, selectors, services
from ..forms import (
    AppointmentFilterForm,
    BookingForm,
    CancelForm,
    ClosureForm,
    GenerateSlotsForm,
    OpeningHoursForm,
    RescheduleForm,
    WindowForm,
)
from ..models import AppointmentStatus
from .common import _day, _require_administrator, _require_user

# --- Appointments ---------------------------------------------------------------------------------


@login_required
def appointment_list(request: AuthedRequest) -> HttpResponse:
    """The enterprise's bookings; for the tax officer, the hall's day with arrivals to tick off."""
    _require_user(request)
    if access.can_administer(request.user):
        return _day_view(request)
    form = AppointmentFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {"day": form.cleaned_data["date"], "status": form.cleaned_data["status"]}
    appointments = selectors.appointment_list(actor=request.user, **filters).order_by("-slot__starts_at", "-id")
    return render(
        request,
        "tax/appointment_list.html",
        {
            "form": form,
            "page": paginate(request, appointments),
            # The commander reads the bookings but books for no taxpayer.
            "can_book": selectors.taxpayer_choices(actor=request.user).exists(),
        },
    )


def _day_view(request: AuthedRequest) -> HttpResponse:
    form, day = _day(request)
    hall = selectors.hall_access(actor=request.user, pk=None)
    slots = selectors.day_view(actor=request.user, hall=hall, day=day)
    bookings = [a for s in slots for a in getattr(s, "bookings", [])]
    return render(
        request,
        "tax/day_view.html",
        {
            "hall": hall,
            "day": day,
            "slots": slots,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "is_today": day == timezone.localdate(),
            "now": timezone.now(),
            "booked": len(bookings),
            "arrived": sum(1 for a in bookings if a.status == AppointmentStatus.ARRIVED),
            "form": form,
        },
    )


@login_required
def appointment_book(request: AuthedRequest) -> HttpResponse:
    _require_user(request)
    organisations = selectors.taxpayer_choices(actor=request.user)
    if not organisations.exists():
        raise Http404
    days = selectors.days_with_slots(actor=request.user)
    _form, day = _day(request)
    if day not in days and days and not request.GET.get("date"):
        day = days[0]
    slots = selectors.slot_list(actor=request.user, day=day, bookable_only=True)
    form = BookingForm(
        request.POST or None, organisations=organisations, slots=slots, own_id=request.user.organisation_id
    )
    done, appointment = submit_form(
        request,
        form,
        lambda data: services.appointment_book(actor=request.user, **data),
        success=lambda booked: _("Booked. Your booking code is %(code)s.") % {"code": booked.code},
    )
    if done:
        return redirect("tax:appointment", pk=appointment.pk)
    return render(
        request,
        "tax/appointment_book.html",
        {"form": form, "day": day, "days": days, "slots": slots, "is_officer": access.can_administer(request.user)},
        status=422 if form.errors else 200,
    )


@login_required
def appointment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    can_change = appointment.status == AppointmentStatus.BOOKED and access.can_act_for(
        request.user, appointment.organisation
    )
    by_the_bureau = can_change and not access.is_enterprise_user(request.user)
    return render(
        request,
        "tax/appointment_detail.html",
        {
            "appointment": appointment,
            "can_change": can_change,
            "cancel_form": carried(request, CancelForm, reverse("tax:appointment-cancel", args=[appointment.pk]))
            if by_the_bureau
            else None,
            "is_officer": access.can_administer(request.user),
        },
    )


def _changed(request: AuthedRequest, *, own: str, told: str) -> str:
    """The message after a change: the tax bureau's changes are told to the taxpayer (services.hall)."""
    return own if access.is_enterprise_user(request.user) else told


@login_required
@require_POST
def appointment_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        CancelForm(request.POST),
        lambda data: services.appointment_cancel(actor=request.user, appointment=appointment, reason=data["reason"]),
        success=_changed(
            request,
            own=_("The booking was cancelled."),
            told=_("The booking was cancelled and the taxpayer's administrators were notified."),
        ),
    )
    return redirect("tax:appointment", pk=appointment.pk)


@login_required
def appointment_reschedule(request: AuthedRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    days = selectors.days_with_slots(actor=request.user)
    _form, day = _day(request)
    if day not in days and days and not request.GET.get("date"):
        day = days[0]
    slots = selectors.slot_list(actor=request.user, day=day, bookable_only=True).exclude(pk=appointment.slot_id)
    form = RescheduleForm(request.POST or None, slots=slots, by_the_bureau=not access.is_enterprise_user(request.user))
    done, _result = submit_form(
        request,
        form,
        lambda data: services.appointment_reschedule(
            actor=request.user, appointment=appointment, slot=data["slot"], reason=data.get("reason", "")
        ),
        success=_changed(
            request,
            own=_("The booking was moved."),
            told=_("The booking was moved and the taxpayer's administrators were notified."),
        ),
    )
    if done:
        return redirect("tax:appointment", pk=appointment.pk)
    return render(
        request,
        "tax/appointment_reschedule.html",
        {"form": form, "appointment": appointment, "day": day, "days": days, "slots": slots},
    )


def _officer_mark(request: AuthedRequest, pk: int, action: Any, done: str) -> HttpResponse:
    _require_administrator(request)
    appointment = selectors.appointment_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: action(actor=request.user, appointment=appointment),
        success=done % {"code": appointment.code, "name": appointment.organisation.name},
    )
    return redirect(f"/tax/appointments/?date={appointment.day.isoformat()}")


@login_required
@require_POST
def appointment_arrived(request: AuthedRequest, pk: int) -> HttpResponse:
    return _officer_mark(request, pk, services.appointment_mark_arrived, _("%(name)s (%(code)s) has arrived."))


@login_required
@require_POST
def appointment_no_show(request: AuthedRequest, pk: int) -> HttpResponse:
    return _officer_mark(request, pk, services.appointment_mark_no_show, _("%(name)s (%(code)s) did not come."))


# --- The hall -------------------------------------------------------------------------------------


@login_required
def hall(request: AuthedRequest) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    today = timezone.localdate()
    return render(request, "tax/hall.html", _hall_context(the_hall, today))


def _hall_context(the_hall: Any, today: date, **forms: Any) -> dict[str, Any]:
    return {
        "hall": the_hall,
        "windows": the_hall.windows.all(),
        "hours": selectors.opening_hours(hall=the_hall),
        "closures": selectors.closures(hall=the_hall),
        "hours_form": forms.get("hours_form") or OpeningHoursForm(),
        "closure_form": forms.get("closure_form") or ClosureForm(),
        "generate_form": forms.get("generate_form")
        or GenerateSlotsForm(initial={"date_from": today, "date_to": today + timedelta(days=13), "minutes": 30}),
    }


def _hall_post(request: AuthedRequest, form: Any, key: str, run: Any, done: Any) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    ran, _result = submit_form(request, form, lambda data: run(the_hall, data), success=done)
    if ran:
        return redirect("tax:hall")
    return render(request, "tax/hall.html", _hall_context(the_hall, timezone.localdate(), **{key: form}), status=422)


@login_required
@require_POST
def hall_hours_add(request: AuthedRequest) -> HttpResponse:
    return _hall_post(
        request,
        OpeningHoursForm(request.POST),
        "hours_form",
        lambda h, d: services.opening_hours_add(actor=request.user, hall=h, **d),
        lambda _r: _("The opening hours were added."),
    )


@login_required
@require_POST
def hall_hours_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    hours = selectors.opening_hours(hall=the_hall).filter(pk=pk).first()
    if hours is None:
        raise Http404
    perform(
        request,
        lambda: services.opening_hours_remove(actor=request.user, hours=hours),
        success=_("The opening hours were removed."),
    )
    return redirect("tax:hall")


@login_required
@require_POST
def hall_close_day(request: AuthedRequest) -> HttpResponse:
    return _hall_post(
        request,
        ClosureForm(request.POST),
        "closure_form",
        lambda h, d: services.hall_close_day(actor=request.user, hall=h, day=d["date"], reason=d["reason"]),
        lambda r: (
            _("The hall is closed that day; %(n)s bookings were cancelled and their taxpayers told.") % {"n": r[1]}
        ),
    )


@login_required
@require_POST
def hall_reopen_day(request: AuthedRequest, pk: int) -> HttpResponse:
    closure = selectors.closure_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: services.hall_reopen_day(actor=request.user, closure=closure),
        success=_("The hall is open that day again."),
    )
    return redirect("tax:hall")


@login_required
@require_POST
def hall_generate(request: AuthedRequest) -> HttpResponse:
    return _hall_post(
        request,
        GenerateSlotsForm(request.POST),
        "generate_form",
        lambda h, d: services.slots_generate(actor=request.user, hall=h, **d),
        lambda n: _("%(n)s slots were created.") % {"n": n},
    )


@login_required
def window_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    _require_administrator(request)
    the_hall = selectors.hall_access(actor=request.user, pk=None)
    window = the_hall.windows.filter(pk=pk).first() if pk else None
    if pk and window is None:
        raise Http404
    form = WindowForm(request.POST or None, instance=window)
    done, _result = submit_form(
        request,
        form,
        lambda data: services.window_save(actor=request.user, hall=the_hall, window=window, data=data),
        success=_("The window was saved."),
    )
    if done:
        return redirect("tax:hall")
    title = _("Edit window %(name)s") % {"name": window.name} if window else _("New window")
    return render(request, "tax/form.html", {"form": form, "title": title, "back": "tax:hall"})
