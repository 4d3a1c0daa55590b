"""What notices offer a home page: notices to the user's organisation not read yet."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import selectors


def home_items(user: Any) -> list[HomeItem]:
    unread = selectors.unread_for(actor=user)
    if not unread:
        return []
    return [
        HomeItem(
            _("Notices to read"),
            reverse("notices:list"),
            value=str(unread),
            detail=_("Sent to your organisation by the zone's departments."),
            tone=Tone.WARN,
            order=9,
        )
    ]
