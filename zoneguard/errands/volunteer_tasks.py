"""Errands in a volunteer's "My tasks": those offered to them (open, in their community) and
their own, to buy, deliver and be paid back for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zoneguard.volunteers.my_tasks import TaskSection

from . import selectors
from .forms import DeliverForm


def sections(volunteer: Any) -> list[TaskSection]:
    mine = list(selectors.assigned_to(volunteer))
    offered = list(selectors.offered_to(volunteer))
    result = []
    if mine:
        result.append(
            TaskSection(_("My errands"), "errands/_my_errands.html", {"errands": mine, "form": DeliverForm()}, order=15)
        )
    if offered:
        result.append(
            TaskSection(_("Errands to take"), "errands/_offered_errands.html", {"errands": offered}, order=16)
        )
    return result
