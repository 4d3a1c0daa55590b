from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .nav import nav_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """The page header's menu, computed only when a template asks for it."""
    user = getattr(request, "user", None)
    return {"nav_items": lambda: nav_for(user)}
