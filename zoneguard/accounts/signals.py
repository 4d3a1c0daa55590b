"""Sign-ins and failed sign-ins go to the audit log; a changed password or a deactivated account
revokes the user's tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record

from .models import ApiTokenKind, User
from .second_factor import DUE_SESSION_KEY, requires_second_factor
from .services import tokens_revoke_for_user
from .services.second_factor import has_second_factor


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, organisation_id=user.organisation_id)
    # Someone who chose a second factor passes it, though their role does not require one.
    session = getattr(request, "session", None)
    if session is not None and not requires_second_factor(user) and has_second_factor(user):
        session[DUE_SESSION_KEY] = True


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, organisation_id=user.organisation_id)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user", object_repr=username)


# A changed password or a deactivated account ends the tokens made with the old credentials.
@receiver(pre_save, sender=User)
def _credentials_before(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    reason = ""
    fields = set(update_fields) if update_fields is not None else {"password", "is_active"}
    if (
        instance.pk is not None
        and not instance.is_active
        and "is_active" in fields
        and User.objects.filter(pk=instance.pk, is_active=True).exists()
    ):
        reason = "deactivated"
    # set_password() keeps the new raw password in `_password` until the save, and Django's own
    # re-hashing at sign-in (same password, stronger hash) clears it first: so this is a new
    # password, not an upgraded hash of the old one.
    if not reason and instance.pk is not None and "password" in fields and instance._password is not None:  # type: ignore[attr-defined]
        reason = "password_changed"
    instance._zoneguard_credentials_changed = reason  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def _credentials_after(sender: Any, instance: User, **kwargs: Any) -> None:
    reason = getattr(instance, "_zoneguard_credentials_changed", "")
    if reason == "deactivated":
        tokens_revoke_for_user(user=instance, reason=reason)
    elif reason == "password_changed":
        tokens_revoke_for_user(user=instance, reason=reason, kinds=(ApiTokenKind.PERSONAL,))
