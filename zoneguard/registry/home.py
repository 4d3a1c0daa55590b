"""What the registry offers a home page: a community worker's residents and the organisations of
their community, until the isolation, errand and volunteer modules add their own work."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem
from zoneguard.core.roles import Role

from . import selectors
from .models import Membership, OrganisationKind


def home_items(user: Any) -> list[HomeItem]:
    if user.role != Role.COMMUNITY_WORKER or not user.organisation_id:
        return []
    residents = Membership.objects.filter(organisation_id=user.organisation_id, is_active=True).count()
    organisations = (
        selectors.organisation_list(actor=user).exclude(kind=OrganisationKind.COMMUNITY).filter(is_active=True).count()
    )
    return [
        HomeItem(
            _("Residents registered"),
            reverse("registry:people") + f"?organisation={user.organisation_id}",
            value=str(residents),
            order=30,
        ),
        HomeItem(
            _("Enterprises, shops and markets of the community"),
            reverse("registry:organisations") + f"?community={user.organisation_id}",
            value=str(organisations),
            order=32,
        ),
    ]
