"""Masks for personal data shown in lists and exports."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """`430406199001011234` -> `430406********1234`: the region stays readable, the birth date does not."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """`13812345678` -> `138****5678`."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """`张青葵` -> `张*葵`, `王芳` -> `王*`: enough for a gate officer to confirm, not to identify."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
