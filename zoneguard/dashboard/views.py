from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from zoneguard.core.nav import nav_for
from zoneguard.core.web import AuthedRequest

from .home import home_items


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """What the signed-in user has to do today and what needs their attention, each item a link."""
    items = home_items(request.user)
    return render(
        request,
        "dashboard/home.html",
        {
            "todo": [item for item in items if item.action or item.needs_attention],
            "figures": [item for item in items if not (item.action or item.needs_attention)],
            "shortcuts": [i for i in nav_for(request.user) if i["name"] != "dashboard:home"],
        },
    )
