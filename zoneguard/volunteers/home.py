"""What the corps offers a home page: a community worker (and the commander) the applications to
approve, today's shifts still short of volunteers and the canvassing's open to-dos; a volunteer
their tasks, or the way to apply."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import access, selectors


def home_items(user: Any) -> list[HomeItem]:
    if access.is_volunteer(user):
        return _volunteer_items(user)
    if not selectors.run_communities(actor=user).exists():
        return []
    items = []
    pending = selectors.pending_count(actor=user)
    if pending:
        items.append(
            HomeItem(
                _("Volunteers waiting for approval"),
                reverse("volunteers:index") + "?status=pending",
                value=str(pending),
                tone=Tone.WARN,
                order=20,
            )
        )
    unfilled = selectors.unfilled_today_count(actor=user)
    if unfilled:
        items.append(
            HomeItem(
                _("Shifts today still short of volunteers"),
                reverse("volunteers:shifts") + f"?day={timezone.localdate().isoformat()}",
                value=str(unfilled),
                tone=Tone.WARN,
                order=21,
            )
        )
    todos = selectors.todo_list(actor=user).count()
    if todos:
        items.append(
            HomeItem(
                _("Shops to follow up after canvassing"),
                reverse("volunteers:todos"),
                value=str(todos),
                detail=_("Open without their staff registered."),
                tone=Tone.WARN,
                order=22,
            )
        )
    return items


def _volunteer_items(user: Any) -> list[HomeItem]:
    volunteer = selectors.volunteer_of(user)
    if volunteer is None:
        if selectors.own_volunteer(user) is not None:
            return [HomeItem(_("Your application is waiting for approval"), reverse("volunteers:my"), order=5)]
        return [
            HomeItem(
                _("Volunteer in your community"),
                reverse("volunteers:apply"),
                detail=_("Staff a checkpoint, canvass shops, run errands for isolated neighbours."),
                action=True,
                order=5,
            )
        ]
    return [
        HomeItem(
            _("My tasks"),
            reverse("volunteers:my"),
            detail=_("Today's shifts, open shifts to sign up for, your tasks."),
            action=True,
            order=5,
        ),
        HomeItem(
            _("Hours served"),
            reverse("volunteers:hours"),
            value=str(selectors.volunteer_hours(volunteer=volunteer).hours),
            order=50,
        ),
    ]
