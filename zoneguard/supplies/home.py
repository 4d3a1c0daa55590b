"""What supplies offer a home page: to those who run them, the requests waiting for an officer;
to anyone who runs a depot, the items below their threshold."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import access, selectors


def home_items(user: Any) -> list[HomeItem]:
    if not access.reaches_supplies(user):
        return []
    items = []
    pending = selectors.open_request_count(actor=user)
    if pending:
        items.append(
            HomeItem(
                _("Supplies requests waiting"),
                reverse("supplies:requests") + "?status=pending",
                value=str(pending),
                tone=Tone.WARN,
                order=30,
            )
        )
    low = selectors.low_stock_count(actor=user)
    if low:
        items.append(
            HomeItem(
                _("Supplies below their threshold"),
                reverse("supplies:stock"),
                value=str(low),
                tone=Tone.WARN,
                order=31,
            )
        )
    return items
