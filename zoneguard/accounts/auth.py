"""How API callers authenticate, and what each kind of credential reaches.

- A personal token (`Authorization: Bearer zg_...`) or the signed-in browser session acts as its
  user, through the scoping of that user's role.
- A device token (a token restricted to a site, or of kind "device") is a credential left on a
  gate in the street: it acts as a device of its site whatever its user's role, and reaches only
  the operations declared with `GATE_AUTH` (recording check-ins there). Every other operation
  answers it as not found, and the scoping (registry/scoping.py) gives a device nothing to read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from zoneguard.core.errors import NotFound

from .second_factor import session_cleared
from .services import token_actor, token_authenticate


class BearerAuth(HttpBearer):
    """`Authorization: Bearer zg_...`: personal tokens, and device tokens where `devices` is true."""

    def __init__(self, *, devices: bool = False) -> None:
        super().__init__()
        self.devices = devices

    def __call__(self, request: HttpRequest) -> Any:
        # HttpBearer's reading of the header, taken from the WSGI environ: request.headers would
        # build a dictionary of every header first.
        scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        if api_token.is_device and not self.devices:
            raise NotFound()
        actor = token_actor(api_token)
        request.user = actor
        request.api_token = api_token  # type: ignore[attr-defined]
        return actor


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (pages call the API with their CSRF token)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is no session to protect from forgery: the caller is not
        # signed in, and is answered 401 like any caller without credentials (a program whose
        # token was revoked read "CSRF check Failed", a 403, and looked for the wrong fault).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        # A session still owing its second factor or a password of its own is not signed in here.
        if (
            user is not None
            and user.is_authenticated
            and user.is_active
            and session_cleared(request)
            and not user.must_change_password
        ):
            request.api_token = None  # type: ignore[attr-defined]
            return user
        return None


# Every operation's default: people, by token or session.
AUTH = [BearerAuth(), SessionAuth()]
# The gate's operations: device tokens too.
GATE_AUTH = [BearerAuth(devices=True), SessionAuth()]
