from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and benchmarks: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request: not the user, the session or the database, any
    of which may be what failed. When the page itself cannot be rendered (static files never
    collected, say), plain text rather than the web server's bare answer in English."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html"))
    except Exception:
        logger.exception("The 500 page could not be rendered")
        text = gettext("Something went wrong on the server and your request was not completed.")
        return HttpResponseServerError(text, content_type="text/plain; charset=utf-8")
