"""The resident's personal link, as pages reach it: rate-limited per client address before the
token is even read, then the case it opens (services.case_by_token). Used by every page behind
the link (this app's, and errands')."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from zoneguard.core import ratelimit
from zoneguard.core.network import client_address

from . import services
from .models import IsolationCase


def resident_case(request: HttpRequest, token: str) -> IsolationCase:
    ratelimit.count(
        ratelimit.Limit(
            "isolation.link",
            ratelimit.client_subject(client_address(request)),
            settings.RATE_LIMIT_RESIDENT_LINK_PER_ADDRESS,
        )
    )
    return services.case_by_token(token)
