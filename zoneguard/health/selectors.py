"""Reads of the health module. A person's current status is their latest verified declaration."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Func, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject

from zoneguard.core.errors import NotFound
from zoneguard.registry import scoping

from .models import Declaration


def _latest_verified() -> QuerySet[Declaration]:
    return Declaration.objects.filter(person=OuterRef("pk"), identity_verified=True).order_by("-declared_at", "-id")


class _Embedded(Func):
    """A JSON column as JSON inside JSON_OBJECT(): SQLite would otherwise embed its text as a
    string, to be decoded a second time for every person of a 1,000-item upload. PostgreSQL's
    jsonb is embedded as it is."""

    template = "%(expressions)s"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="JSON(%(expressions)s)", **extra_context)


def status_annotations() -> dict[str, Any]:
    """An annotation for a Person queryset giving the current status in the same query: `health`, the
    latest verified declaration's status, reasons and validity as one JSON object (one index probe
    per person, where a subquery per column made three), None without a declaration. Read it with
    `health_state`."""
    health = JSONObject(status="status", reasons=_Embedded("reasons"), valid_until="valid_until")
    return {"health": Subquery(_latest_verified().values(health=health)[:1])}


def health_state(health: dict[str, Any] | str | None) -> tuple[str | None, list[Any], datetime | None]:
    """(status, reasons, valid until) from the `health` annotation, converted by the ORM (a dict)
    or as the database returned it (its JSON text)."""
    state: dict[str, Any] | None = json.loads(health) if isinstance(health, str) else health
    if not state:
        return None, [], None
    reasons = state["reasons"]
    valid_until = state["valid_until"]
    if valid_until is not None:
        valid_until = datetime.fromisoformat(valid_until)
        if valid_until.tzinfo is None:  # SQLite stores UTC without an offset
            valid_until = valid_until.replace(tzinfo=UTC)
    return state["status"], list(reasons or []), valid_until


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


def declaration_by_card_or_none(code: str) -> Declaration | None:
    """The declaration a phone remembers (health/views.py), with the person it was recorded for."""
    return Declaration.objects.filter(card_code=code).select_related("person").first() if code else None


def declaration_scope_q(actor: Any) -> Q:
    """Declarations made at the actor's sites: what a person declared at another organisation's
    gate stays with that organisation, even when both employ them."""
    if scoping.is_commander(actor):
        return Q()
    return scoping.organisation_q(actor, "site__organisation")


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
