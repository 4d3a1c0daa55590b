"""Writes of incidents: report (by a person or automatically from a fever at a gate), acknowledge,
record actions, close, and escalate the unacknowledged ones to the commanders."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import commanders, duty_officers, organisation_admins
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.roles import is_active_user
from zoneguard.core.services import validate_and_save
from zoneguard.notifications.models import NotificationKind
from zoneguard.notifications.services import notify
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation, Person, Site

from .models import (
    SYSTEM,
    EscalationDelay,
    Incident,
    IncidentAction,
    IncidentEvent,
    IncidentKind,
    IncidentStatus,
    Severity,
)
from .selectors import visible_q

# The same answer for an organisation or site that does not exist and one out of the reporter's scope.
CHOOSE_ORGANISATION = gettext_lazy("Choose an organisation you can see.")
CHOOSE_SITE = gettext_lazy("Choose a checkpoint site you can see.")


def can_handle(actor: User, incident: Incident) -> bool:
    """Acknowledge and close: the commanders, the duty officers, and the officers competent for
    the organisation concerned."""
    if not is_active_user(actor):
        return False
    if scoping.is_commander(actor) or actor.is_duty_officer:
        return True
    organisation = incident.organisation
    return organisation is not None and scoping.is_competent_for(
        actor, kind=organisation.kind, sector_id=organisation.sector_id
    )


def _event(incident: Incident, *, actor: User | None, action: str, note: str = "") -> IncidentEvent:
    """`actor` None: ZoneGuard itself (the gate's fever alerts, escalation)."""
    return IncidentEvent.objects.create(
        incident=incident,
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.display_name if actor is not None else SYSTEM,
        note=note,
    )


def _link(incident: Incident) -> str:
    return f"/incidents/{incident.pk}/"


def _where(incident: Incident) -> str:
    parts = [str(incident.site) if incident.site else (incident.organisation.name if incident.organisation else "")]
    if incident.location:
        parts.append(incident.location)
    return " · ".join(p for p in parts if p) or "—"


def _alert_recipients(incident: Incident) -> list[Any]:
    recipients = list(duty_officers())
    if incident.organisation_id:
        recipients += list(organisation_admins(organisation_id=incident.organisation_id))
    return recipients


def _announce(incident: Incident) -> None:
    notify(
        recipients=_alert_recipients(incident),
        kind=NotificationKind.INCIDENT,
        title=gettext_lazy("Emergency: %(title)s"),
        body=gettext_lazy("%(kind)s, severity %(severity)s, at %(where)s. Acknowledge it at once."),
        params={
            "title": incident.title,
            "kind": IncidentKind(incident.kind).label,
            "severity": Severity(incident.severity).label,
            "where": _where(incident),
        },
        link=_link(incident),
        source=incident,
    )


@transaction.atomic
def incident_report(
    *,
    actor: User,
    kind: str,
    title: str,
    severity: str = Severity.HIGH,
    description: str = "",
    organisation: Organisation | None = None,
    site: Site | None = None,
    location: str = "",
    person: Person | None = None,
    people_involved: str = "",
    temperature: Decimal | None = None,
    occurred_at: datetime | None = None,
) -> Incident:
    """Anyone with an account reports an emergency wherever they see it, against an organisation or
    site of their own scope, or by saying where; the duty officers and the organisation's
    administrators are told at once."""
    if not is_active_user(actor):
        raise Forbidden()
    if organisation is not None and not scoping.can_see_organisation(actor, organisation):
        raise InvalidInput.for_field("organisation_id", str(CHOOSE_ORGANISATION))
    if site is not None and not Site.objects.filter(scoping.organisation_q(actor, "organisation"), pk=site.pk).exists():
        raise InvalidInput.for_field("site_id", str(CHOOSE_SITE))
    if site is not None:
        if organisation is None:
            organisation = site.organisation
        elif site.organisation_id != organisation.pk:
            raise InvalidInput.for_field("site_id", _("The site does not belong to this organisation."))
    if person is not None and not Person.objects.filter(scoping.people_q(actor), pk=person.pk).exists():
        raise InvalidInput.for_field("person_id", _("Choose a person you can see."))
    if organisation is None and not location.strip():
        raise InvalidInput.for_field("location", _("Say where it happened."))
    now = timezone.now()
    if occurred_at is not None and occurred_at > now + timedelta(minutes=5):
        raise InvalidInput.for_field("occurred_at", _("The time lies in the future."))
    incident = Incident(
        kind=kind,
        severity=severity,
        title=(title or "").strip(),
        description=description,
        organisation=organisation,
        site=site,
        location=location.strip(),
        person=person,
        people_involved=people_involved,
        temperature=temperature,
        occurred_at=occurred_at or now,
        reported_by=actor,
    )
    validate_and_save(incident)
    _event(incident, actor=actor, action=IncidentAction.REPORTED, note=description)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=incident,
        organisation_id=incident.organisation_id,
        detail={"kind": kind, "severity": severity},
    )
    _announce(incident)
    return incident


@transaction.atomic
def incident_from_fever(
    *,
    alert: Any,
    organisation_id: int,
    site_id: int | None,
    person_id: int | None,
    temperature: Decimal,
    checked_at: datetime,
) -> Incident | None:
    """Open an incident for a fever alert of a gate; the same alert never opens two."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    site = Site.objects.filter(pk=site_id, organisation_id=organisation_id).first() if site_id else None
    where = str(site) if site else (organisation.name if organisation else "")
    # No second message: the gate has just told the duty officers and the organisation's
    # administrators about this fever. The incident carries the escalation if nobody acts.
    return incident_raise(
        source=alert,
        kind=IncidentKind.FEVER,
        title=_("Fever %(temperature)s °C at %(where)s") % {"temperature": temperature, "where": where},
        organisation=organisation,
        site=site,
        person_id=person_id,
        temperature=temperature,
        occurred_at=checked_at,
        note=_("Raised automatically by the gate."),
        announce=False,
    )


@transaction.atomic
def incident_raise(
    *,
    source: Any,
    kind: str,
    title: str,
    organisation: Organisation | None,
    site: Site | None = None,
    person_id: int | None = None,
    temperature: Decimal | None = None,
    occurred_at: datetime,
    note: str,
    description: str = "",
    announce: bool = True,
) -> Incident | None:
    """An incident ZoneGuard opens itself, from an event of another module (a gate's fever alert,
    a fever at a home-isolation follow-up); the same source never opens two. `announce` tells the
    duty officers and the organisation's administrators."""
    source_type = source._meta.label_lower if hasattr(source, "_meta") else type(source).__name__[:60]
    source_id = str(getattr(source, "pk", None) or getattr(source, "id", None) or "")
    if source_id and Incident.objects.filter(source_type=source_type, source_id=source_id).exists():
        return None
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    incident = Incident(
        kind=kind,
        severity=Severity.HIGH,
        title=title[:200],
        description=description,
        organisation=organisation,
        site=site,
        person=person,
        temperature=Decimal(str(temperature)).quantize(Decimal("0.1")) if temperature is not None else None,
        occurred_at=occurred_at,
        source_type=source_type,
        source_id=source_id,
    )
    validate_and_save(incident)
    _event(incident, actor=None, action=IncidentAction.REPORTED, note=note)
    audit_record(
        actor=None,
        actor_name=SYSTEM,
        action=AuditAction.CREATE,
        obj=incident,
        organisation_id=organisation.pk if organisation else None,
        detail={"kind": kind, "source": f"{source_type}#{source_id}"},
    )
    if announce:
        _announce(incident)
    return incident


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=incident.pk)


@transaction.atomic
def incident_acknowledge(*, actor: User, incident: Incident, note: str = "") -> Incident:
    incident = _locked(incident)
    if not can_handle(actor, incident):
        raise Forbidden(_("Only the duty officers and the competent department acknowledge incidents."))
    if incident.status != IncidentStatus.OPEN:
        raise Conflict(_("This incident was already acknowledged."), code="incident_acknowledged")
    incident.status = IncidentStatus.ACKNOWLEDGED
    incident.acknowledged_at = timezone.now()
    incident.acknowledged_by = actor
    incident.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    _event(incident, actor=actor, action=IncidentAction.ACKNOWLEDGED, note=note)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=incident, organisation_id=incident.organisation_id)
    return incident


@transaction.atomic
def incident_note(*, actor: User, incident: Incident, note: str) -> IncidentEvent:
    """Record an action taken (isolation, disinfection, transfer to hospital ...)."""
    incident = _locked(incident)
    if not Incident.objects.filter(visible_q(actor), pk=incident.pk).exists():
        raise Forbidden()
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict(_("This incident is closed."), code="incident_closed")
    if not note.strip():
        raise InvalidInput.for_field("note", _("Say what was done."))
    event = _event(incident, actor=actor, action=IncidentAction.ACTION, note=note.strip())
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=incident,
        organisation_id=incident.organisation_id,
        detail={"action": note.strip()[:200]},
    )
    return event


@transaction.atomic
def incident_close(*, actor: User, incident: Incident, resolution: str) -> Incident:
    incident = _locked(incident)
    if not can_handle(actor, incident):
        raise Forbidden(_("Only the duty officers and the competent department close incidents."))
    if incident.status == IncidentStatus.CLOSED:
        raise Conflict(_("This incident is closed."), code="incident_closed")
    if not resolution.strip():
        raise InvalidInput.for_field("resolution", _("Say how it was resolved."))
    now = timezone.now()
    if incident.acknowledged_at is None:
        incident.acknowledged_at, incident.acknowledged_by = now, actor
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = now
    incident.resolution = resolution.strip()
    incident.save(update_fields=["status", "closed_at", "resolution", "acknowledged_at", "acknowledged_by"])
    _event(incident, actor=actor, action=IncidentAction.CLOSED, note=incident.resolution)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=incident, organisation_id=incident.organisation_id)
    return incident


def escalation_delays() -> dict[str, timedelta]:
    """Per severity: the commander's setting, else ZONEGUARD_INCIDENT_ESCALATION_MINUTES."""
    configured = dict(EscalationDelay.objects.values_list("severity", "minutes"))
    return {
        severity: timedelta(minutes=configured.get(severity, settings.INCIDENT_ESCALATION_MINUTES))
        for severity in Severity.values
    }


@transaction.atomic
def escalation_delays_set(*, actor: User, minutes: dict[str, int]) -> None:
    if not scoping.is_commander(actor):
        raise Forbidden()
    for severity, value in minutes.items():
        if severity not in Severity.values:
            raise InvalidInput.for_field(severity, _("Unknown severity."))
        row = EscalationDelay.objects.filter(severity=severity).first() or EscalationDelay(severity=severity)
        row.minutes = value
        validate_and_save(row)
    audit_record(actor=actor, action=AuditAction.UPDATE, object_type="incidents.escalationdelay", detail=minutes)


def _handled_at_source(incident: Incident) -> bool:
    """An incident raised from another module's record (a gate's fever alert) counts as
    acknowledged once that record was acknowledged or closed where it was raised."""
    if "." not in incident.source_type or not incident.source_id:
        return False
    try:
        model = apps.get_model(incident.source_type)
    except (LookupError, ValueError):
        return False
    if not any(f.name == "status" for f in model._meta.get_fields()):
        return False
    status = model._default_manager.filter(pk=incident.source_id).values_list("status", flat=True).first()
    return status not in (None, "", "open")


def escalate_due(*, now: datetime | None = None) -> int:
    """Escalate to the commanders every incident still unacknowledged after the escalation delay.
    Idempotent and safe under concurrent runs: the conditional update on `escalated_at` lets
    exactly one run escalate each incident."""
    now = now or timezone.now()
    overdue = Q(pk__in=[])
    for severity, delay in escalation_delays().items():
        overdue |= Q(severity=severity, reported_at__lte=now - delay)
    due = (
        Incident.objects.filter(status=IncidentStatus.OPEN, escalated_at__isnull=True)
        .filter(overdue)
        .values_list("pk", flat=True)
    )
    escalated = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Incident.objects.filter(pk=pk, status=IncidentStatus.OPEN, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not claimed:
                continue
            incident = Incident.objects.select_related("organisation", "site").get(pk=pk)
            if _handled_at_source(incident):
                Incident.objects.filter(pk=pk).update(
                    status=IncidentStatus.ACKNOWLEDGED, acknowledged_at=now, escalated_at=None
                )
                _event(incident, actor=None, action=IncidentAction.ACKNOWLEDGED, note=_("Acknowledged at the gate."))
                continue
            minutes = int((now - incident.reported_at).total_seconds() // 60)
            _event(
                incident,
                actor=None,
                action=IncidentAction.ESCALATED,
                note=_("Not acknowledged after %(minutes)s minutes.") % {"minutes": minutes},
            )
            notify(
                recipients=commanders(),
                kind=NotificationKind.INCIDENT,
                title=gettext_lazy("Escalated: %(title)s not acknowledged"),
                body=gettext_lazy("%(kind)s at %(where)s, reported %(minutes)s minutes ago, is not acknowledged."),
                params={
                    "title": incident.title,
                    "kind": IncidentKind(incident.kind).label,
                    "where": _where(incident),
                    "minutes": minutes,
                },
                link=_link(incident),
                source=incident,
            )
            escalated += 1
    return escalated
