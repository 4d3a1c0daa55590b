"""The user's background exports: their state, and the download when ready."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from . import exports
from .errors import NotFound
from .pagination import paginate
from .web import AuthedRequest


@login_required
def export_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "core/export_list.html", {"page": paginate(request, exports.export_list(actor=request.user))}
    )


@login_required
def export_download(request: AuthedRequest, pk: int) -> Any:
    try:
        return exports.export_download(actor=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
