"""Writing the audit log. Call these inside the transaction of the write they describe."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from zoneguard.core.context import current_client_address
from zoneguard.core.masking import mask_id_number, mask_phone
from zoneguard.core.retention import delete_in_chunks
from zoneguard.core.services import apply_fields, validate_and_save

from .models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

M = TypeVar("M", bound=models.Model)

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
    actor: User | None,
    actor_name: str = "",
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    organisation_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """`actor` None: no user acted (a system job, a failed sign-in); `actor_name` then names who
    did, as the log shows it ("ZoneGuard" for the platform's own writes)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk or ""
        object_repr = object_repr or str(obj)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk is not None else None,
        actor_name=(actor.get_username() if actor is not None else actor_name)[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        organisation_id=organisation_id,
        detail=dict(detail or {}),
        ip_address=current_client_address(),
    )


def audit_purged(*, model: type[models.Model], before: datetime, records: int, label: Any = None) -> None:
    """Personal data deleted once its keeping time ran out (core.retention): one event per kind
    and run, with the cutoff and the count, and nothing of what was deleted. `label` names what
    went when it is part of the records rather than the records themselves."""
    if records:
        audit_record(
            actor=None,
            actor_name="ZoneGuard",
            action=AuditAction.DELETE,
            object_type=model._meta.label_lower,
            object_repr=str(label or model._meta.verbose_name_plural),
            detail={"purged_before": before.isoformat(), "records": records},
        )


def purge_audited(queryset: models.QuerySet[Any], *, before: datetime, dry_run: bool) -> int:
    """Delete the rows of `queryset` (core.retention.delete_in_chunks) and record the purge; returns
    how many were deleted, or would be."""
    removed = delete_in_chunks(queryset, dry_run=dry_run)
    if not dry_run:
        audit_purged(model=queryset.model, before=before, records=removed)
    return removed


def _organisation_of(instance: models.Model) -> int | None:
    """The organisation a record belongs to, for filtering the log: its `organisation_id`, or what
    the model names with an `audit_organisation_id` attribute (an organisation names itself)."""
    value = getattr(instance, "audit_organisation_id", None)
    return value if value is not None else getattr(instance, "organisation_id", None)


def audited_create(
    *,
    actor: User,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    organisation_id: int | None = None,
    check: Callable[[M], None] | None = None,
) -> M:
    """Set `data` on a new instance (only `fields` are accepted), run `check` on it, validate,
    save, and record the creation with the values it was created with. Call inside the write's
    transaction."""
    fields = tuple(fields)
    apply_fields(instance, data, fields)
    if check is not None:
        check(instance)
    validate_and_save(instance)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=instance,
        organisation_id=organisation_id if organisation_id is not None else _organisation_of(instance),
        detail={"changes": changes_between({}, snapshot(instance, fields))},
    )
    return instance


def audited_update(
    *,
    actor: User,
    instance: M,
    data: Mapping[str, Any],
    fields: Iterable[str],
    organisation_id: int | None = None,
    check: Callable[[M], None] | None = None,
) -> dict[str, list[Any]]:
    """Apply `data` (only `fields` may change), run `check` on the changed instance, validate, save,
    and record what changed (nothing is recorded when nothing changed). Returns the changes.
    Call inside the write's transaction."""
    fields = tuple(fields)
    before = snapshot(instance, fields)
    apply_fields(instance, data, fields)
    if check is not None:
        check(instance)
    validate_and_save(instance)
    changes = changes_between(before, snapshot(instance, fields))
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=instance,
            organisation_id=organisation_id
            if organisation_id is not None
            else getattr(instance, "organisation_id", None),
            detail={"changes": changes},
        )
    return changes


def audit_personal_read(
    *, actor: User, obj: models.Model, fields: Iterable[str], purpose: str = "", organisation_id: int | None = None
) -> AuditEvent:
    """Every display or export of unmasked personal data leaves a row."""
    return audit_record(
        actor=actor,
        action=AuditAction.READ_PERSONAL,
        obj=obj,
        organisation_id=organisation_id,
        detail={"fields": sorted(fields), "purpose": purpose},
    )


def audit_export_download(*, job: Any, actor: User, **kwargs: Any) -> None:
    """core.events.export_downloaded receiver: a background export left the platform."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=job,
        detail={
            "kind": job.kind,
            "filters": job.params,
            "rows": job.rows,
            "format": job.format,
            "purpose": job.purpose,
            "downloaded": True,
        },
    )
