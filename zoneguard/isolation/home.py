"""What home isolation offers a home page: the worker's missed follow-ups and the cases whose
period is over, to release; the number in isolation for the zone's officers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import access, selectors


def home_items(user: Any) -> list[HomeItem]:
    if not access.sees_cases(user):
        return []
    days = selectors.follow_up_list(actor=user)
    url = reverse("isolation:cases")
    missed = sum(1 for d in days if d.missed)
    due = sum(1 for d in days if d.due_today)
    to_release = sum(1 for d in days if d.ends_today_or_before)
    items = [
        HomeItem(
            _("In home isolation"),
            url,
            value=str(len(days)),
            detail=_("%(due)d still to report today") % {"due": due} if due else "",
            tone=Tone.WARN if due else Tone.PLAIN,
            order=20,
        )
    ]
    if missed:
        items.append(HomeItem(_("Missed follow-ups"), url, value=str(missed), tone=Tone.BAD, order=8))
    if to_release:
        items.append(HomeItem(_("Isolation over: to release"), url, value=str(to_release), tone=Tone.WARN, order=9))
    return items
