"""Who sees and does what with enterprise requests.

- the commander: every request, and every action of either side;
- a department officer: the requests routed to their department (accept, pass on, answer), and
  those it passed on to another (to read);
- an organisation admin: their own organisation's requests only (file, confirm, reopen, rate);
- anyone else, a device token included: nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping

from .models import TicketEvent


def ticket_q(actor: User | None) -> Q:
    if not is_active_user(actor):
        return scoping.NOTHING
    if is_commander(actor):
        return Q()
    if actor.role == Role.DEPARTMENT_OFFICER and actor.department_id:
        # And those the department passed on: its officers keep reading what became of them
        # (acting on them is the new department's, is_handler).
        passed_on = TicketEvent.objects.filter(department_id=actor.department_id, action="pass_on")
        return Q(department_id=actor.department_id) | Q(pk__in=passed_on.values("ticket_id"))
    if actor.role == Role.ORGANISATION_ADMIN and actor.organisation_id:
        return Q(organisation_id=actor.organisation_id)
    return scoping.NOTHING


def sees_tickets(actor: User | None) -> bool:
    return ticket_q(actor) != scoping.NOTHING


def may_file(actor: User | None) -> bool:
    return is_active_user(actor) and actor.role == Role.ORGANISATION_ADMIN and bool(actor.organisation_id)


def is_handler(actor: User, ticket: Any) -> bool:
    """The department's side: its officers, or the commander."""
    return is_commander(actor) or (
        is_active_user(actor)
        and actor.role == Role.DEPARTMENT_OFFICER
        and actor.department_id is not None
        and actor.department_id == ticket.department_id
    )


def is_enterprise(actor: User, ticket: Any) -> bool:
    return may_file(actor) and actor.organisation_id == ticket.organisation_id


def sees_figures(actor: User | None) -> bool:
    return is_commander(actor) or (
        is_active_user(actor) and actor.role == Role.DEPARTMENT_OFFICER and bool(actor.department_id)
    )


def is_commander_of_zone(actor: User | None) -> bool:
    return is_commander(actor)
