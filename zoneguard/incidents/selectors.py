"""Reads of incidents. Who sees an incident: its reporter; the commanders and duty officers (the
whole zone); everyone whose scope holds the organisation concerned."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zoneguard.accounts.models import User
from zoneguard.core.errors import NotFound
from zoneguard.core.querysets import filter_given
from zoneguard.core.roles import is_active_user
from zoneguard.registry import scoping

from .models import SYSTEM, Incident, IncidentAction


def visible_q(actor: User) -> Q:
    if not is_active_user(actor):
        return scoping.NOTHING
    if scoping.is_commander(actor) or actor.is_duty_officer:
        return Q()
    return scoping.organisation_q(actor, "organisation") | Q(reported_by=actor)


def incident_list(
    *, actor: User, status: str = "", kind: str = "", organisation_id: int | None = None
) -> QuerySet[Incident]:
    qs = Incident.objects.filter(visible_q(actor)).select_related("organisation", "site", "site__organisation")
    qs = filter_given(qs, status=status, kind=kind, organisation_id=organisation_id)
    return qs.order_by("-reported_at", "-id")


def incident_access(*, actor: User, pk: int) -> Incident:
    incident = (
        Incident.objects.filter(visible_q(actor), pk=pk)
        .select_related("organisation", "site", "site__organisation", "person", "reported_by", "acknowledged_by")
        .first()
    )
    if incident is None:
        raise NotFound()
    return incident


def open_count(*, actor: User) -> int:
    return Incident.objects.filter(visible_q(actor)).exclude(status="closed").count()


def reporter_name(incident: Incident) -> str:
    """Who reported the incident: their account's name, or the name its report was taken down
    under when no account made it (a volunteer's call); "" when ZoneGuard raised it itself."""
    if incident.reported_by is not None:
        return incident.reported_by.display_name
    first = incident.events.filter(action=IncidentAction.REPORTED).order_by("at", "id").first()
    return "" if first is None or first.actor_name == SYSTEM else first.actor_name
