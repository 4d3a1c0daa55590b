"""Two-factor sign-in pages: set up an authenticator (QR code drawn by segno as inline SVG, and the
key to type in), enter a code, see and renew recovery codes."""

from __future__ import annotations

from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zoneguard.core import ratelimit
from zoneguard.core.network import client_address
from zoneguard.core.web import AuthedRequest

from ..forms import CodeForm
from ..second_factor import requires_second_factor, session_verified
from ..services import second_factor


def _next(request: AuthedRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or target.startswith(
        "/accounts/two-factor/"
    ):
        return "/"
    return target


def _count_attempt(request: AuthedRequest) -> None:
    # Codes guessed from one address, whatever the account (django-otp slows down each device).
    address = ratelimit.client_subject(client_address(request))
    ratelimit.count(ratelimit.Limit("second-factor.address", address, settings.RATE_LIMIT_ACCOUNT_LINKS_PER_ADDRESS))


def qr_svg(data: str) -> str:
    """An otpauth:// link as an SVG QR code: markup without style attributes or scripts, so it fits
    the Content-Security-Policy inline."""
    return segno.make(data, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@login_required
def two_factor(request: AuthedRequest) -> HttpResponse:
    """Where the sign-in sends a user who owes a second factor: the code, or setting one up."""
    user = request.user
    if not second_factor.has_second_factor(user):
        return _setup(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _count_attempt(request)
        device = second_factor.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("The code is wrong or was used already."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


def _setup(request: AuthedRequest) -> HttpResponse:
    user = request.user
    device = second_factor.totp_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _count_attempt(request)
        confirmed = second_factor.totp_confirm(user=user, code=form.cleaned_data["code"])
        if confirmed is not None:
            confirmed_device, codes = confirmed
            django_otp.login(request, confirmed_device)
            messages.success(request, _("Two-factor sign-in is set up."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("The code is wrong: check the time on your phone and try the next code."))
    context: dict[str, Any] = {
        "form": form,
        "qr": mark_safe(qr_svg(device.config_url)),  # noqa: S308 - segno's own markup of our link
        "secret": second_factor.totp_secret(device),
        "next": _next(request),
        "required": requires_second_factor(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def security(request: AuthedRequest) -> HttpResponse:
    """The signed-in user's own sign-in: the second factor, recovery codes left, the password."""
    user = request.user
    context = {
        "has_factor": second_factor.has_second_factor(user),
        "required": requires_second_factor(user),
        "codes_left": second_factor.recovery_codes_left(user),
        "verified": session_verified(request),
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def recovery_codes_renew(request: AuthedRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.user) or not session_verified(request):
        return redirect("accounts:security")
    codes = second_factor.recovery_codes_renew(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/accounts/security/"})
