"""Second factors (django-otp): an authenticator app's TOTP device and one-time recovery codes
(a static device). django-otp checks the codes, refuses a TOTP code used before, and slows down
guessing on each device (its throttling); the pages count attempts per address as well."""

from __future__ import annotations

import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneguard.audit.models import AuditAction
from zoneguard.audit.services import audit_record

from ..models import User

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
# Recovery codes are read off paper: letters and digits that cannot be mistaken for each other.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in (base32)."""
    return b32encode(device.bin_key).decode()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_pending(*, user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per user, kept while the page is
    reloaded, so that the QR code scanned stays the one confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes], batch_size=100)
    return codes


def totp_confirm(*, user: User, code: str) -> tuple[Device, list[str]] | None:
    """Confirm the pending authenticator with a code it shows: it replaces any earlier one, and new
    recovery codes are made (returned, to be shown once). None when the code is wrong."""
    with transaction.atomic():
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if pending is None:
            return None
    device = verify_token(user, pending.persistent_id, (code or "").strip().replace(" ", ""))
    if device is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _new_recovery_codes(user)
        audit_record(
            actor=user,
            action=AuditAction.UPDATE,
            obj=user,
            organisation_id=user.organisation_id,
            detail={"second_factor": "set_up"},
        )
    return device, codes


def second_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts the code (the authenticator's, or an unused recovery code, which is
    then spent), or None."""
    code = (code or "").strip().replace(" ", "").lower()
    if not code or len(code) > 16:
        return None
    devices: list[Device] = [*TOTPDevice.objects.filter(user=user, confirmed=True)]
    if not code.isdigit():
        devices = [*StaticDevice.objects.filter(user=user, confirmed=True)]
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            if isinstance(verified, StaticDevice):
                audit_record(
                    actor=user,
                    action=AuditAction.OTHER,
                    obj=user,
                    organisation_id=user.organisation_id,
                    detail={"second_factor": "recovery_code_used"},
                )
            return verified
    return None


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        organisation_id=user.organisation_id,
        detail={"second_factor": "recovery_codes_renewed"},
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def devices_delete(*, user: User) -> int:
    totp, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    return totp + static
