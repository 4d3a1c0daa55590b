from __future__ import annotations

from typing import Any

from django import template

from zoneguard.supplies import access

register = template.Library()


@register.simple_tag
def runs_supplies(user: Any) -> bool:
    """For the tabs: only those who run supplies see the setting-up page."""
    return access.runs_supplies(user)
