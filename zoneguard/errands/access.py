"""Who sees which errands (through isolation's access, like the cases they serve).

- the commander and the epidemic-control officers: every errand; a community worker: their
  community's (isolation.access.case_q);
- an approved volunteer: the open errands of their community (offered to them) and those
  assigned to them; the resident's address only once assigned to them;
- the resident: their own errands, through their personal link (no account);
- anyone else: nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user
from zoneguard.isolation import access as isolation_access
from zoneguard.registry import scoping
from zoneguard.volunteers.selectors import volunteer_of

from .models import ErrandStatus


def approved_volunteer(actor: User) -> Any:
    if not is_active_user(actor) or actor.role != Role.VOLUNTEER:
        return None
    return volunteer_of(actor)


def follows(actor: User) -> bool:
    return isolation_access.sees_cases(actor)


def errand_q(actor: User) -> Q:
    if isolation_access.sees_cases(actor):
        return isolation_access.case_q(actor, "case")
    volunteer = approved_volunteer(actor)
    if volunteer is not None:
        return Q(volunteer=volunteer) | Q(status=ErrandStatus.OPEN, community_id=volunteer.community_id)
    return scoping.NOTHING


def may_handle(actor: User, errand: Any) -> bool:
    return isolation_access.may_handle_community(actor, errand.community_id)


def sees_address(actor: User, errand: Any) -> bool:
    if may_handle(actor, errand):
        return True
    volunteer = approved_volunteer(actor)
    return volunteer is not None and errand.volunteer_id == volunteer.pk
