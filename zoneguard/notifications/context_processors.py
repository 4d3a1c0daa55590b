from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The unread count beside the page header's inbox link, counted only when a template shows it."""
    user = getattr(request, "user", None)
    return {"unread_notifications": lambda: unread_count(actor=user)}
