"""User management: deactivate and reactivate, change a role within what the manager may grant,
reset a second factor, set a temporary password. Each change audited; the selector has checked
the manager sees the user, and access.may_manage says whether they may change them."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Forbidden, InvalidInput
from zoneguard.core.roles import Role, is_commander
from zoneguard.registry.models import Department

from .. import access
from ..models import User
from . import second_factor


def _require_manage(actor: User, user: User) -> None:
    if not access.may_manage(actor, user):
        raise Forbidden()


@transaction.atomic
def user_update(*, actor: User, user: User, role: str | None = None, is_active: bool | None = None) -> User:
    """Change a user's role (to one the manager may grant where the user is) and/or whether the
    account is active. Deactivating revokes every token of the user (signals.py)."""
    _require_manage(actor, user)
    user = User.objects.select_for_update(of=("self",)).select_related("organisation", "department").get(pk=user.pk)
    changes: dict[str, list[object]] = {}
    if role is not None and role != user.role:
        if role not in access.roles_for(actor, user):
            raise InvalidInput.for_field("role", _("You cannot give this role here."))
        changes["role"] = [user.role, role]
        user.role = role
    if is_active is not None and is_active != user.is_active:
        changes["is_active"] = [user.is_active, is_active]
        user.is_active = is_active
    if changes:
        user.save(update_fields=[name for name in changes])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=user, organisation_id=user.organisation_id, detail=changes
        )
    return user


@transaction.atomic
def user_second_factor_reset(*, actor: User, user: User) -> User:
    """The user lost their phone: their authenticator and recovery codes are deleted and their
    sessions end; at the next sign-in they set up a new factor."""
    _require_manage(actor, user)
    removed = second_factor.devices_delete(user=user)
    User.objects.filter(pk=user.pk).update(second_factor_generation=F("second_factor_generation") + 1)
    user.refresh_from_db(fields=["second_factor_generation"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        organisation_id=user.organisation_id,
        detail={"second_factor_reset": True, "devices": removed},
    )
    return user


@transaction.atomic
def user_password_set(*, actor: User, user: User, password: str) -> User:
    """A temporary password given by a manager: the user must choose their own at the next sign-in."""
    _require_manage(actor, user)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], errors={"password": error.messages}) from None
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        organisation_id=user.organisation_id,
        detail={"password_set": True},
    )
    return user


@transaction.atomic
def department_head_set(*, actor: User, department: Department, head: User | None) -> Department:
    """The commander names who answers for a department (told of its late requests and overdue
    key-task items), or none: then every officer of the department is told."""
    if not is_commander(actor):
        raise Forbidden(_("Only the commander names department heads."))
    if head is not None and (
        not head.is_active or head.role != Role.DEPARTMENT_OFFICER or head.department_id != department.pk
    ):
        raise InvalidInput.for_field("head", _("Choose an officer of the department."))
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = department.head_id
    department.head = head
    department.save(update_fields=["head", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=department,
        detail={"action": "department_head_set", "before": before, "head": head.pk if head else None},
    )
    return department
