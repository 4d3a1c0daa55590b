from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core.errors import ApplicationError
from zoneguard.core.roles import OFFICE_ROLES
from zoneguard.core.web import AuthedRequest, add_error_to_form

from .. import selectors, services
from ..forms import TokenCreateForm
from ..models import ApiTokenKind


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    if not (actor.is_superuser or actor.role in OFFICE_ROLES):
        raise Http404
    form = TokenCreateForm(request.POST or None, actor=actor)
    raw_token = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _token, raw_token = services.token_create(
                actor=actor,
                user=data.get("user") or actor,
                name=data["name"],
                kind=data.get("kind") or ApiTokenKind.PERSONAL,
                site=data.get("site"),
            )
        except ApplicationError as error:
            add_error_to_form(form, error)
        else:
            form = TokenCreateForm(actor=actor)
    tokens = selectors.token_list(actor=actor)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "raw_token": raw_token})


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = selectors.token_list(actor=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
