from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
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
        at = timezone.localtime(self.at)
        return f"{at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

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
            parts.append(f"{label}: {_detail_value(key, field, value)}")
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
    "action": pgettext_lazy("audit detail", "action"),
    "department": pgettext_lazy("audit detail", "department"),
}


# The codes the modules record as an event's "action" and "purpose", as the log's readers say them;
# a code not named here is shown as stored.
DETAIL_VALUES: dict[str, dict[str, Any]] = {
    "action": {
        "accept": pgettext_lazy("audit action", "accept"),
        "acknowledge": pgettext_lazy("audit action", "acknowledge"),
        "allocate": pgettext_lazy("audit action", "allocate"),
        "approve": pgettext_lazy("audit action", "approve"),
        "assign": pgettext_lazy("audit action", "assign"),
        "cancel": pgettext_lazy("audit action", "cancel"),
        "confirm": pgettext_lazy("audit action", "confirm"),
        "create": pgettext_lazy("audit action", "create"),
        "decision_item": pgettext_lazy("audit action", "decision made an item"),
        "delete": pgettext_lazy("audit action", "delete"),
        "deliver": pgettext_lazy("audit action", "deliver"),
        "department_head_set": pgettext_lazy("audit action", "set the department head"),
        "depot_create": pgettext_lazy("audit action", "create a depot"),
        "escalate": pgettext_lazy("audit action", "escalate"),
        "escalated": pgettext_lazy("audit action", "escalated"),
        "file": pgettext_lazy("audit action", "file"),
        "hand_over": pgettext_lazy("audit action", "hand over"),
        "item_activate": pgettext_lazy("audit action", "offer the item again"),
        "item_create": pgettext_lazy("audit action", "create an item"),
        "item_withdraw": pgettext_lazy("audit action", "withdraw the item"),
        "message": pgettext_lazy("audit action", "message"),
        "note": pgettext_lazy("audit action", "note"),
        "pass_on": pgettext_lazy("audit action", "pass on"),
        "priority_rule_create": pgettext_lazy("audit action", "create a priority rule"),
        "rate": pgettext_lazy("audit action", "rate"),
        "refuse": pgettext_lazy("audit action", "refuse"),
        "reopen": pgettext_lazy("audit action", "reopen"),
        "request": pgettext_lazy("audit action", "request"),
        "resolve": pgettext_lazy("audit action", "answer"),
        "resubmitted": pgettext_lazy("audit action", "submitted again"),
        "settle": pgettext_lazy("audit action", "settle"),
        "threshold_set": pgettext_lazy("audit action", "set the low-stock threshold"),
        "update": pgettext_lazy("audit action", "update"),
        "withdraw": pgettext_lazy("audit action", "withdraw"),
    },
    "purpose": {
        "api": pgettext_lazy("audit purpose", "read through the API"),
        "declaration": pgettext_lazy("audit purpose", "health declaration"),
        "deferral": pgettext_lazy("audit purpose", "tax deferral"),
        "face_photo": pgettext_lazy("audit purpose", "face photo"),
        "invoices": pgettext_lazy("audit purpose", "invoices"),
        "isolation_case": pgettext_lazy("audit purpose", "the isolation case"),
        "isolation case": pgettext_lazy("audit purpose", "the isolation case"),  # as recorded before 2026-12
        "other": pgettext_lazy("audit purpose", "other"),
        "page": pgettext_lazy("audit purpose", "page"),
        "person_detail": pgettext_lazy("audit purpose", "the person's page"),
        "person_edit": pgettext_lazy("audit purpose", "editing the person"),
        "volunteer page": pgettext_lazy("audit purpose", "the volunteer's page"),  # as recorded before 2026-12
        "volunteer_application": pgettext_lazy("audit purpose", "volunteer application"),
        "volunteer_page": pgettext_lazy("audit purpose", "the volunteer's page"),
        "volunteer_registration": pgettext_lazy("audit purpose", "volunteer registration"),
    },
}


def _detail_value(key: str, field: Any, value: Any) -> str:
    named = DETAIL_VALUES.get(key, {})
    if isinstance(value, str) and value in named:
        return str(named[value])
    if key == "department" and isinstance(value, int) and not isinstance(value, bool):
        return f"#{value}"
    if key == "source" and isinstance(value, str) and "#" in value:
        # "gates.feveralert#3": the kind of object by its name, and its number.
        object_type, _sep, number = value.partition("#")
        return f"{object_type_label(object_type)} #{number}"
    return _shown(field, value)


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
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        # Stored in UTC as ISO text: read in the zone's time, to the minute.
        try:
            return f"{timezone.localtime(datetime.fromisoformat(value)):%Y-%m-%d %H:%M}"
        except ValueError:
            pass
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(_text(item) for item in value)
    return "—" if value in (None, "") else str(value)
