"""Who reaches which depots and requests (through registry.scoping, like every module).

- the commander, and the officers of the departments that run supplies (SuppliesDuty, data the
  commander edits), run every depot and every request: post to any ledger, allocate, refuse;
- a depot's keeper runs their depot: its ledger, the hand-over of what was allocated from it;
- an organisation admin runs their own organisation's store (and its subsidiaries', as the
  registry's scoping reads them) and files and acknowledges their organisation's requests;
- anyone else (other officers, gate officers, volunteers, devices) reaches nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q

from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping

from .models import SuppliesDuty

if TYPE_CHECKING:
    from zoneguard.accounts.models import User
    from zoneguard.registry.models import Organisation

NOTHING = scoping.NOTHING


def runs_supplies(actor: User) -> bool:
    if is_commander(actor):
        return True
    if not is_active_user(actor) or actor.role != Role.DEPARTMENT_OFFICER or not actor.department_id:
        return False
    cached = getattr(actor, "_zoneguard_supplies_duty", None)
    if cached is None:
        cached = SuppliesDuty.objects.filter(department_id=actor.department_id, is_active=True).exists()
        actor._zoneguard_supplies_duty = cached  # type: ignore[attr-defined]
    return bool(cached)


def is_org_admin(actor: User) -> bool:
    return is_active_user(actor) and actor.role == Role.ORGANISATION_ADMIN and bool(actor.organisation_id)


def depot_q(actor: User, path: str = "") -> Q:
    """Depots (reached through `path`) the actor runs: reads their stock and posts to their ledger."""
    if runs_supplies(actor):
        return Q()
    if not is_active_user(actor) or actor.role == Role.DEVICE:
        return NOTHING
    prefix = f"{path}__" if path else ""
    q = Q(**{f"{prefix}keeper_id": actor.pk})
    if is_org_admin(actor):
        q |= scoping.organisation_q(actor, f"{prefix}organisation")
    return q


def may_open_depot(actor: User, organisation: Organisation | None) -> bool:
    """Those who run supplies open any depot (the zone's own too); an organisation admin a store of
    an organisation they run (their own, or one it is parent of), as `depot_q` reads them."""
    if runs_supplies(actor):
        return True
    if not is_org_admin(actor) or organisation is None:
        return False
    return organisation.pk in (scoping.organisation_ids(actor) or [])


def keeper_q(actor: User, organisation: Organisation | None = None) -> Q:
    """Who may keep a depot the actor opens for `organisation` (a Q over User): for those who run
    supplies any active person with an account but a device; for an organisation admin an active
    account of the depot's organisation, its parent or its subsidiaries, within the organisations
    the admin runs (with no organisation given: any of those); nobody for anyone else."""
    person = Q(is_active=True) & ~Q(role=Role.DEVICE)
    if runs_supplies(actor):
        return person
    if not is_org_admin(actor):
        return NOTHING
    q = person & scoping.organisation_q(actor, "organisation")
    if organisation is not None:
        family = Q(organisation_id=organisation.pk) | Q(organisation__parent_id=organisation.pk)
        if organisation.parent_id:
            family |= Q(organisation_id=organisation.parent_id)
        q &= family
    return q


def request_q(actor: User) -> Q:
    """Requests the actor reads: all for those who run supplies, an admin's organisation's, and
    those allocated from a depot the actor keeps."""
    if runs_supplies(actor):
        return Q()
    if not is_active_user(actor) or actor.role == Role.DEVICE:
        return NOTHING
    q = Q(allocations__depot__keeper_id=actor.pk)
    if is_org_admin(actor):
        q |= scoping.organisation_q(actor, "organisation")
    return q


def may_request_for(actor: User, organisation_id: int) -> bool:
    if runs_supplies(actor):
        return True
    return is_org_admin(actor) and organisation_id == actor.organisation_id


def may_hand_over(actor: User, keeper_ids: Iterable[int | None]) -> bool:
    """Hand over what was allocated (`keeper_ids`: the keepers of the depots it is still to leave):
    those who run supplies, or a keeper when every one of those depots is theirs. The organisation
    that asked acknowledges the receipt; it does not hand over to itself."""
    if runs_supplies(actor):
        return True
    return is_active_user(actor) and all(keeper_id == actor.pk for keeper_id in keeper_ids)


def may_withdraw(actor: User, organisation_id: int) -> bool:
    """The organisation's admin takes back a request it no longer needs; those who run supplies
    refuse it instead, with a reason."""
    return is_org_admin(actor) and organisation_id == actor.organisation_id


def may_acknowledge(actor: User, organisation_id: int) -> bool:
    return (is_org_admin(actor) and organisation_id == actor.organisation_id) or is_commander(actor)


def reaches_supplies(actor: User) -> bool:
    """Whether the actor has any part here (the menu, the item list)."""
    return runs_supplies(actor) or is_org_admin(actor) or (is_active_user(actor) and _keeps_a_depot(actor))


def _keeps_a_depot(actor: User) -> bool:
    from .models import Depot

    cached = getattr(actor, "_zoneguard_keeps_depot", None)
    if cached is None:
        cached = Depot.objects.filter(keeper_id=actor.pk).exists()
        actor._zoneguard_keeps_depot = cached  # type: ignore[attr-defined]
    return bool(cached)
