"""The demo zone: the Hengyang High-tech Zone as its February 2020 news page tells it.

Every app that has demo data provides `demo.py` with `load(zone: DemoZone) -> None`; they run in
INSTALLED_APPS order, each idempotent (natural keys, get-or-create), so loading twice changes
nothing. People are synthetic: their ID numbers and phones are valid in form but made up."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone


@dataclass
class DemoZone:
    password: str
    today: date = field(default_factory=timezone.localdate)
    # A fixed seed: every machine builds the same people.
    rng: random.Random = field(default_factory=lambda: random.Random(20200221))  # noqa: S311 (not secret)
    departments: dict[str, Any] = field(default_factory=dict)
    sectors: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    sites: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


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
