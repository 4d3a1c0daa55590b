"""Reads of the health module. A person's current status is their latest verified declaration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.core.dates import day_bounds
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.registry import scoping
from zoneguard.registry.models import Site

from .models import Declaration, HealthStatus, Restriction


def current_declaration(*, person_id: int) -> Declaration | None:
    return (
        Declaration.objects.filter(person_id=person_id, identity_verified=True).order_by("-declared_at", "-id").first()
    )


def status_in_effect(declaration: Declaration | None, *, now: datetime) -> bool:
    """Whether the gates apply the declaration's status now (gates.decisions): until its validity,
    a red until the person declares again, none once an officer ended it early."""
    if declaration is None or declaration.cleared_at is not None:
        return False
    return declaration.status == HealthStatus.RED or declaration.valid_until > now


def status_in_force(declaration: Declaration | None, *, now: datetime) -> bool:
    """Whether a red or yellow still holds the declaration's person at the gates."""
    return (
        declaration is not None and declaration.status != HealthStatus.GREEN and status_in_effect(declaration, now=now)
    )


def declaration_by_card(code: str) -> Declaration:
    """For the public status card page: the card code is the credential."""
    declaration = Declaration.objects.filter(card_code=code).select_related("site").first() if code else None
    if declaration is None:
        raise NotFound()
    return declaration


# What else holds a person at every gate, said on their card: person id → a sentence per hold in
# force. The gates register their fever holds (gates/apps.py).
HoldSource = Callable[[int], list[str]]
_hold_sources: dict[str, HoldSource] = {}


def register_hold_source(name: str, source: HoldSource) -> None:
    _hold_sources[name] = source


def holds_in_force(declaration: Declaration) -> list[str]:
    """What holds the declaring person at the gates now whatever the declaration says (an
    officer's restriction, a fever not yet re-tested), one sentence each, so that their card says
    so too. Only for a declaration whose name matched the person registered under the ID number:
    the public form never tells anyone else about a person."""
    if not declaration.identity_verified:
        return []
    restrictions = Restriction.objects.filter(person_id=declaration.person_id, released_at=None).order_by("started_at")
    holds = [
        _("%(hold)s: no gate lets you in until an officer releases you.") % {"hold": r.get_kind_display()}
        for r in restrictions
    ]
    for source in _hold_sources.values():
        holds += source(declaration.person_id)
    return holds


def declaration_by_card_or_none(code: str) -> Declaration | None:
    """The declaration a phone remembers (health/views.py), with the person it was recorded for."""
    return Declaration.objects.filter(card_code=code).select_related("person").first() if code else None


def declaration_scope_q(actor: User) -> Q:
    """Declarations made at the actor's sites: what a person declared at another organisation's
    gate stays with that organisation, even when both employ them."""
    if scoping.is_commander(actor):
        return Q()
    # The scope's sites first, so that a declaration is matched on its own site column (the index
    # on site and time) rather than through a join to the site's organisation.
    return Q(site_id__in=Site.objects.filter(scoping.organisation_q(actor, "organisation")).values("id"))


def declaration_list(
    *,
    actor: User,
    site_id: int | None = None,
    status: str = "",
    day: date | None = None,
    person_id: int | None = None,
    unverified: bool | None = None,
) -> QuerySet[Declaration]:
    qs = (
        Declaration.objects.filter(declaration_scope_q(actor))
        .select_related("person", "site", "site__organisation")
        .annotate(held=Exists(Restriction.objects.filter(person_id=OuterRef("person_id"), released_at=None)))
    )
    qs = filter_given(qs, site_id=site_id, status=status, person_id=person_id)
    if day:
        start, end = day_bounds(day)
        qs = qs.filter(declared_at__gte=start, declared_at__lt=end)
    if unverified is not None:
        qs = qs.filter(identity_verified=not unverified)
    return qs.order_by("-declared_at", "-id")


def declaration_access(*, actor: User, pk: int) -> Declaration:
    declaration = (
        Declaration.objects.filter(declaration_scope_q(actor), pk=pk)
        .select_related("person", "site", "site__organisation")
        .first()
    )
    if declaration is None:
        raise NotFound()
    return declaration
