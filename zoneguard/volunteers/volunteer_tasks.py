"""This app's sections of "My tasks" (my_tasks.py): today's shifts with their check-in and
check-out, open shifts to sign up for, the shifts to come, and the tasks given to the volunteer."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from . import hours, selectors
from .models import Volunteer
from .my_tasks import TaskSection


def sections(volunteer: Volunteer) -> list[TaskSection]:
    now = timezone.now()
    today = timezone.localdate(now)
    signups = list(selectors.my_signups(volunteer=volunteer, now=now))
    todays = [s for s in signups if timezone.localdate(s.shift.starts_at) <= today]
    coming = [s for s in signups if timezone.localdate(s.shift.starts_at) > today]
    rows = [
        {
            "signup": s,
            "can_check_in": s.checked_in_at is None
            and hours.check_in_open(starts_at=s.shift.starts_at, ends_at=s.shift.ends_at, at=now),
            "can_check_out": s.checked_in_at is not None and s.checked_out_at is None,
            "can_cancel": s.checked_in_at is None and s.shift.starts_at > now,
            "missed": s.checked_in_at is None and s.shift.ends_at <= now,
        }
        for s in todays
    ]
    result = [
        TaskSection(
            _("Today's shifts"), "volunteers/_my_today.html", {"rows": rows, "now": now}, order=10, key="today"
        ),
        TaskSection(
            _("Open shifts"),
            "volunteers/_my_open_shifts.html",
            {"shifts": selectors.open_shifts(volunteer=volunteer, now=now)},
            order=20,
            key="open-shifts",
        ),
    ]
    if coming:
        result.append(
            TaskSection(_("Coming shifts"), "volunteers/_my_coming.html", {"signups": coming}, order=30, key="coming")
        )
    tasks = list(selectors.my_tasks(volunteer=volunteer))
    if tasks:
        result.append(TaskSection(_("Tasks"), "volunteers/_my_tasks.html", {"tasks": tasks}, order=40, key="tasks"))
    return result
