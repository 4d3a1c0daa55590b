from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneguard.core.roles import ORGANISATION_ROLES, Role


class User(AbstractUser):
    """A person or machine that signs in. Belongs to at most one organisation or department."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.VOLUNTEER)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        "registry.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("department"),
    )
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of notifications and e-mails sent to this user."),
    )
    is_duty_officer = models.BooleanField(
        _("duty officer"),
        default=False,
        help_text=_("Receives alerts and incident reports for the whole zone."),
    )

    # Not a column: set on the request's own copy of the user when it acts through a device token
    # restricted to a site (accounts/services.py token_actor), for the scoping to read.
    device_site_id: int | None = None

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(department__isnull=True),
                name="user_in_one_organisation_or_department",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_commander(self) -> bool:
        return self.is_active and (self.role == Role.COMMANDER or self.is_superuser)

    @property
    def belongs_to_organisation(self) -> bool:
        return self.role in ORGANISATION_ROLES


TOKEN_PREFIX = "zg_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def generate_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    DEVICE = "device", _("Device or integration")


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored: the raw value is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=10, choices=ApiTokenKind.choices, default=ApiTokenKind.PERSONAL)
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(
        _("hint"), max_length=12, editable=False, help_text=_("The first characters, to tell tokens apart.")
    )
    site = models.ForeignKey(
        "registry.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="device_tokens",
        verbose_name=_("restricted to site"),
        help_text=_("A gate device's token works only for its own checkpoint."),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_device(self) -> bool:
        """A gate's credential: it acts as a device of its site, whatever its user's role."""
        return self.kind == ApiTokenKind.DEVICE or self.site_id is not None

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
