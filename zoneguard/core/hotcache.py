"""A per-process cache of a few seconds for rows read on every request of the busiest paths (the
API token of a gate device, the gate's site): at a thousand check-ins a second, looking them up
each time costs more than the check-in's own work.

A write in the same process clears the cache at once (the owner calls `clear_on_change` with the
models whose rows it holds); other worker processes see a change within `HOT_CACHE_SECONDS`
(2 by default), so a revoked token or a closed site stops working within two seconds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

_ALL: list[HotCache] = []


class HotCache:
    def __init__(self, *, max_entries: int = 10_000) -> None:
        self._entries: dict[Any, tuple[float, Any]] = {}
        self.max_entries = max_entries
        _ALL.append(self)

    def get(self, key: Any) -> Any:
        """The cached value, or None when absent or stale."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            self._entries.pop(key, None)
            return None
        return value

    def get_or_load(self, key: Any, load: Callable[[Any], Any]) -> Any:
        """The cached value, or `load(key)` remembered when it is not None."""
        value = self.get(key)
        if value is None:
            value = load(key)
            if value is not None:
                self.set(key, value)
        return value

    def set(self, key: Any, value: Any) -> None:
        seconds = settings.HOT_CACHE_SECONDS
        if seconds <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + seconds, value)

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Usable directly as a signal receiver."""
        self._entries.clear()

    def clear_on_change(self, name: str, *models: type[Model]) -> None:
        """Forget everything whenever a row of one of `models` is saved or deleted in this process."""
        for model in models:
            uid = f"hotcache-{name}-{model._meta.label}"
            post_save.connect(self.clear, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(self.clear, sender=model, dispatch_uid=f"{uid}-delete")


def clear_all() -> None:
    """Forget everything (tests start from a clean slate)."""
    for cache in _ALL:
        cache.clear()
