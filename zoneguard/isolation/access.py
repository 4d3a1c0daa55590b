"""Who follows isolated residents (through registry.scoping's roles, like every module).

- the commander, and the officers of the departments that run epidemic control (tracing's
  TracingDuty), see and open cases across the zone;
- a community worker sees and opens the cases of their own community;
- anyone else sees nothing. The resident reaches their own case by a personal link
  (services.resident_link), without an account."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user
from zoneguard.registry import scoping
from zoneguard.tracing.access import traces_whole_zone


def follows_whole_zone(actor: User) -> bool:
    return traces_whole_zone(actor)


def is_community_worker(actor: User) -> bool:
    return is_active_user(actor) and actor.role == Role.COMMUNITY_WORKER and bool(actor.organisation_id)


def sees_cases(actor: User) -> bool:
    return follows_whole_zone(actor) or is_community_worker(actor)


def case_q(actor: User, path: str = "") -> Q:
    prefix = f"{path}__" if path else ""
    if follows_whole_zone(actor):
        return Q()
    if is_community_worker(actor):
        return Q(**{f"{prefix}community_id": actor.organisation_id})
    return scoping.NOTHING


def may_handle_community(actor: User, community_id: int | None) -> bool:
    """Act on the cases (and their errands) of a community: the zone's officers, and the
    community's own workers."""
    return follows_whole_zone(actor) or (
        community_id is not None and is_community_worker(actor) and community_id == actor.organisation_id
    )


def may_follow_community(actor: User, community: Any) -> bool:
    """Open a case in, or hand a case to, `community` (None: no community yet)."""
    if follows_whole_zone(actor):
        return True
    return community is not None and is_community_worker(actor) and community.pk == actor.organisation_id
