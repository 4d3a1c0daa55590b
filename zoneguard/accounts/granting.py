"""Who may give whom an account: the one table behind invitations and user management.

A pure module over plain values (no database): the caller says what kind of place the account is
in (a department, a workplace, a community, none) and how that place stands to the inviter (their
own, one in their scope, another). The same table answers "may invite", "may manage" (deactivate,
reset a second factor: the manager may grant the user's current role there) and "may change the
role to" (the new role is grantable at the user's place). Nobody grants a role above their own:
the table never lets a role grant its own rank or a higher one, except an organisation admin
inviting the organisation's other admins."""

from __future__ import annotations

from enum import StrEnum

from zoneguard.core.roles import Role


class Place(StrEnum):
    DEPARTMENT = "department"
    WORKPLACE = "workplace"  # an enterprise, building project, shop or market
    COMMUNITY = "community"
    NONE = "none"  # volunteers belong to no organisation


class Relation(StrEnum):
    OWN = "own"  # the inviter's own department or organisation
    IN_SCOPE = "in_scope"  # one the inviter's scope covers (the commander: every one)
    OTHER = "other"


# Where each role's account lives.
PLACE_OF_ROLE: dict[str, frozenset[Place]] = {
    Role.COMMANDER: frozenset({Place.NONE}),
    Role.DEPARTMENT_OFFICER: frozenset({Place.DEPARTMENT}),
    Role.ORGANISATION_ADMIN: frozenset({Place.WORKPLACE}),
    Role.GATE_OFFICER: frozenset({Place.WORKPLACE}),
    Role.COMMUNITY_WORKER: frozenset({Place.COMMUNITY}),
    Role.VOLUNTEER: frozenset({Place.NONE}),
    Role.DEVICE: frozenset(),
}

# inviter role → role granted → the places (kind, relation) where they may grant it.
GRANTS: dict[str, dict[str, frozenset[tuple[Place, Relation]]]] = {
    Role.COMMANDER: {
        Role.DEPARTMENT_OFFICER: frozenset({(Place.DEPARTMENT, Relation.IN_SCOPE)}),
        Role.ORGANISATION_ADMIN: frozenset({(Place.WORKPLACE, Relation.IN_SCOPE)}),
        Role.GATE_OFFICER: frozenset({(Place.WORKPLACE, Relation.IN_SCOPE)}),
        Role.COMMUNITY_WORKER: frozenset({(Place.COMMUNITY, Relation.IN_SCOPE)}),
        Role.VOLUNTEER: frozenset({(Place.NONE, Relation.IN_SCOPE)}),
    },
    Role.DEPARTMENT_OFFICER: {
        Role.ORGANISATION_ADMIN: frozenset({(Place.WORKPLACE, Relation.IN_SCOPE)}),
    },
    Role.ORGANISATION_ADMIN: {
        Role.ORGANISATION_ADMIN: frozenset({(Place.WORKPLACE, Relation.OWN)}),
        Role.GATE_OFFICER: frozenset({(Place.WORKPLACE, Relation.OWN)}),
    },
    Role.COMMUNITY_WORKER: {
        Role.VOLUNTEER: frozenset({(Place.NONE, Relation.IN_SCOPE)}),
    },
}


def may_grant(inviter_role: str, role: str, place: Place, relation: Relation) -> bool:
    """Whether someone of `inviter_role` may give an account of `role` at a place of this kind and
    relation to them."""
    return (place, relation) in GRANTS.get(inviter_role, {}).get(role, frozenset())


def grantable_roles(inviter_role: str) -> list[str]:
    """The roles someone of `inviter_role` may grant somewhere, in the order of Role."""
    granted = GRANTS.get(inviter_role, {})
    return [role for role in Role.values if role in granted]


def roles_at(inviter_role: str, place: Place, relation: Relation) -> list[str]:
    """The roles someone of `inviter_role` may grant at this place: what a user there may be changed to."""
    return [role for role in grantable_roles(inviter_role) if may_grant(inviter_role, role, place, relation)]
