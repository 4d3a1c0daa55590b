from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .nav import nav_for
from .web import AuthedRequest


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and benchmarks: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    from zoneguard.registry.models import OrganisationKind
    from zoneguard.registry.selectors import organisation_list

    counts = dict(organisation_list(actor=request.user).order_by().values_list("kind").annotate(n=Count("id")))
    kinds = [(label, counts.get(value, 0)) for value, label in OrganisationKind.choices]
    return render(
        request,
        "core/home.html",
        {"kinds": kinds, "shortcuts": [i for i in nav_for(request.user) if i["name"] != "core:home"]},
    )
