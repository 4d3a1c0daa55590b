"""Fever alerts: taken in charge and closed by those responsible for the site or the zone."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Conflict, Forbidden
from zoneguard.core.roles import Role
from zoneguard.registry import scoping

from ..models import AlertStatus, FeverAlert


def can_handle_alert(actor: Any, alert: FeverAlert) -> bool:
    if scoping.is_commander(actor) or getattr(actor, "is_duty_officer", False):
        return True
    return (
        getattr(actor, "role", None) in {Role.ORGANISATION_ADMIN, Role.GATE_OFFICER}
        and actor.organisation_id is not None
        and actor.organisation_id in {alert.organisation_id, getattr(alert.organisation, "parent_id", None)}
    )


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: FeverAlert) -> FeverAlert:
    if not can_handle_alert(actor, alert):
        raise Forbidden()
    if alert.status != AlertStatus.OPEN:
        raise Conflict(_("This alert was already taken in charge."), code="alert_not_open")
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=alert,
        organisation_id=alert.organisation_id,
        detail={"status": AlertStatus.ACKNOWLEDGED},
    )
    return alert


@transaction.atomic
def alert_close(*, actor: Any, alert: FeverAlert, note: str = "") -> FeverAlert:
    if not can_handle_alert(actor, alert):
        raise Forbidden()
    if alert.status == AlertStatus.CLOSED:
        raise Conflict(_("This alert is already closed."), code="alert_closed")
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = actor, now
    alert.status = AlertStatus.CLOSED
    alert.closed_by = actor
    alert.closed_at = now
    alert.note = (note or "").strip()[:2000]
    alert.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=alert,
        organisation_id=alert.organisation_id,
        detail={"status": AlertStatus.CLOSED, "note": alert.note},
    )
    return alert
