from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zoneguard.core.errors import ApplicationError, Forbidden, NotFound
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, carried, object_action, perform, perform_with_form
from zoneguard.isolation.resident import resident_case
from zoneguard.isolation.selectors import case_access
from zoneguard.volunteers.selectors import community_volunteers

from . import access, lifecycle, selectors, services
from .forms import AssignForm, CancelForm, DeliverForm, ErrandForm
from .models import Errand, ErrandStatus


def _back(request: AuthedRequest, errand: Errand) -> HttpResponse:
    """Volunteers act from "My tasks" and go back there; the others to the errand."""
    if access.approved_volunteer(request.user) is not None and not access.may_handle(request.user, errand):
        return redirect("volunteers:my")
    return redirect("errands:errand", pk=errand.pk)


@login_required
def errand_list(request: AuthedRequest) -> HttpResponse:
    if not access.follows(request.user):
        raise Forbidden()
    status = request.GET.get("status", "")
    status = status if status in ErrandStatus.values or status == selectors.UNPAID else ""
    case = request.GET.get("case", "")
    # A number no database key reaches (a link typed by hand) filters on nothing, not a server error.
    case_id = int(case) if case.isdigit() and len(case) < 10 else None
    errands = selectors.errand_list(actor=request.user, status=status, case_id=case_id)
    return render(
        request,
        "errands/errand_list.html",
        {
            "page": paginate(request, errands),
            "status": status,
            "statuses": [*ErrandStatus.choices, (selectors.UNPAID, _("Delivered, not yet paid back"))],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def errand_new(request: AuthedRequest, case_pk: int) -> HttpResponse:
    case = case_access(actor=request.user, pk=case_pk)
    form = ErrandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            errand = services.errand_request(
                actor=request.user, case=case, lines=form.lines(), note=form.cleaned_data["note"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Errand asked: the community's volunteers are told."))
            return redirect("errands:errand", pk=errand.pk)
    return render(request, "errands/errand_new.html", {"form": form, "case": case})


@login_required
def errand_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    errand = selectors.errand_access(actor=request.user, pk=pk)
    handles = access.may_handle(request.user, errand)
    volunteer = access.approved_volunteer(request.user)
    return render(
        request,
        "errands/errand_detail.html",
        {
            "errand": errand,
            "now": timezone.now(),
            "handles": handles,
            "sees_address": access.sees_address(request.user, errand),
            "is_mine": volunteer is not None and errand.volunteer_id == volunteer.pk,
            "actions": lifecycle.allowed_actions(errand.status),
            "assign_form": AssignForm(volunteers=community_volunteers(community_id=errand.community_id))
            if handles
            else None,
            "deliver_form": carried(request, DeliverForm, reverse("errands:deliver", args=[errand.pk])),
        },
    )


@login_required
def receipt(request: AuthedRequest, pk: int) -> FileResponse:
    errand = selectors.errand_access(actor=request.user, pk=pk)
    if not errand.receipt or not access.sees_address(request.user, errand):
        raise NotFound()
    return _receipt_response(errand)


def _receipt_response(errand: Errand) -> FileResponse:
    response = FileResponse(errand.receipt.open("rb"))
    response["Cache-Control"] = "no-store"
    return response


def _errand(request: AuthedRequest, pk: int) -> Errand:
    return selectors.errand_access(actor=request.user, pk=pk)


accept = object_action(
    load=_errand,
    action=lambda user, errand, _data: services.errand_accept(actor=user, errand=errand),
    success=gettext_lazy("It is yours: the address is on the errand."),
    back=_back,
)


@login_required
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    errand = selectors.errand_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        AssignForm(request.POST, volunteers=community_volunteers(community_id=errand.community_id)),
        lambda data: services.errand_assign(actor=request.user, errand=errand, volunteer=data["volunteer"]),
        success=_("Assigned: the volunteer is told."),
    )
    return _back(request, errand)


deliver = object_action(
    load=_errand,
    form=DeliverForm,
    action=lambda user, errand, data: services.errand_deliver(
        actor=user, errand=errand, amount=data["amount"], receipt=data["receipt"]
    ),
    success=gettext_lazy("Delivered: the resident is asked to confirm and pay it back."),
    back=_back,
)


confirm = object_action(
    load=_errand,
    action=lambda user, errand, _data: services.errand_confirm(actor=user, errand=errand),
    success=gettext_lazy("Received."),
    back=_back,
)


settle = object_action(
    load=_errand,
    action=lambda user, errand, _data: services.errand_settle(actor=user, errand=errand),
    success=gettext_lazy("Paid back."),
    back=_back,
)


cancel = object_action(
    load=_errand,
    form=CancelForm,
    action=lambda user, errand, data: services.errand_cancel(actor=user, errand=errand, reason=data["reason"]),
    success=gettext_lazy("Errand cancelled."),
    back=_back,
)


# --- The resident, through their personal link -------------------------------------------------


@require_http_methods(["GET", "POST"])
def resident(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's errands: ask for one, follow it, confirm it arrived."""
    case = resident_case(request, token)
    form = ErrandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.errand_request(actor=None, case=case, lines=form.lines(), note=form.cleaned_data["note"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Asked: a volunteer of your community will bring it."))
            return redirect("errands:resident", token=token)
    return render(
        request,
        "errands/resident.html",
        {"case": case, "form": form, "errands": selectors.resident_errands(case), "token": token},
    )


@require_POST
def resident_confirm(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    case = resident_case(request, token)
    errand = selectors.resident_errand(case, pk)
    perform(request, lambda: services.errand_confirm(actor=None, errand=errand), success=_("Thank you: received."))
    return redirect("errands:resident", token=token)


@require_POST
def resident_cancel(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    case = resident_case(request, token)
    errand = selectors.resident_errand(case, pk)
    perform(request, lambda: services.errand_cancel(actor=None, errand=errand), success=_("Errand cancelled."))
    return redirect("errands:resident", token=token)


def resident_receipt(request: HttpRequest, token: str, pk: int) -> FileResponse:
    errand = selectors.resident_errand(resident_case(request, token), pk)
    if not errand.receipt:
        raise NotFound()
    return _receipt_response(errand)
