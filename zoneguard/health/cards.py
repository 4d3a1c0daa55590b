"""The address of a status card: the declaration's random card code and its signature.

Anyone holding the address sees the card, so it is the only reference to a declaration that a
public answer gives. The signature lets the card page refuse a changed or made-up address without
looking it up; gates read the code, the first part, as they always have."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

_SALT = "zoneguard.health.card"


def card_path(code: str) -> str:
    signature = signing.Signer(salt=_SALT).sign(code).rsplit(":", 1)[1]
    return reverse("health:card", kwargs={"code": code, "signature": signature})


def card_signature_valid(code: str, signature: str) -> bool:
    try:
        return signing.Signer(salt=_SALT).unsign(f"{code}:{signature}") == code
    except signing.BadSignature:
        return False
