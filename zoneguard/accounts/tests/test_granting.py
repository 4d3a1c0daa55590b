"""The granting table, over every inviter role × every role × every place and relation: what it
allows is exactly the list below, and nothing else."""

from __future__ import annotations

import itertools

import pytest

from zoneguard.accounts.granting import GRANTS, PLACE_OF_ROLE, Place, Relation, grantable_roles, may_grant, roles_at
from zoneguard.core.roles import Role

R = Role
ALLOWED = {
    # The commander: officers of any department, and every account of an organisation or community.
    (R.COMMANDER, R.DEPARTMENT_OFFICER, Place.DEPARTMENT, Relation.IN_SCOPE),
    (R.COMMANDER, R.ORGANISATION_ADMIN, Place.WORKPLACE, Relation.IN_SCOPE),
    (R.COMMANDER, R.GATE_OFFICER, Place.WORKPLACE, Relation.IN_SCOPE),
    (R.COMMANDER, R.COMMUNITY_WORKER, Place.COMMUNITY, Relation.IN_SCOPE),
    (R.COMMANDER, R.VOLUNTEER, Place.NONE, Relation.IN_SCOPE),
    # A department officer: the admins of the workplaces their department supervises.
    (R.DEPARTMENT_OFFICER, R.ORGANISATION_ADMIN, Place.WORKPLACE, Relation.IN_SCOPE),
    # An organisation admin: their own organisation's gate officers and other admins.
    (R.ORGANISATION_ADMIN, R.ORGANISATION_ADMIN, Place.WORKPLACE, Relation.OWN),
    (R.ORGANISATION_ADMIN, R.GATE_OFFICER, Place.WORKPLACE, Relation.OWN),
    # A community worker: volunteers.
    (R.COMMUNITY_WORKER, R.VOLUNTEER, Place.NONE, Relation.IN_SCOPE),
}
CASES = list(itertools.product(Role.values, Role.values, list(Place), list(Relation)))


@pytest.mark.parametrize(("inviter", "role", "place", "relation"), CASES)
def test_it_allows_exactly_the_listed_grants(inviter, role, place, relation):
    assert may_grant(inviter, role, place, relation) == ((inviter, role, place, relation) in ALLOWED)


RANK = {R.COMMANDER: 5, R.DEPARTMENT_OFFICER: 4, R.ORGANISATION_ADMIN: 3, R.COMMUNITY_WORKER: 3}


def test_nobody_grants_a_role_above_their_own_or_the_commander_role():
    for inviter, granted in GRANTS.items():
        assert Role.COMMANDER not in granted
        for role in granted:
            assert RANK.get(role, 0) <= RANK[inviter]
            # Equal rank only for an organisation's admins among themselves.
            if RANK.get(role, 0) == RANK[inviter]:
                assert (inviter, role) == (R.ORGANISATION_ADMIN, R.ORGANISATION_ADMIN)


def test_every_grant_is_at_a_place_where_the_role_lives():
    for granted in GRANTS.values():
        for role, places in granted.items():
            assert {place for place, _relation in places} <= PLACE_OF_ROLE[role]


def test_it_lists_the_roles_each_may_grant():
    assert grantable_roles(R.GATE_OFFICER) == []
    assert grantable_roles(R.VOLUNTEER) == []
    assert grantable_roles(R.DEVICE) == []
    assert grantable_roles(R.DEPARTMENT_OFFICER) == [R.ORGANISATION_ADMIN]
    assert roles_at(R.ORGANISATION_ADMIN, Place.WORKPLACE, Relation.OWN) == [R.ORGANISATION_ADMIN, R.GATE_OFFICER]
    assert roles_at(R.ORGANISATION_ADMIN, Place.WORKPLACE, Relation.OTHER) == []
