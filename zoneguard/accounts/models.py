from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.roles import ORGANISATION_ROLES, Role
from zoneguard.registry.models import OrganisationKind

# Who may apply on the public page: workplaces. Communities and their workers are set up by the zone.
APPLICANT_KINDS = [(value, label) for value, label in OrganisationKind.choices if value != OrganisationKind.COMMUNITY]


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
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("The password was set by someone else: the user chooses their own at the next sign-in."),
    )
    # Raised when a manager resets the user's second factor: it is part of the session hash, so the
    # sessions that passed the old factor end (get_session_auth_hash).
    second_factor_generation = models.PositiveIntegerField(default=0, editable=False)

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

    def get_session_auth_hash(self) -> str:
        if not self.second_factor_generation:
            return super().get_session_auth_hash()
        return salted_hmac(
            "zoneguard.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.second_factor_generation}",
            algorithm="sha256",
        ).hexdigest()

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


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class InvitationState(models.TextChoices):
    OPEN = "open", pgettext_lazy("invitation", "Open")
    ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
    REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")
    EXPIRED = "expired", pgettext_lazy("invitation", "Expired")


class Invitation(models.Model):
    """An invitation to an account of a role in a department or organisation. Only the SHA-256 of
    its link's token is stored: the link is shown to the inviter and mailed once, at creation."""

    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        "registry.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("department"),
    )
    full_name = models.CharField(_("full name"), max_length=50)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("account"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(department__isnull=True),
                name="invitation_to_one_organisation_or_department",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.OPEN

    def get_state_display(self) -> str:
        return str(InvitationState(self.state).label)

    @property
    def place(self) -> object:
        return self.organisation or self.department


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("application", "Pending")
    APPROVED = "approved", pgettext_lazy("application", "Approved")
    REFUSED = "refused", pgettext_lazy("application", "Refused")


class OrganisationApplication(models.Model):
    """An enterprise (or another workplace) that applies to be registered in the zone, from the public
    page. The competent department approves it (the organisation is then created and its contact
    invited as its administrator) or refuses it with a reason."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=APPLICANT_KINDS, default="enterprise")
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    sector = models.ForeignKey(
        "registry.Sector", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sector")
    )
    address = models.CharField(_("address"), max_length=300)
    total_staff = models.PositiveIntegerField(_("total staff"))
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=11)
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    organisation = models.OneToOneField(
        "registry.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enterprise application")
        verbose_name_plural = _("enterprise applications")
        constraints = [
            # One pending application per credit code; the registry's own unique code catches the rest.
            models.UniqueConstraint(
                fields=["credit_code"], condition=Q(status="pending"), name="application_pending_credit_code_unique"
            ),
            models.CheckConstraint(condition=Q(total_staff__lte=10_000_000), name="application_total_staff_bounded"),
        ]

    def __str__(self) -> str:
        return self.name
