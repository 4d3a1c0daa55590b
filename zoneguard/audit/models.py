from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    READ_PERSONAL = "read_personal", _("Read personal data")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    MERGE = "merge", _("Merged")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    TOKEN_CREATE = "token_create", _("Created API token")
    TOKEN_REVOKE = "token_revoke", _("Revoked API token")
    APPROVE = "approve", _("Approved")
    TRACE = "trace", _("Traced contacts")
    RETURN = "return", _("Returned")
    OTHER = "other", _("Other")


class AuditEvent(models.Model):
    """Append-only: who did what to which object, and when. Rows are never updated or deleted
    by the application; the actor's name is copied so the row survives the account."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, db_index=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    organisation_id = models.BigIntegerField(_("organisation ID"), null=True, blank=True, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    @property
    def object_label(self) -> str:
        return object_type_label(self.object_type)

    @property
    def detail_text(self) -> str:
        """The detail as "key: value" pairs for the log's readers, the empty ones left out, and the
        changes of an update as "field: before → after"."""
        parts = []
        for key, value in (self.detail or {}).items():
            if value in (None, "", [], {}):
                continue
            if key == "changes" and isinstance(value, dict):
                shown = ", ".join(
                    f"{field}: {_text(change[0])} → {_text(change[1])}"
                    if isinstance(change, list) and len(change) == 2
                    else f"{field}: {_text(change)}"
                    for field, change in value.items()
                )
            else:
                shown = _text(value)
            parts.append(f"{key}: {shown}")
        return "; ".join(parts)


def object_type_label(object_type: str) -> str:
    """A kind of object as its users call it ("用户" for accounts.user); the stored name for a kind
    that no longer exists."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(_text(item) for item in value)
    return "—" if value in (None, "") else str(value)
