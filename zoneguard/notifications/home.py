"""What notifications offer a home page: messages not read yet."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from .selectors import unread_count


def home_items(user: Any) -> list[HomeItem]:
    unread = unread_count(actor=user)
    if not unread:
        return []
    return [
        HomeItem(_("Unread notifications"), reverse("notifications:inbox"), value=str(unread), tone=Tone.WARN, order=8)
    ]
