"""What a locked-out client gets: the API's JSON error on /api/, the lockout page elsewhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "locked_out", "message": _("Too many failed attempts. Try again later."), "errors": {}},
            status=429,
        )
    return render(request, "accounts/locked_out.html", status=429)
