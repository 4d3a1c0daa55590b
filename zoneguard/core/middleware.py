from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest

from .errors import ApplicationError, Forbidden, NotFound


class ApplicationErrorMiddleware:
    """Pages answer a domain refusal the way the API does: objects outside the actor's scope are
    404 (not disclosed), refused actions 403. Views handle the errors they can show on a form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, ApplicationError):
            return HttpResponseBadRequest(exception.message)
        return None
