"""Fever alerts: taken in charge, re-tested and closed by those responsible for the site or the zone.

A fever holds the person at every gate (checkins.py, decisions.py) until the alert is released:
by a normal re-test once the alert is closed, or by a normal re-test taken after the observation
period (settings.FEVER_OBSERVATION_MINUTES) — a reading after rest, not seconds after the first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.roles import Role
from zoneguard.health.services import parse_temperature
from zoneguard.registry import scoping

from ..models import AlertStatus, FeverAlert, FeverRetest, RetestMethod


def can_handle_alert(actor: User, alert: FeverAlert) -> bool:
    if scoping.is_commander(actor) or actor.is_duty_officer:
        return True
    return (
        actor.role in {Role.ORGANISATION_ADMIN, Role.GATE_OFFICER}
        and actor.organisation_id is not None
        and actor.organisation_id in {alert.organisation_id, getattr(alert.organisation, "parent_id", None)}
    )


def _locked(alert: FeverAlert) -> FeverAlert:
    """The alert's row, locked until the transaction ends. Its state is checked on this row, not on
    the instance the caller loaded: two people taking the same alert in charge, or closing it, at
    once would otherwise both pass the check, and the second overwrite the first."""
    return FeverAlert.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=alert.pk)


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: FeverAlert) -> FeverAlert:
    alert = _locked(alert)
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
def alert_close(*, actor: User, alert: FeverAlert, note: str = "") -> FeverAlert:
    alert = _locked(alert)
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
    _release_if_due(alert, now)
    alert.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=alert,
        organisation_id=alert.organisation_id,
        detail={"status": AlertStatus.CLOSED, "note": alert.note, "released": alert.released_at is not None},
    )
    return alert


def _release_if_due(alert: FeverAlert, now: datetime) -> None:
    """Release the person (from `now`) when a normal re-test allows it; call before saving."""
    if alert.released_at is not None:
        return
    observed = alert.checked_at + timedelta(minutes=settings.FEVER_OBSERVATION_MINUTES)
    normal = [retest for retest in alert.retests.all() if retest.is_normal]
    if any(alert.status == AlertStatus.CLOSED or retest.measured_at >= observed for retest in normal):
        alert.released_at = now


@transaction.atomic
def alert_retest(
    *, actor: User, alert: FeverAlert, temperature: Any, method: str, measured_at: datetime | None = None
) -> FeverRetest:
    """Record a second measurement after rest. A normal one releases the person at once when the
    alert is closed or the observation period had passed when it was taken; a fever again keeps
    them held (and may be recorded on a closed alert too: the person is still refused)."""
    if not can_handle_alert(actor, alert):
        raise Forbidden()
    now = timezone.now()
    measured_at = measured_at or now
    if timezone.is_naive(measured_at):
        measured_at = timezone.make_aware(measured_at)
    reading = parse_temperature(temperature)
    if reading is None:
        raise InvalidInput.for_field("temperature", _("Enter the temperature measured."))
    if method not in RetestMethod.values:
        raise InvalidInput.for_field("method", _("Choose how the temperature was measured."))
    if measured_at < alert.checked_at:
        raise InvalidInput.for_field("measured_at", _("A re-test comes after the fever it checks."))
    if measured_at > now + timedelta(minutes=5):
        raise InvalidInput.for_field("measured_at", _("The time lies in the future."))
    alert = _locked(alert)
    retest = FeverRetest.objects.create(
        alert=alert, temperature=reading, method=method, measured_at=measured_at, recorded_by=actor
    )
    _release_if_due(alert, now)
    alert.save(update_fields=["released_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=alert,
        organisation_id=alert.organisation_id,
        detail={
            "retest": {"temperature": str(reading), "method": method, "measured_at": measured_at.isoformat()},
            "released": alert.released_at is not None,
        },
    )
    return retest
