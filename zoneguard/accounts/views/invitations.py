"""Invitation pages: invite one person, the contacts of selected organisations, or a list from
Excel; the list with revocation; and the public page where an invitee takes up their account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zoneguard.core import ratelimit
from zoneguard.core.errors import ApplicationError, Forbidden
from zoneguard.core.excel import workbook_response
from zoneguard.core.network import client_address
from zoneguard.core.pagination import paginate
from zoneguard.core.roles import Role
from zoneguard.core.web import AuthedRequest, add_error_to_form, perform
from zoneguard.registry import scoping

from .. import access, granting, imports, selectors
from ..forms import ImportForm, InvitationAcceptForm, InvitationForm
from ..models import InvitationState
from ..services import invitations


def _inviter(request: AuthedRequest) -> list[str]:
    """The roles the signed-in user may invite somewhere; none: 403."""
    roles = granting.grantable_roles(access.acting_role(request.user))
    if not roles:
        raise Forbidden()
    return roles


@login_required
def invitation_list(request: AuthedRequest) -> HttpResponse:
    roles = _inviter(request)
    organisations = scoping.visible_organisations(request.user).filter(is_active=True)
    form = InvitationForm(request.POST or None, roles=roles, organisations=organisations)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, raw = invitations.invitation_create(
                actor=request.user,
                role=data["role"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                organisation=data["organisation"],
                department=data.get("department"),
                language=data["language"],
            )
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            created = [(invitation, invitations.invitation_link(raw))]
            form = InvitationForm(roles=roles, organisations=organisations)
    state = request.GET.get("state", "")
    state = state if state in InvitationState.values else ""
    page = paginate(request, selectors.invitation_list(actor=request.user, state=state))
    open_ones = [inv for inv in page if inv.state == InvitationState.OPEN]
    revocable = {inv.pk for inv in open_ones if invitations.may_revoke(request.user, inv)}
    context = {
        "form": form,
        "page": page,
        "created": created,
        "states": InvitationState.choices,
        "state": state,
        "revocable": revocable,
    }
    return render(request, "accounts/invitation_list.html", context)


@login_required
@require_POST
def invitation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: invitations.invitation_revoke(actor=request.user, invitation=invitation),
        success=_("The invitation was revoked: its link no longer works."),
    )
    return redirect("accounts:invitations")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_organisations(request: AuthedRequest) -> HttpResponse:
    """Invite the contact person of each selected organisation as its admin."""
    roles = _inviter(request)
    if Role.ORGANISATION_ADMIN not in roles:
        raise Forbidden()
    organisations = scoping.visible_organisations(request.user).filter(is_active=True).exclude(kind="community")
    result = None
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("organisation") if v.isdigit() and len(v) < 19]
        chosen = list(organisations.filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("Select the organisations whose contacts to invite."))
        else:
            result = invitations.invitations_for_organisations(actor=request.user, organisations=chosen)
            result_links = [(inv, invitations.invitation_link(raw)) for inv, raw in result.created]
            return render(
                request,
                "accounts/invitation_organisations_done.html",
                {"created": result_links, "skipped": result.skipped},
            )
    return render(request, "accounts/invitation_organisations.html", {"page": paginate(request, organisations)})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_import(request: AuthedRequest) -> HttpResponse:
    if Role.ORGANISATION_ADMIN not in _inviter(request):
        raise Forbidden()
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = imports.admins_import(actor=request.user, data=form.cleaned_data["file"].read())
        if report.written:
            created = [(inv, invitations.invitation_link(raw)) for inv, raw in report.created]
            messages.success(request, _("%(count)d administrators invited.") % {"count": len(created)})
            return render(request, "accounts/invitation_organisations_done.html", {"created": created, "skipped": []})
    return render(request, "accounts/invitation_import.html", {"form": form, "report": report})


@login_required
def invitation_import_template(request: AuthedRequest) -> HttpResponseBase:
    if Role.ORGANISATION_ADMIN not in _inviter(request):
        raise Forbidden()
    return workbook_response(imports.admins_template(), _("administrators to invite") + ".xlsx")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the invitee chooses a user name and password, and is signed in."""
    address = ratelimit.client_subject(client_address(request))
    ratelimit.count(ratelimit.Limit("invitation.address", address, settings.RATE_LIMIT_ACCOUNT_LINKS_PER_ADDRESS))
    invitation = invitations.invitation_by_token(token)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                raw=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ApplicationError as error:
            if error.status == 404:
                raise
            add_error_to_form(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to ZoneGuard, %(name)s.") % {"name": user.display_name})
            return redirect("dashboard:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
