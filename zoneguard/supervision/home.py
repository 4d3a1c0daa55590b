"""What supervision offers a home page: an officer's items of today and those overdue; for the
commander, the items overdue across the zone."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import is_commander

from . import access, selectors
from .models import ItemStatus


def home_items(user: Any) -> list[HomeItem]:
    if not access.sees_tasks(user):
        return []
    today = timezone.localdate()
    if is_commander(user):
        late = selectors.item_list(actor=user, overdue=True).count()
        if not late:
            return []
        return [
            HomeItem(
                _("Key-task items overdue"),
                reverse("supervision:today"),  # every department's items due, the overdue marked
                value=str(late),
                tone=Tone.BAD,
                order=60,
            )
        ]
    mine = selectors.my_items(actor=user, today=today)
    due = mine.filter(due_on=today).exclude(status=ItemStatus.DONE).count()
    late = mine.filter(due_on__lt=today).count()
    if not (due or late):
        return []
    return [
        HomeItem(
            _("Key-task items to report today"),
            reverse("supervision:today"),
            value=str(due + late),
            detail=_("%(late)d overdue") % {"late": late} if late else "",
            tone=Tone.BAD if late else Tone.WARN,
            action=True,
            order=15,
        )
    ]
