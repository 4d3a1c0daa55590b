"""The demo zone: the Hengyang High-tech Zone as its February 2020 news page tells it.

Every app that has demo data provides `demo.py` with `load(zone: DemoZone) -> None`; they run in
INSTALLED_APPS order, each idempotent (natural keys, get-or-create), so loading twice changes
nothing. People are synthetic: their ID numbers and phones are valid in form but made up.

The story happens before the moment of loading, whatever the hour: the builders ask the zone for
their times of day (`zone.at`, `zone.past`) rather than combining today's date with an hour."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

# Moments of the story this long before loading, or later, are drawn towards the moment of
# loading (DemoZone.past); earlier ones stay as the story tells them.
RECENT = timedelta(hours=1)


@dataclass
class DemoZone:
    password: str
    # The moment of loading: the story's today ends here. Looked up when called, so that a test
    # that sets the clock (patching timezone.now) sets it for the zone too.
    now: datetime = field(default_factory=lambda: timezone.now())
    today: date = field(init=False)
    # A fixed seed: every machine builds the same people.
    rng: random.Random = field(default_factory=lambda: random.Random(20200221))  # noqa: S311 (not secret)
    departments: dict[str, Any] = field(default_factory=dict)
    sectors: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    sites: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.today = timezone.localdate(self.now)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """The story's `hour:minute` on `day` (local time), placed before the moment of loading."""
        return self.past(timezone.make_aware(datetime.combine(day, time(hour, minute))))

    def past(self, moment: datetime) -> datetime:
        """Where a moment the story tells lies once placed before the moment of loading.

        The story sets today's morning at fixed hours (entries from 07:30, reports around 08:00, an
        incident at 08:15): loaded at 00:30, or at 08:00, some of those hours are still to come.
        A moment earlier than an hour before loading (or than today's midnight, if that is later)
        stays as told. A later one is drawn towards the moment of loading, the more the later it
        is, so that the story keeps its order and its days and nothing lies in the future."""
        start = max(self.now - RECENT, timezone.make_aware(datetime.combine(self.today, time())))
        if moment <= start:
            return moment
        window, ahead = self.now - start, moment - start
        return start + window * (ahead / (ahead + window))


def random_password() -> str:
    return secrets.token_urlsafe(9)


def load_demo_zone(*, password: str | None = None) -> DemoZone:
    zone = DemoZone(password=password or random_password())
    with transaction.atomic():
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith("zoneguard.") and find_spec(module_name) is not None:
                import_module(module_name).load(zone)
    return zone
