"""Who to tell: the recipient groups other modules notify."""

from __future__ import annotations

from django.db.models import QuerySet

from zoneguard.core.roles import Role

from .models import ApiToken, User


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def commanders() -> QuerySet[User]:
    return active_users().filter(role=Role.COMMANDER)


def duty_officers() -> QuerySet[User]:
    """The zone's duty officers; when nobody is marked on duty, the commanders stand in."""
    on_duty = active_users().filter(is_duty_officer=True)
    return on_duty if on_duty.exists() else commanders()


def organisation_admins(*, organisation_id: int) -> QuerySet[User]:
    return active_users().filter(role=Role.ORGANISATION_ADMIN, organisation_id=organisation_id)


def department_officers(*, department_id: int) -> QuerySet[User]:
    return active_users().filter(role=Role.DEPARTMENT_OFFICER, department_id=department_id)


def token_list(*, actor: User) -> QuerySet[ApiToken]:
    qs = ApiToken.objects.select_related("user", "site")
    if actor.is_commander:
        return qs
    return qs.filter(user=actor)
