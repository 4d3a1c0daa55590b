"""Invitations: an account offered by someone allowed to grant it (granting.py), taken up once
through a link that expires."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core.context import absolute_url
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.core.roles import ORGANISATION_ROLES, Role
from zoneguard.registry.models import Department, Organisation
from zoneguard.registry.validators import normalize_phone, validate_mobile

from .. import access
from ..models import Invitation, User, hash_token

INVITATION_PREFIX = "inv_"
MOBILE = re.compile(r"^1\d{10}$")


def invitation_link(raw: str) -> str:
    """The absolute link an invitee opens (to copy into a WeCom or DingTalk chat)."""
    return absolute_url(reverse("accounts:invitation-accept", args=[raw]))


def _check_place(*, role: str, organisation: Organisation | None, department: Department | None) -> None:
    if role == Role.DEPARTMENT_OFFICER and department is None:
        raise InvalidInput.for_field("department_id", _("Choose the department."))
    if role in ORGANISATION_ROLES and organisation is None:
        raise InvalidInput.for_field("organisation_id", _("Choose the organisation."))
    if role not in ORGANISATION_ROLES and organisation is not None:
        raise InvalidInput.for_field("organisation_id", _("This role belongs to no organisation."))
    if role != Role.DEPARTMENT_OFFICER and department is not None:
        raise InvalidInput.for_field("department_id", _("This role belongs to no department."))


def _clean_contact(*, full_name: str, email: str, phone: str) -> tuple[str, str, str]:
    full_name = full_name.strip()
    if not full_name:
        raise InvalidInput.for_field("full_name", _("Give the invitee's name."))
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput.for_field("email", _("Enter a valid e-mail address.")) from None
    phone = normalize_phone(phone or "")
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as error:
            raise InvalidInput.for_field("phone", error.messages[0]) from None
    return full_name[:50], email, phone


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    role: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    organisation: Organisation | None = None,
    department: Department | None = None,
    language: str = settings.LANGUAGE_CODE,
    send_email: bool = True,
) -> tuple[Invitation, str]:
    """Invite someone to an account of `role` in the organisation or department; returns the
    invitation and the raw link token, which is never stored. The e-mail (when an address is given)
    goes out in the invitee's language once the invitation is committed."""
    if role not in Role.values:
        raise InvalidInput.for_field("role", _("Choose a role."))
    _check_place(role=role, organisation=organisation, department=department)
    if not access.may_invite(actor, role=role, organisation=organisation, department=department):
        # Outside the actor's scope the place is not disclosed; inside it the role is refused.
        raise NotFound()
    full_name, email, phone = _clean_contact(full_name=full_name, email=email, phone=phone)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    raw = INVITATION_PREFIX + secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        role=role,
        organisation=organisation,
        department=department,
        full_name=full_name,
        email=email,
        phone=phone,
        language=language,
        token_hash=hash_token(raw),
        created_by=actor,
        expires_at=timezone.now() + timedelta(hours=settings.INVITATION_HOURS),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=invitation,
        organisation_id=organisation.pk if organisation else None,
        detail={"role": role, "department_id": department.pk if department else None},
    )
    if email and send_email:
        link = invitation_link(raw)
        transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, raw


def _send_invitation(invitation: Invitation, link: str) -> None:
    with translation.override(invitation.language):
        context = {"invitation": invitation, "link": link, "hours": settings.INVITATION_HOURS}
        subject = _("Your ZoneGuard account: %(role)s") % {"role": invitation.get_role_display()}
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email], fail_silently=True)


@transaction.atomic
def may_revoke(actor: User, invitation: Invitation) -> bool:
    """Who sent the invitation, or who could send it now (the granting rules): seeing an invitation,
    as a community's worker sees those of its enterprises, is not deciding who joins them."""
    if invitation.created_by_id is not None and invitation.created_by_id == actor.pk:
        return True
    return access.may_invite(
        actor, role=invitation.role, organisation=invitation.organisation, department=invitation.department
    )


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Revoke an open invitation (the selector has checked the actor sees it); 403 for those who
    see it but may not revoke it."""
    if not may_revoke(actor, invitation):
        raise Forbidden()
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been used."), code="invitation_used")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=invitation,
            organisation_id=invitation.organisation_id,
            detail={"revoked": True},
        )
    return invitation


def invitation_by_token(raw: str) -> Invitation:
    """The open invitation of a link; anything else (unknown, used, revoked, expired) is not found,
    and says so in one message: a link tells nothing about other links."""
    if not raw or not raw.startswith(INVITATION_PREFIX) or len(raw) > 100:
        raise NotFound(_("This invitation link is not valid: it was used, revoked or has expired."))
    invitation = (
        Invitation.objects.select_related("organisation", "department").filter(token_hash=hash_token(raw)).first()
    )
    if invitation is None or invitation.state != "open":
        raise NotFound(_("This invitation link is not valid: it was used, revoked or has expired."))
    return invitation


def invitation_accept(*, raw: str, username: str, password: str) -> User:
    """Take up an invitation: the account is created with the invitation's role and place, and the
    invitation is used. Its row is locked first, so two acceptances at once make one account; the
    other is told the link was used."""
    username = username.strip()
    if not username:
        raise InvalidInput.for_field("username", _("Choose a user name."))
    with transaction.atomic():
        found = invitation_by_token(raw)
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "department")
            .get(pk=found.pk)
        )
        if invitation.state != "open":
            raise NotFound(_("This invitation link is not valid: it was used, revoked or has expired."))
        user = User(
            username=username,
            full_name=invitation.full_name,
            email=invitation.email,
            phone=invitation.phone,
            role=invitation.role,
            organisation=invitation.organisation,
            department=invitation.department,
            language=invitation.language,
        )
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError as error:
            raise InvalidInput.for_field("username", error.messages[0]) from None
        if User.objects.filter(username__iexact=username).exists():
            raise InvalidInput.for_field("username", _("This user name is taken: choose another."))
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(error.messages[0], errors={"password": error.messages}) from None
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise InvalidInput.for_field("username", _("This user name is taken: choose another.")) from None
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
        audit_record(
            actor=user,
            action=AuditAction.CREATE,
            obj=user,
            organisation_id=user.organisation_id,
            detail={"invitation_id": invitation.pk, "role": user.role},
        )
    return user


@dataclass
class BulkResult:
    """What a bulk invitation made: (invitation, raw token) per organisation invited, and why the
    others were left out."""

    created: list[tuple[Invitation, str]] = field(default_factory=list)
    skipped: list[tuple[Organisation, str]] = field(default_factory=list)


@transaction.atomic
def invitations_for_organisations(*, actor: User, organisations: list[Organisation]) -> BulkResult:
    """Invite the contact person of each organisation as its admin (the registry's contact has a
    name and a phone, no e-mail: the links are copied from the result). An organisation without a
    contact, or whose contact already has an open invitation, is left out and named."""
    result = BulkResult()
    open_names = set(
        Invitation.objects.open()
        .filter(organisation__in=organisations, role=Role.ORGANISATION_ADMIN)
        .values_list("organisation_id", "full_name")
    )
    for organisation in organisations:
        name = (organisation.contact_name or "").strip()
        if not access.may_invite(actor, role=Role.ORGANISATION_ADMIN, organisation=organisation, department=None):
            result.skipped.append((organisation, _("You cannot invite an administrator of this organisation.")))
            continue
        if not name:
            result.skipped.append((organisation, _("The organisation has no contact person.")))
            continue
        if (organisation.pk, name) in open_names:
            result.skipped.append((organisation, _("The contact person already has an open invitation.")))
            continue
        phone = normalize_phone(organisation.contact_phone or "")
        invitation, raw = invitation_create(
            actor=actor,
            role=Role.ORGANISATION_ADMIN,
            full_name=name,
            phone=phone if MOBILE.match(phone) else "",
            organisation=organisation,
        )
        result.created.append((invitation, raw))
    return result
