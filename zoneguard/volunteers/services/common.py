"""What the writes of the corps share: the refusals, and where notifications lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from zoneguard.core.errors import Forbidden, InvalidInput
from zoneguard.registry.models import Organisation, OrganisationKind

from .. import access
from ..models import Volunteer

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

# Where notifications lead (the pages of urls.py).
MY_TASKS = "/volunteers/my/"


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def require_runs(actor: User, community_id: int | None) -> None:
    """The commander, or a community worker of this community (access.can_run_community)."""
    require(access.can_run_community(actor, community_id))


def checked_community(community: Organisation | None) -> Organisation:
    if community is None or community.kind != OrganisationKind.COMMUNITY or not community.is_active:
        raise InvalidInput.for_field("community_id", _("Choose a community."))
    return community


def lock_volunteer(volunteer: Volunteer) -> Volunteer:
    """The volunteer's row, locked to the end of the transaction (services/shifts.py says why)."""
    return Volunteer.objects.select_for_update().select_related("community").get(pk=volunteer.pk)
