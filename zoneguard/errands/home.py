"""What errands offer a home page: for the community worker, the errands still waiting for a
volunteer (those past the hour first) and those delivered but not yet paid back."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import access, selectors
from .models import ErrandStatus


def home_items(user: Any) -> list[HomeItem]:
    if not access.follows(user):
        return []
    qs = selectors.errand_list(actor=user)
    waiting = qs.filter(status=ErrandStatus.OPEN)
    unpaid = qs.filter(status__in=selectors.UNPAID_STATUSES).count()
    items = []
    open_count = waiting.count()
    if open_count:
        late = waiting.filter(escalated_at__isnull=False).count()
        items.append(
            HomeItem(
                _("Errands waiting for a volunteer"),
                reverse("errands:list") + "?status=open",
                value=str(open_count),
                detail=_("%(late)d for over an hour") % {"late": late} if late else "",
                tone=Tone.BAD if late else Tone.WARN,
                order=10,
            )
        )
    if unpaid:
        items.append(
            HomeItem(
                _("Errands delivered, not yet paid back"),
                reverse("errands:list") + f"?status={selectors.UNPAID}",
                value=str(unpaid),
                order=40,
            )
        )
    return items
