"""Who sees and does what with key tasks, scores and meetings.

- the commander: every department's tasks, items and scores; manages the scheme, the department
  heads, closes months and holds the meetings;
- a department officer: their own department's tasks and items (creates them; reports on the
  items they are responsible for, or on any of them as the department's head), their
  department's score, and the meetings their department or they themselves attend;
- anyone else, a device token included: nothing (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping
from zoneguard.registry.models import Department


def officer_department(actor: User | None) -> int | None:
    if is_active_user(actor) and actor.role == Role.DEPARTMENT_OFFICER and actor.department_id:
        return actor.department_id
    return None


def sees_tasks(actor: User | None) -> bool:
    return is_commander(actor) or officer_department(actor) is not None


def department_q(actor: User | None, path: str = "department") -> Q:
    """Over anything that reaches a department through `path`."""
    if is_commander(actor):
        return Q()
    department = officer_department(actor)
    if department is None:
        return scoping.NOTHING
    return Q(**{f"{path}_id": department})


def may_plan(actor: User | None, department_id: int) -> bool:
    """Create a department's tasks and items: the commander, or an officer of the department."""
    return is_commander(actor) or officer_department(actor) == department_id


def is_head(actor: User | None, department_id: int) -> bool:
    if actor is None or officer_department(actor) != department_id:
        return False
    return Department.objects.filter(pk=department_id, head=actor).exists()


def may_report(actor: User | None, item: Any) -> bool:
    """The responsible person, or the head of the item's department."""
    department = item.task.department_id
    if officer_department(actor) != department:
        return False
    return item.responsible_id == actor.pk or is_head(actor, department)  # type: ignore[union-attr]


def meeting_q(actor: User | None) -> Q:
    if is_commander(actor):
        return Q()
    department = officer_department(actor)
    if department is None:
        return scoping.NOTHING
    return Q(departments__id=department) | Q(people__id=actor.pk)  # type: ignore[union-attr]
