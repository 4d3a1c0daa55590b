"""What tracing offers a home page, for those who trace: the people a gate found with a fever in
the last days (where a trace starts) and the close contacts under observation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import access, selectors


def home_items(user: Any) -> list[HomeItem]:
    if not access.can_trace(user):
        return []
    items = []
    fevers = selectors.recent_fever_count(actor=user)
    if fevers:
        items.append(
            HomeItem(
                _("Fevers to trace"),
                reverse("tracing:trace"),
                value=str(fevers),
                detail=_("people found with a fever at a gate in the last %(days)d days")
                % {"days": selectors.RECENT_FEVER_DAYS},
                tone=Tone.BAD,
                order=7,
            )
        )
    observed = selectors.close_contact_list(actor=user).count()
    if observed or access.traces_whole_zone(user):
        items.append(
            HomeItem(
                _("Close contacts under observation"),
                reverse("tracing:close_contacts"),
                value=str(observed),
                tone=Tone.WARN if observed else Tone.PLAIN,
                order=21,
            )
        )
    return items
