"""The page header's menu. Each app lists its entries as `nav` on its AppConfig."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every signed-in user
    order: int = 100
    visible: Callable[[Any], bool] | None = None

    def allows(self, user: Any) -> bool:
        if self.visible is not None:
            return self.visible(user)
        return not self.roles or user.is_superuser or user.role in self.roles


def nav_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        items.extend(item for item in getattr(config, "nav", ()) if item.allows(user))
    result = []
    for item in sorted(items, key=lambda i: i.order):
        try:
            result.append({"url": reverse(item.url_name), "label": str(item.label), "name": item.url_name})
        except NoReverseMatch:
            continue
    return result
