from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import TimeStampedModel
from zoneguard.core.roles import Role


class NotificationKind(models.TextChoices):
    ALERT = "alert", _("Alert")
    INCIDENT = "incident", _("Incident")
    REMINDER = "reminder", _("Reminder")
    # Something waiting for the reader's decision or answer: a filing to review, a request to
    # accept or to confirm (the stored value keeps its first name).
    APPROVAL = "approval", pgettext_lazy("notification kind", "To act on")
    NOTICE = "notice", _("Notice")
    INFO = "info", _("Information")


class Notification(models.Model):
    """One message in one user's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    source_type = models.CharField(_("source type"), max_length=60, blank=True)
    source_id = models.CharField(_("source ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Audience(models.TextChoices):
    """Recipient groups a delivery rule can target."""

    EVERYONE = "everyone", _("Everyone notified")
    DUTY_OFFICERS = "duty_officers", _("Duty officers")
    COMMANDERS = "commanders", _("Commanders")
    DEPARTMENT_OFFICERS = "department_officers", _("Department officers")
    ORGANISATION_ADMINS = "organisation_admins", _("Organisation administrators")
    GATE_OFFICERS = "gate_officers", _("Gate officers")
    COMMUNITY_WORKERS = "community_workers", _("Community workers")
    VOLUNTEERS = "volunteers", _("Volunteers")


AUDIENCE_ROLES = {
    Audience.COMMANDERS: Role.COMMANDER,
    Audience.DEPARTMENT_OFFICERS: Role.DEPARTMENT_OFFICER,
    Audience.ORGANISATION_ADMINS: Role.ORGANISATION_ADMIN,
    Audience.GATE_OFFICERS: Role.GATE_OFFICER,
    Audience.COMMUNITY_WORKERS: Role.COMMUNITY_WORKER,
    Audience.VOLUNTEERS: Role.VOLUNTEER,
}


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class DeliveryRule(TimeStampedModel):
    """Besides the in-app inbox, which every recipient always gets: send notifications of these
    kinds, for recipients in this group, by e-mail (to each recipient) or to a group-chat robot
    (once per notification event)."""

    name = models.CharField(_("name"), max_length=100)
    audience = models.CharField(_("recipient group"), max_length=24, choices=Audience.choices)
    department = models.ForeignKey(
        "registry.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only for department"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only for organisation"),
    )
    kinds = models.JSONField(_("notification kinds"), default=list, blank=True, help_text=_("Empty means every kind."))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    webhook_url = models.URLField(_("robot webhook URL"), max_length=500, blank=True)
    webhook_secret = models.CharField(
        _("robot signing secret"), max_length=200, blank=True, help_text=_("DingTalk robots with signing only.")
    )
    is_active = models.BooleanField(pgettext_lazy("switch", "active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("delivery rule")
        verbose_name_plural = _("delivery rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.channel in {Channel.WECOM, Channel.DINGTALK} and not self.webhook_url:
            raise ValidationError({"webhook_url": _("A group robot needs its webhook URL.")})
        valid_kinds = set(NotificationKind.values)
        if not isinstance(self.kinds, list) or not set(self.kinds) <= valid_kinds:
            raise ValidationError({"kinds": _("Unknown notification kind.")})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One e-mail or robot message; retried until sent or out of attempts, and never deleted."""

    rule = models.ForeignKey(DeliveryRule, on_delete=models.SET_NULL, null=True, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("target"), max_length=500)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.channel} → {self.target}: {self.title}"
