from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

from .errors import ApplicationError, Forbidden, NotFound, RateLimited


class ApplicationErrorMiddleware:
    """Pages answer a domain refusal the way the API does: objects outside the actor's scope are
    404 (not disclosed), refused actions 403, a rate limit a page that says when to try again.
    Views handle the errors they can show on a form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, RateLimited):
            response = render(request, "core/rate_limited.html", {"message": exception.message}, status=429)
            response["Retry-After"] = str(exception.retry_after)
            return response
        if isinstance(exception, ApplicationError):
            return render(request, "400.html", {"message": exception.message}, status=400)
        return None


class LocaleMiddleware:
    """Each request in the language its user chose (the language cookie set by the switcher in the
    page header), else the first of Accept-Language that ZoneGuard speaks, else Chinese.

    Django's LocaleMiddleware does the same and, in addition, looks for a language code at the
    start of the path, for sites that put one there (i18n_patterns). ZoneGuard's URLs carry none,
    and for every path that starts with a word (/api/..., /gates/...) that lookup raises and
    catches a LookupError twice per request, on the gate's busiest path. If ZoneGuard ever puts a
    language code in its URLs, go back to Django's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(translation.get_language_from_request(request))
        language = translation.get_language()
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's, with the message storage made when a view or a page first uses it: API calls never
    use it, and making it (a cookie storage with its signer, a session storage) for each of them
    is work on the gate's busiest path for nothing."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:  # type: ignore[attr-defined]
            return response  # never used: nothing was added or read, nothing to store
        return super().process_response(request, response)


# What django-csp's view decorators (csp, csp_update, csp_replace, csp_exempt) leave on a response.
_VIEW_POLICY_ATTRIBUTES = frozenset(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


@functools.cache
def _site_policy_header() -> str | None:
    """The header of every response that no view changes, or None where django-csp must build
    each one (a report-only policy, excluded prefixes, the debug pages)."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    if (
        not policy
        or settings.DEBUG
        or "EXCLUDE_URL_PREFIXES" in policy
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    ):
        return None
    return build_policy()


@receiver(setting_changed)
def _site_policy_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "DEBUG"}:
        _site_policy_header.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's, with the site-wide header built once instead of for every response.

    For each response django-csp reads its settings (one of them missing, which raises and
    catches inside Django's settings object) and copies, sorts and joins every directive: every
    request, a gate check-in as much as /healthz, paid for it (bench/README.md). The header is
    the same for every response except one whose view changed the policy with a django-csp
    decorator or a page that used a nonce; those go through django-csp unchanged."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        header = _site_policy_header()
        if (
            header is None
            or getattr(request, "_csp_nonce", None) is not None
            or HEADER in response
            or not _VIEW_POLICY_ATTRIBUTES.isdisjoint(vars(response))
        ):
            return super().process_response(request, response)
        response[HEADER] = header
        # As django-csp does: a nonce asked for once the header is written could not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
