"""What the writes of supervision share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from zoneguard.accounts.models import User
from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Forbidden, InvalidInput
from zoneguard.core.roles import Role

# Where notifications lead (the pages of urls.py).
MY_ITEMS = "/supervision/"


def require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden()


def validate(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error


def audit(actor: User | None, obj: Any, action: str, **detail: Any) -> None:
    audit_record(
        actor=actor,
        actor_name="" if actor is not None else "ZoneGuard",
        action=AuditAction.CREATE if action == "create" else AuditAction.UPDATE,
        obj=obj,
        detail={"action": action, **detail},
    )


def is_officer_of(user: Any, department_id: int) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.role == Role.DEPARTMENT_OFFICER
        and user.department_id == department_id
    )
