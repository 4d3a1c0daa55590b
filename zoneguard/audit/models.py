from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
        """The detail as its readers say it: "key: value" pairs, the empty ones left out; the
        changes of a creation or an update as "field: before → after"; fields, choices and yes/no
        named in the reader's language where the object's model knows them."""
        model = _model(self.object_type)
        parts = []
        for key, value in (self.detail or {}).items():
            if value in (None, "", [], {}):
                continue
            if key == "changes" and isinstance(value, dict):
                parts.append(", ".join(_change(_field(model, name), name, change) for name, change in value.items()))
                continue
            if key == "fields" and isinstance(value, list):
                value = [_label(_field(model, name), name) for name in value]
            field = _field(model, key)
            label = str(DETAIL_KEYS[key]) if key in DETAIL_KEYS else _label(field, key)
            parts.append(f"{label}: {_shown(field, value)}")
        return "; ".join(parts)


def object_type_label(object_type: str) -> str:
    """A kind of object as its users call it ("用户" for accounts.user); the stored name for a kind
    that no longer exists."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


# Keys of an event's detail that are not fields of its object, as the log's readers call them.
DETAIL_KEYS = {
    "filters": pgettext_lazy("audit detail", "filters"),
    "masked": pgettext_lazy("audit detail", "masked"),
    "rows": pgettext_lazy("audit detail", "rows"),
    "format": pgettext_lazy("audit detail", "format"),
    "background": pgettext_lazy("audit detail", "background export"),
    "purpose": pgettext_lazy("audit detail", "purpose"),
    "source": pgettext_lazy("audit detail", "source"),
    "reason": pgettext_lazy("audit detail", "reason"),
    "fields": pgettext_lazy("audit detail", "fields"),
    "revision": pgettext_lazy("audit detail", "revision"),
    "records": pgettext_lazy("audit detail", "records"),
    "count": pgettext_lazy("audit detail", "count"),
    "days": pgettext_lazy("audit detail", "days"),
    "before": pgettext_lazy("audit detail", "before"),
    "after": pgettext_lazy("audit detail", "after"),
}


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(field: Any, name: str) -> str:
    """The field's name in the reader's language; the stored name for a key no field has."""
    return str(getattr(field, "verbose_name", name))


def _change(field: Any, name: str, change: Any) -> str:
    label = _label(field, name)
    if isinstance(change, list) and len(change) == 2:
        return f"{label}: {_shown(field, change[0])} → {_shown(field, change[1])}"
    return f"{label}: {_shown(field, change)}"


def _shown(field: Any, value: Any) -> str:
    """A stored value as the field's form would show it: a choice by its label, yes or no."""
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, list):
        return "、".join(_shown(field, item) for item in value)
    if getattr(field, "is_relation", False) and isinstance(value, int) and not isinstance(value, bool):
        return f"#{value}"
    if isinstance(value, (str, int)) and not isinstance(value, bool) and value in choices:
        return str(choices[value])
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(_text(item) for item in value)
    return "—" if value in (None, "") else str(value)
