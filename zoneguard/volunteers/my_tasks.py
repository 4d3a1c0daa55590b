""" "My tasks" (我的任务): a volunteer's day on one phone page, made of sections that apps offer.

An app that has work for volunteers offers it in a module `volunteer_tasks.py` with a function

    def sections(volunteer: Volunteer) -> list[TaskSection]: ...

`volunteer` is the signed-in user's approved record (selectors.volunteer_of): its `community`,
`user` and `pk` say whose work to list. Each TaskSection names a template, rendered with the
section's `context` and the request (so `{% csrf_token %}` and `user` work in its forms), under
the section's `title`; sections are shown by `order` (this app's: today's shifts 10, open shifts
20, coming shifts 30, tasks 40). Offer nothing (an empty list) when there is nothing to do, and
keep the queries few: the page is opened on phones at the checkpoint. Buttons POST to the app's own
views, which redirect back to `volunteers:my`.

For example, errands for isolated residents (an app `zoneguard.errands`):

    # zoneguard/errands/volunteer_tasks.py
    from zoneguard.volunteers.my_tasks import TaskSection

    def sections(volunteer):
        errands = selectors.errands_of(volunteer_id=volunteer.pk)
        if not errands:
            return []
        return [TaskSection(_("Errands"), "errands/_my_errands.html", {"errands": errands}, order=25)]

The page collects the sections of every installed ZoneGuard app, this one's included
(volunteers/volunteer_tasks.py), so new work reaches volunteers without this page changing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from .models import Volunteer

HOOK = "volunteer_tasks"


@dataclass(frozen=True)
class TaskSection:
    title: Any  # translated
    template: str  # rendered with `context` and the request
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100
    key: str = ""  # names the section on the page (data-testid="section-<key>"); the template's name by default

    @property
    def name(self) -> str:
        return self.key or self.template.rsplit("/", 1)[-1].removesuffix(".html").lstrip("_")


def _providers() -> list[Any]:
    providers = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.{HOOK}"
        if config.name.startswith("zoneguard.") and find_spec(module_name) is not None:
            provider = getattr(import_module(module_name), "sections", None)
            if provider is not None:
                providers.append(provider)
    return providers


def sections_for(volunteer: Volunteer) -> list[TaskSection]:
    return sorted((section for provider in _providers() for section in provider(volunteer)), key=lambda s: s.order)
