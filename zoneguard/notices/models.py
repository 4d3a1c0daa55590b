from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.models import TimeStampedModel


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Notice(TimeStampedModel):
    """A notice from the administration to a group of organisations: by kind, sector or
    community, and/or a list. Publishing fixes the recipients; each recipient's first reading is
    recorded so that the officer sees who has read it."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=50_000, help_text=_("Sanitised HTML."))
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    department = models.ForeignKey(
        "registry.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    audience_kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    audience_sectors = models.ManyToManyField(
        "registry.Sector", blank=True, related_name="+", verbose_name=_("sectors")
    )
    audience_communities = models.ManyToManyField(
        "registry.Organisation", blank=True, related_name="+", verbose_name=_("communities")
    )
    audience_organisations = models.ManyToManyField(
        "registry.Organisation", blank=True, related_name="+", verbose_name=_("organisations")
    )

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title


def attachment_upload_to(instance: Any, filename: str) -> str:
    return f"notices/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class NoticeRecipient(models.Model):
    """An organisation the notice was sent to, and when one of its people first read it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("read by"),
    )

    class Meta:
        ordering = ["organisation__name_key", "id"]
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        constraints = [models.UniqueConstraint(fields=["notice", "organisation"], name="notice_recipient_unique")]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.organisation_id}"


class NoticeReader(models.Model):
    """A person a notice was sent to by name (the minutes of a meeting to its attendees), and when
    they first read it. Organisations are reached through NoticeRecipient instead."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("notice reader")
        verbose_name_plural = _("notice readers")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_reader_unique")]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.user_id}"
