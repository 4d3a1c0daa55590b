"""Each user's home page: what the apps offer for that user's day (core/home.py)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps

from zoneguard.core.home import HomeItem


def _providers() -> list[Any]:
    providers = []
    for config in apps.get_app_configs():
        name = f"{config.name}.home"
        if config.name.startswith("zoneguard.") and config.label != "dashboard" and find_spec(name) is not None:
            provider = getattr(import_module(name), "home_items", None)  # core.home defines the items
            if provider is not None:
                providers.append(provider)
    return providers


def home_items(user: Any) -> list[HomeItem]:
    """What to act on (actions and what needs attention) first, then the figures of the day; each
    group in the order the apps give (the gate before the report, alerts before incidents ...)."""
    items = [item for provider in _providers() for item in provider(user)]
    return sorted(items, key=lambda item: (not (item.action or item.needs_attention), item.order))
