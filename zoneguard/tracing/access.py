"""Who may trace contacts, and over which sites (through registry.scoping, like every module).

- the commander, and the officers of the departments that run epidemic control (TracingDuty,
  data the commander edits), trace across the whole zone;
- an organisation admin traces within their own organisations' sites (an enterprise's gates, the
  investment group's building sites): presences elsewhere are not theirs to see;
- anyone else traces nothing."""

from __future__ import annotations

from zoneguard.accounts.models import User
from zoneguard.core.roles import Role, is_active_user, is_commander
from zoneguard.registry import scoping
from zoneguard.registry.models import Site

from .models import TracingDuty


def _has_duty(actor: User, **conditions: bool) -> bool:
    """The commander, or an officer of a department with an active tracing duty (meeting `conditions`)."""
    if is_commander(actor):
        return True
    return bool(
        is_active_user(actor)
        and actor.role == Role.DEPARTMENT_OFFICER
        and actor.department_id
        and TracingDuty.objects.filter(department_id=actor.department_id, is_active=True, **conditions).exists()
    )


def traces_whole_zone(actor: User) -> bool:
    return _has_duty(actor)


def exports_contacts_in_full(actor: User) -> bool:
    """Whether the actor's exports of a trace give every contact's name, ID number and phone in
    full: the commander, and the officers of a tracing department the zone lets do so."""
    return _has_duty(actor, reads_contacts_in_full=True)


def can_trace(actor: User) -> bool:
    return traces_whole_zone(actor) or (is_active_user(actor) and actor.role == Role.ORGANISATION_ADMIN)


def traced_site_ids(actor: User) -> list[int] | None:
    """The sites whose presences the actor's traces read: None for the whole zone."""
    if traces_whole_zone(actor):
        return None
    if not can_trace(actor):
        return []
    return list(Site.objects.filter(scoping.organisation_q(actor, "organisation")).values_list("id", flat=True))
