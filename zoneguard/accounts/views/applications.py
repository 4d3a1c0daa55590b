"""Enterprise applications: the public page where a workplace applies, and the competent
department's list and decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zoneguard.core.errors import Forbidden
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, perform, perform_with_form, submit_form
from zoneguard.registry import scoping

from .. import selectors
from ..forms import ApplicationForm, RefuseForm
from ..models import ApplicationStatus
from ..services import applications, invitations


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Public: anyone may apply; the page says no more than that the application was received."""
    form = ApplicationForm(request.POST or None)
    done, _application = submit_form(
        request,
        form,
        lambda data: applications.application_submit(
            request=request, data=data, language=translation.get_language() or "zh-hans"
        ),
        success=_("Your application was received. The competent department will answer by e-mail."),
    )
    if done:
        return redirect("accounts:apply-done")
    return render(request, "accounts/apply.html", {"form": form})


def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/apply_done.html")


def _decider(request: AuthedRequest) -> None:
    if selectors.applications_q(request.user) == scoping.NOTHING:
        raise Forbidden()


@login_required
def application_list(request: AuthedRequest) -> HttpResponse:
    _decider(request)
    status = request.GET.get("status", ApplicationStatus.PENDING)
    status = status if status in ApplicationStatus.values else ""
    found = selectors.application_list(actor=request.user, status=status)
    context = {"page": paginate(request, found), "status": status, "statuses": ApplicationStatus.choices}
    return render(request, "accounts/application_list.html", context)


@login_required
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_access(actor=request.user, pk=pk)
    return render(
        request, "accounts/application_detail.html", {"application": application, "refuse_form": RefuseForm()}
    )


@login_required
@require_POST
def application_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_access(actor=request.user, pk=pk)
    done, result = perform(
        request,
        lambda: applications.application_approve(actor=request.user, application=application),
        success=_("Approved: the organisation is registered and its contact invited as its administrator."),
    )
    if done:
        _approved, raw = result
        messages.info(
            request,
            _("Invitation link for the contact: %(link)s") % {"link": invitations.invitation_link(raw)},
        )
    return redirect("accounts:application", pk=pk)


@login_required
@require_POST
def application_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_access(actor=request.user, pk=pk)
    perform_with_form(
        request,
        RefuseForm(request.POST),
        lambda data: applications.application_refuse(
            actor=request.user, application=application, reason=data["reason"]
        ),
        success=_("Refused: the applicant is told the reason by e-mail."),
    )
    return redirect("accounts:application", pk=pk)
