"""Reads shared by the tax services' areas."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import active_users
from zoneguard.core.errors import NotFound
from zoneguard.core.roles import Role
from zoneguard.registry.models import Organisation

from .. import access
from ..models import Hall, TaxType


def tax_officers() -> QuerySet[User]:
    """Who is told about questions and deferral applications."""
    return active_users().filter(role=Role.DEPARTMENT_OFFICER, department__code=settings.TAX_DEPARTMENT_CODE)


def taxpayer_access(*, actor: User, pk: int) -> Organisation:
    """A taxpayer the actor may see in the tax services, or NotFound."""
    organisation = (
        Organisation.objects.filter(access.taxpayer_q(actor, ""), pk=pk).select_related("sector").first()
        if access.uses_tax_services(actor)
        else None
    )
    if organisation is None or not access.is_taxpayer(organisation):
        raise NotFound()
    return organisation


def taxpayer_choices(*, actor: User) -> QuerySet[Organisation]:
    """The taxpayers the actor may act for (their own organisations, or all for a tax officer)."""
    qs = access.taxpayers().filter(access.taxpayer_q(actor, "")).order_by("name_key", "id")
    return qs if access.can_administer(actor) else qs.filter(pk__in=[o.pk for o in qs if access.can_act_for(actor, o)])


def hall_list() -> QuerySet[Hall]:
    return Hall.objects.filter(is_active=True).order_by("name", "id")


def hall_access(*, actor: User, pk: int | None = None) -> Hall:
    """The hall with this id, or the first open hall when none is named."""
    access.require_user(actor)
    hall = hall_list().filter(pk=pk).first() if pk else hall_list().first()
    if hall is None:
        raise NotFound()
    return hall


def tax_types(*, active_only: bool = True) -> QuerySet[TaxType]:
    qs = TaxType.objects.all()
    return qs.filter(is_active=True) if active_only else qs
