"""User management pages: the accounts in the manager's scope, and on each one the changes the
manager may make (role, deactivate, reactivate, reset the second factor, a temporary password)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.errors import Forbidden
from zoneguard.core.pagination import paginate
from zoneguard.core.web import AuthedRequest, perform, perform_with_form

from .. import access, selectors
from ..forms import RoleForm, TemporaryPasswordForm, UserFilterForm
from ..services import users


def _manager(request: AuthedRequest) -> None:
    if not selectors.is_manager(request.user):
        raise Forbidden()


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    _manager(request)
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.user_list(actor=request.user, **filters)
    return render(request, "accounts/user_list.html", {"form": form, "page": paginate(request, found)})


@login_required
def user_suggest(request: AuthedRequest) -> JsonResponse:
    """Suggestions for a user field as the manager types: a few usernames in their scope."""
    text = (request.GET.get("q") or "")[:100]
    return JsonResponse({"items": selectors.user_suggestions(actor=request.user, text=text)})


@login_required
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _manager(request)
    user = selectors.user_access(actor=request.user, pk=pk)
    may_manage = access.may_manage(request.user, user)
    roles = access.roles_for(request.user, user) if may_manage else []
    context = {
        "subject": user,
        "may_manage": may_manage,
        "role_form": RoleForm(initial={"role": user.role}, roles=roles) if len(roles) > 1 else None,
        "password_form": TemporaryPasswordForm(),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def user_role(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_access(actor=request.user, pk=pk)
    form = RoleForm(request.POST, roles=access.roles_for(request.user, user))
    perform_with_form(
        request,
        form,
        lambda data: users.user_update(actor=request.user, user=user, role=data["role"]),
        success=_("The role was changed."),
    )
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def user_active(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_access(actor=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    perform(
        request,
        lambda: users.user_update(actor=request.user, user=user, is_active=active),
        success=_("The account was reactivated.") if active else _("The account was deactivated."),
    )
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def user_second_factor_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_access(actor=request.user, pk=pk)
    perform(
        request,
        lambda: users.user_second_factor_reset(actor=request.user, user=user),
        success=_("The second factor was reset: the user sets up a new one at the next sign-in."),
    )
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def user_password(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_access(actor=request.user, pk=pk)
    form = TemporaryPasswordForm(request.POST)
    perform_with_form(
        request,
        form,
        lambda data: users.user_password_set(actor=request.user, user=user, password=data["password"]),
        success=_("The temporary password is set: the user chooses their own at the next sign-in."),
    )
    return redirect("accounts:user", pk=pk)
