"""Who may do what in the tax services.

- Tax officers are the department officers of the tax department (settings.TAX_DEPARTMENT_CODE);
  they see the taxpayers their department serves (CompetenceRule, in practice every one), run the
  policy library and the hall, decide deferrals, and may act for any taxpayer (bookings by phone).
- An enterprise acts through its organisation admins and sees only its own bookings, applications
  and questions (and those of the organisations it is parent of, as everywhere in ZoneGuard).
- The commander reads everything; other roles (other departments included: tax affairs are
  confidential) see nothing."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from zoneguard.accounts.models import User
from zoneguard.core.errors import Forbidden
from zoneguard.core.roles import Role, is_active_user
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation, OrganisationKind

NOTHING = Q(pk__in=[])


def is_tax_officer(actor: User | None) -> bool:
    if not is_active_user(actor) or actor.role != Role.DEPARTMENT_OFFICER or not actor.department_id:
        return False
    cached = getattr(actor, "_zoneguard_tax_officer", None)
    if cached is None:
        from zoneguard.registry.models import Department

        cached = Department.objects.filter(pk=actor.department_id, code=settings.TAX_DEPARTMENT_CODE).exists()
        actor._zoneguard_tax_officer = cached  # type: ignore[attr-defined]
    return bool(cached)


def can_administer(actor: User | None) -> bool:
    """Edit policies, run the hall, decide deferrals, answer questions."""
    return is_tax_officer(actor) or bool(is_active_user(actor) and actor.is_superuser)


def is_enterprise_user(actor: User | None) -> bool:
    return is_active_user(actor) and actor.role == Role.ORGANISATION_ADMIN and bool(actor.organisation_id)


def uses_tax_services(actor: User | None) -> bool:
    return is_active_user(actor) and (scoping.is_commander(actor) or is_tax_officer(actor) or is_enterprise_user(actor))


def taxpayer_q(actor: User, path: str = "organisation") -> Q:
    """Rows reaching an organisation through `path` that the actor may see in the tax services."""
    if not uses_tax_services(actor):
        return NOTHING
    return scoping.organisation_q(actor, path, served=True)


def is_taxpayer(organisation: Organisation) -> bool:
    return organisation.is_active and organisation.kind != OrganisationKind.COMMUNITY


def taxpayers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).exclude(kind=OrganisationKind.COMMUNITY)


def can_act_for(actor: User, organisation: Organisation) -> bool:
    """Book, apply, ask and keep the tax profile for this taxpayer."""
    if not is_taxpayer(organisation):
        return False
    if is_enterprise_user(actor):
        return scoping.can_manage_organisation(actor, organisation)
    if can_administer(actor):
        return scoping.is_commander(actor) or scoping.is_competent_for(
            actor, kind=organisation.kind, sector_id=organisation.sector_id, served=True
        )
    return False


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def require_user(actor: User) -> None:
    require(uses_tax_services(actor))


def require_administrator(actor: User) -> None:
    require(can_administer(actor))
