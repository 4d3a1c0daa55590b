"""Who reads and runs which community's volunteer corps (through registry.scoping, like every
module).

- the commander runs every community's corps;
- a community worker runs their own community's: approves volunteers, plans shifts and tasks,
  closes the to-dos;
- anyone else the scoping lets see a community (a department competent for communities) reads it;
- a volunteer reads only what is theirs: their own record, the shifts of their community once
  approved, their sign-ups and the tasks given to them (each selector says how);
- a device, and anyone else, reads nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

NOTHING = scoping.NOTHING


def is_volunteer(actor: User) -> bool:
    return is_active_user(actor) and actor.role == Role.VOLUNTEER and not actor.is_superuser


def community_q(actor: User, path: str = "community") -> Q:
    """Records that reach a community through `path`, as the actor's office reads them (a
    volunteer's own records are read by the selectors' own rules)."""
    if not is_active_user(actor) or is_volunteer(actor):
        return NOTHING
    return scoping.organisation_q(actor, path)


def can_run_community(actor: User, community_id: int | None) -> bool:
    if not is_active_user(actor) or community_id is None:
        return False
    if is_commander(actor):
        return True
    return actor.role == Role.COMMUNITY_WORKER and actor.organisation_id == community_id


def personal_data_q(actor: User, path: str = "community") -> Q:
    """Volunteers (reached through `path`) whose phone and ID number the actor reads in full: the
    commander all, a community worker their community's."""
    return scoping.personal_data_organisation_q(actor, path) if not is_volunteer(actor) else NOTHING
