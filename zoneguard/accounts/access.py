"""Where an account lives and how that place stands to an actor: the plain values the granting
table (granting.py) is asked about."""

from __future__ import annotations

from typing import Any

from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping
from zoneguard.registry.models import Department, Organisation, OrganisationKind

from .granting import Place, Relation, may_grant, roles_at


def acting_role(actor: Any) -> str:
    """The role the granting table knows the actor by: a superuser acts as the commander."""
    if not is_active_user(actor):
        return ""
    return Role.COMMANDER if is_commander(actor) else str(actor.role)


def place_of(*, organisation: Organisation | None, department: Department | None) -> Place:
    if department is not None:
        return Place.DEPARTMENT
    if organisation is None:
        return Place.NONE
    return Place.COMMUNITY if organisation.kind == OrganisationKind.COMMUNITY else Place.WORKPLACE


def relation_to(actor: Any, *, organisation: Organisation | None, department: Department | None) -> Relation:
    if is_commander(actor):
        return Relation.IN_SCOPE
    if department is not None:
        return Relation.OWN if actor.department_id == department.pk else Relation.OTHER
    if organisation is None:
        return Relation.IN_SCOPE
    if actor.organisation_id == organisation.pk:
        return Relation.OWN
    return Relation.IN_SCOPE if scoping.organisation_in_scope(actor, organisation) else Relation.OTHER


def may_invite(actor: Any, *, role: str, organisation: Organisation | None, department: Department | None) -> bool:
    place = place_of(organisation=organisation, department=department)
    relation = relation_to(actor, organisation=organisation, department=department)
    return may_grant(acting_role(actor), role, place, relation)


def may_manage(actor: Any, user: Any) -> bool:
    """Deactivate, reactivate, reset the second factor of, change the role of: the actor may grant
    the user's current role where the user is, and is not the user."""
    if not is_active_user(actor) or actor.pk == user.pk or user.is_superuser:
        return False
    return may_invite(actor, role=user.role, organisation=user.organisation, department=user.department)


def roles_for(actor: Any, user: Any) -> list[str]:
    """The roles the actor may give the user where the user is."""
    place = place_of(organisation=user.organisation, department=user.department)
    relation = relation_to(actor, organisation=user.organisation, department=user.department)
    return roles_at(acting_role(actor), place, relation)
