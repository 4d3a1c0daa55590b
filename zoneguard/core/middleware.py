from __future__ import annotations

from collections.abc import Callable

from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
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
            return HttpResponseBadRequest(exception.message)
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
