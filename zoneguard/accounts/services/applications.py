"""Enterprise applications: a workplace applies on the public page; the competent department
approves it (the organisation is created once, its contact invited as its admin) or refuses it
with a reason. The applicant hears of the decision by e-mail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record
from zoneguard.core import ratelimit
from zoneguard.core.errors import Conflict, InvalidInput, NotFound
from zoneguard.core.network import client_address
from zoneguard.core.roles import Role
from zoneguard.registry import scoping
from zoneguard.registry import services as registry_services
from zoneguard.registry.models import Organisation, Sector
from zoneguard.registry.validators import normalize_credit_code, normalize_phone, validate_credit_code, validate_mobile

from ..models import APPLICANT_KINDS, ApplicationStatus, OrganisationApplication, User
from .invitations import invitation_create, invitation_link

DUPLICATE = "duplicate_credit_code"


def _duplicate_message() -> str:
    # The same words whether an organisation or another application holds the code.
    return _("This credit code is already registered or has an application under review.")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in ("name", "address", "contact_name"):
        clean[name] = str(data.get(name) or "").strip()
        if not clean[name]:
            errors[name] = [_("This field is required.")]
    clean["name"] = clean["name"][:200]
    clean["address"] = clean["address"][:300]
    clean["contact_name"] = clean["contact_name"][:50]
    kind = data.get("kind") or "enterprise"
    if kind not in dict(APPLICANT_KINDS):
        errors["kind"] = [_("Choose a kind.")]
    clean["kind"] = kind
    clean["credit_code"] = normalize_credit_code(data.get("credit_code") or "")
    try:
        validate_credit_code(clean["credit_code"])
    except ValidationError as error:
        errors["credit_code"] = list(error.messages)
    clean["contact_phone"] = normalize_phone(data.get("contact_phone") or "")
    try:
        validate_mobile(clean["contact_phone"])
    except ValidationError as error:
        errors["contact_phone"] = list(error.messages)
    clean["contact_email"] = str(data.get("contact_email") or "").strip()
    try:
        validate_email(clean["contact_email"])
    except ValidationError:
        errors["contact_email"] = [_("Enter a valid e-mail address.")]
    staff = data.get("total_staff")
    if not isinstance(staff, int) or isinstance(staff, bool) or not 0 <= staff <= 10_000_000:
        errors["total_staff"] = [_("Give the number of staff.")]
    clean["total_staff"] = staff
    sector = data.get("sector")
    if sector is not None and not isinstance(sector, Sector):
        errors["sector_id"] = [_("Choose a sector.")]
    clean["sector"] = sector
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors=errors)
    return clean


def application_submit(
    *, request: HttpRequest | None, data: dict[str, Any], language: str = settings.LANGUAGE_CODE
) -> OrganisationApplication:
    """A public application. Counted per client address before anything is read; a credit code
    already registered or under review is refused in one message either way."""
    if request is not None:
        address = ratelimit.client_subject(client_address(request))
        ratelimit.count(ratelimit.Limit("application.address", address, settings.RATE_LIMIT_APPLICATIONS_PER_ADDRESS))
    clean = _clean(data)
    code = clean["credit_code"]
    try:
        with transaction.atomic():
            taken = (
                Organisation.objects.filter(credit_code=code).exists()
                or OrganisationApplication.objects.filter(credit_code=code, status=ApplicationStatus.PENDING).exists()
            )
            if taken:
                raise InvalidInput.for_field("credit_code", _duplicate_message(), code=DUPLICATE)
            application = OrganisationApplication.objects.create(
                **clean, language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            )
            audit_record(
                actor=None,
                actor_name=clean["contact_name"],
                action=AuditAction.CREATE,
                obj=application,
                detail={"credit_code": code},
            )
    except IntegrityError:  # another application with the code was committed meanwhile
        raise InvalidInput.for_field("credit_code", _duplicate_message(), code=DUPLICATE) from None
    return application


def may_decide(actor: User, application: OrganisationApplication) -> bool:
    return scoping.can_create_organisation(actor, kind=application.kind, sector_id=application.sector_id)


def _locked_pending(actor: User, application: OrganisationApplication) -> OrganisationApplication:
    locked = OrganisationApplication.objects.select_for_update().get(pk=application.pk)
    if not may_decide(actor, locked):
        raise NotFound()
    if locked.status != ApplicationStatus.PENDING:
        raise Conflict(_("This application has already been decided."), code="application_decided")
    return locked


def application_approve(*, actor: User, application: OrganisationApplication) -> tuple[OrganisationApplication, str]:
    """Create the organisation and invite the contact as its admin; returns the application and the
    invitation's raw token (for the link the officer may copy). The application's row is locked,
    so a double click or two officers at once create one organisation; the others are told it was
    decided."""
    with transaction.atomic():
        locked = _locked_pending(actor, application)
        if Organisation.objects.filter(credit_code=locked.credit_code).exists():
            raise Conflict(_duplicate_message(), code=DUPLICATE)
        organisation = registry_services.organisation_create(
            actor=actor,
            data={
                "name": locked.name,
                "kind": locked.kind,
                "sector": locked.sector,
                "credit_code": locked.credit_code,
                "address": locked.address,
                "contact_name": locked.contact_name,
                "contact_phone": locked.contact_phone,
                "total_staff": locked.total_staff,
            },
        )
        _invitation, raw = invitation_create(
            actor=actor,
            role=Role.ORGANISATION_ADMIN,
            full_name=locked.contact_name,
            email=locked.contact_email,
            phone=locked.contact_phone,
            organisation=organisation,
            language=locked.language,
            send_email=False,
        )
        locked.status = ApplicationStatus.APPROVED
        locked.organisation = organisation
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "organisation", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action=AuditAction.APPROVE,
            obj=locked,
            organisation_id=organisation.pk,
            detail={"organisation_id": organisation.pk},
        )
        link = invitation_link(raw)
        transaction.on_commit(lambda: _send_decision(locked, link=link))
    return locked, raw


@transaction.atomic
def application_refuse(*, actor: User, application: OrganisationApplication, reason: str) -> OrganisationApplication:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.for_field("reason", _("Say why the application is refused."))
    locked = _locked_pending(actor, application)
    locked.status = ApplicationStatus.REFUSED
    locked.reason = reason[:2000]
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(actor=actor, action=AuditAction.RETURN, obj=locked, detail={"reason": locked.reason})
    transaction.on_commit(lambda: _send_decision(locked, link=""))
    return locked


def _send_decision(application: OrganisationApplication, *, link: str) -> None:
    with translation.override(application.language):
        context = {"application": application, "link": link, "hours": settings.INVITATION_HOURS}
        if application.status == ApplicationStatus.APPROVED:
            subject = _("Your application to ZoneGuard was approved")
        else:
            subject = _("Your application to ZoneGuard was refused")
        body = render_to_string("accounts/email/application_decision.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.contact_email], fail_silently=True)
