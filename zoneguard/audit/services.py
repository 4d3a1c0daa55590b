"""Writing the audit log. Call these inside the transaction of the write they describe."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from zoneguard.core.masking import mask_id_number, mask_phone

from .context import current_ip
from .models import AuditAction, AuditEvent

# Values of these fields are written to the log masked: the log must not become a copy of them.
PERSONAL_FIELD_MASKS = {"id_number": mask_id_number, "phone": mask_phone, "contact_phone": mask_phone}


def _loggable(field: str, value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        masker = PERSONAL_FIELD_MASKS.get(field)
        return masker(str(value)) if masker and value else value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values (foreign keys as ids) for `changes_between`."""
    result: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        result[name] = getattr(instance, field.attname) if isinstance(field, models.Field) else getattr(instance, name)
    return result


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        field: [_loggable(field, before.get(field)), _loggable(field, value)]
        for field, value in after.items()
        if before.get(field) != value
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    organisation_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk or ""
        object_repr = object_repr or str(obj)
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else str(actor or ""))[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        organisation_id=organisation_id,
        detail=dict(detail or {}),
        ip_address=current_ip.get(),
    )


def audit_personal_read(
    *, actor: Any, obj: models.Model, fields: Iterable[str], purpose: str = "", organisation_id: int | None = None
) -> AuditEvent:
    """Every display or export of unmasked personal data leaves a row."""
    return audit_record(
        actor=actor,
        action=AuditAction.READ_PERSONAL,
        obj=obj,
        organisation_id=organisation_id,
        detail={"fields": sorted(fields), "purpose": purpose},
    )
