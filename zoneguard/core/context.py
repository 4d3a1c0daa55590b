"""The request being served, for what services deep below the views need of it: the client
address of an audit row, the address absolute links start with. Read only when needed, so that
requests that need neither (a gate's check-in) pay nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .network import client_address

_current_request: ContextVar[HttpRequest | None] = ContextVar("zoneguard_current_request", default=None)

# Where links point when neither ZONEGUARD_SITE_URL nor a request says otherwise (a periodic
# command sending notifications on a machine set up with the defaults).
FALLBACK_SITE_URL = "http://127.0.0.1:8000"


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_client_address() -> str | None:
    request = _current_request.get()
    return (client_address(request) or None) if request is not None else None


def site_url(request: HttpRequest | None = None) -> str:
    """The address people reach ZoneGuard at: ZONEGUARD_SITE_URL when set, otherwise the address
    the request came in on (Django has checked its host against ALLOWED_HOSTS), otherwise the
    fallback. Absolute links (QR posters, status cards, e-mails, robot messages) start with it."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = request or _current_request.get()
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return FALLBACK_SITE_URL


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_url(request) + path


def is_loopback(url: str) -> bool:
    """Whether links to `url` open only on the server itself (127.0.0.1, localhost, ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
