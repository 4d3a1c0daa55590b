from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .nav import nav_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """Menu and unread count for the page header, computed only when a template asks for them."""
    user = getattr(request, "user", None)

    def unread() -> int:
        from zoneguard.notifications.selectors import unread_count

        return unread_count(actor=user)

    return {"nav_items": lambda: nav_for(user), "unread_notifications": unread}
