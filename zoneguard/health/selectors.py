"""Reads of the health module. A person's current status is their latest verified declaration."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from zoneguard.core.errors import NotFound
from zoneguard.registry import scoping

from .models import Declaration


def _latest_verified() -> QuerySet[Declaration]:
    return Declaration.objects.filter(person=OuterRef("pk"), identity_verified=True).order_by("-declared_at", "-id")


def status_annotations() -> dict[str, Any]:
    """Annotations for a Person queryset giving the current status in the same query:
    `health_status`, `health_reasons`, `health_valid_until` (all None without a declaration)."""
    latest = _latest_verified()
    return {
        "health_status": Subquery(latest.values("status")[:1]),
        "health_reasons": Subquery(latest.values("reasons")[:1]),
        "health_valid_until": Subquery(latest.values("valid_until")[:1]),
    }


def current_declaration(*, person_id: int) -> Declaration | None:
    return (
        Declaration.objects.filter(person_id=person_id, identity_verified=True).order_by("-declared_at", "-id").first()
    )


def declaration_by_card(code: str) -> Declaration:
    """For the public status card page: the card code is the credential."""
    declaration = Declaration.objects.filter(card_code=code).select_related("site").first() if code else None
    if declaration is None:
        raise NotFound()
    return declaration


def declaration_scope_q(actor: Any) -> Q:
    """Declarations made at the actor's sites, or by people the actor sees through memberships."""
    if scoping.is_commander(actor):
        return Q()
    site_q = scoping.organisation_q(actor, "site__organisation")
    people = scoping.people_q(actor)
    if site_q == scoping.NOTHING and people == scoping.NOTHING:
        return scoping.NOTHING
    by_people = Q(person__in=_people_subquery(actor)) if people != scoping.NOTHING else scoping.NOTHING
    return site_q | by_people


def _people_subquery(actor: Any) -> Any:
    from zoneguard.registry.models import Person

    return Person.objects.filter(scoping.people_q(actor)).values("pk")


def declaration_list(
    *,
    actor: Any,
    site_id: int | None = None,
    status: str = "",
    day: date | None = None,
    person_id: int | None = None,
    unverified: bool | None = None,
) -> QuerySet[Declaration]:
    qs = Declaration.objects.filter(declaration_scope_q(actor)).select_related("person", "site", "site__organisation")
    if site_id:
        qs = qs.filter(site_id=site_id)
    if status:
        qs = qs.filter(status=status)
    if day:
        qs = qs.filter(declared_at__date=day)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if unverified is not None:
        qs = qs.filter(identity_verified=not unverified)
    return qs.order_by("-declared_at", "-id")


def declaration_access(*, actor: Any, pk: int) -> Declaration:
    declaration = (
        Declaration.objects.filter(declaration_scope_q(actor), pk=pk)
        .select_related("person", "site", "site__organisation")
        .first()
    )
    if declaration is None:
        raise NotFound()
    return declaration
