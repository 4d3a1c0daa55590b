"""Pages a signed-in user reaches only once their account is in order: a second factor passed where
their role requires one (accounts/second_factor.py), and a password of their own chosen when
someone else set it. Until then every page sends them to the step they owe; the API answers such
sessions as not signed in (accounts/auth.py), while bearer tokens work as they are."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .second_factor import session_cleared

# Reached before the account is in order: the steps themselves, signing out, the API (which
# answers for itself), static files and the language switch.
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/password/reset/",
    "/accounts/invitations/accept/",
    "/accounts/apply/",
    "/api/",
    "/static/",
    "/i18n/",
    "/jsi18n/",
    "/healthz",
)
# Once the second factor is passed: choosing a new password.
PASSWORD_STEP = "/accounts/password/change/"


class AccountGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The path first: the API (a gate's check-ins) and static files never load the session here.
        user = None if request.path.startswith(OPEN_PREFIXES) else getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            step = None
            if not session_cleared(request):
                step = "accounts:two-factor"
            elif getattr(user, "must_change_password", False) and not request.path.startswith(PASSWORD_STEP):
                step = "accounts:password-change"
            if step is not None:
                target = reverse(step)
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)
