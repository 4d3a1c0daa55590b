"""What incidents offer a home page: anyone can report an emergency; those who handle them see
the open ones."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import selectors


def home_items(user: Any) -> list[HomeItem]:
    items = [
        HomeItem(
            _("Report an emergency"),
            reverse("incidents:create"),
            detail=_("A fever, a suspected case, anything that cannot wait."),
            action=True,
            order=90,
        )
    ]
    open_incidents = selectors.open_count(actor=user)
    if open_incidents:
        items.append(
            HomeItem(
                _("Incidents not closed"),
                reverse("incidents:list"),
                value=str(open_incidents),
                tone=Tone.BAD,
                order=6,
            )
        )
    return items
