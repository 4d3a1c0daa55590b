from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.875 → "87.5%"; no value → "—"."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"
