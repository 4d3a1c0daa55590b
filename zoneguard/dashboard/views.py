from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from zoneguard.core.nav import nav_for
from zoneguard.core.web import AuthedRequest
from zoneguard.registry.models import OrganisationKind
from zoneguard.registry.selectors import organisation_list


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    counts = dict(organisation_list(actor=request.user).order_by().values_list("kind").annotate(n=Count("id")))
    kinds = [(label, counts.get(value, 0)) for value, label in OrganisationKind.choices]
    return render(
        request,
        "dashboard/home.html",
        {"kinds": kinds, "shortcuts": [i for i in nav_for(request.user) if i["name"] != "dashboard:home"]},
    )
