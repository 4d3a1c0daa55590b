"""A department has one head, named by the commander among its officers: told of the
department's late requests and overdue key-task items; without one, every officer is."""

from __future__ import annotations

import pytest

from zoneguard.accounts import selectors
from zoneguard.accounts.services.users import department_head_set
from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Forbidden, InvalidInput
from zoneguard.core.roles import Role
from zoneguard.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_commander_names_an_officer_of_the_department(zone):
    second = make_user("officer_a_2", Role.DEPARTMENT_OFFICER, department=zone.department_a)
    assert selectors.department_heads(department_id=zone.department_a.pk) == [zone.users["officer_a"], second]
    department_head_set(actor=zone.commander, department=zone.department_a, head=second)
    assert selectors.department_heads(department_id=zone.department_a.pk) == [second]
    assert AuditEvent.objects.filter(detail__action="department_head_set").count() == 1
    department_head_set(actor=zone.commander, department=zone.department_a, head=None)
    assert len(selectors.department_heads(department_id=zone.department_a.pk)) == 2


def test_a_head_from_elsewhere_or_named_by_anyone_else_is_refused(zone):
    with pytest.raises(InvalidInput):
        department_head_set(actor=zone.commander, department=zone.department_a, head=zone.users["officer_b"])
    with pytest.raises(InvalidInput):
        department_head_set(actor=zone.commander, department=zone.department_a, head=zone.users["admin_a"])
    with pytest.raises(Forbidden):
        department_head_set(actor=zone.users["officer_a"], department=zone.department_a, head=zone.users["officer_a"])
    zone.department_a.refresh_from_db()
    assert zone.department_a.head is None


def test_a_head_who_left_the_department_or_was_deactivated_no_longer_stands_for_it(zone):
    officer = zone.users["officer_a"]
    department_head_set(actor=zone.commander, department=zone.department_a, head=officer)
    officer.is_active = False
    officer.save()
    assert selectors.department_heads(department_id=zone.department_a.pk) == []
    officer.is_active, officer.department = True, zone.department_b
    officer.save()
    assert selectors.department_heads(department_id=zone.department_a.pk) == []
