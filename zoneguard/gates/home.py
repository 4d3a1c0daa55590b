"""What the gates offer a home page: the gate itself, today's entries, open fever alerts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import ENTRY_ROLES, Role

from . import selectors
from .services import can_check_in

# Who reads the entry log and its counts (the "Entries" page).


def home_items(user: Any) -> list[HomeItem]:
    items = []
    if user.role == Role.GATE_OFFICER and can_check_in(user):
        items.append(HomeItem(_("Open the gate page"), reverse("gates:gate"), action=True, order=1))
    open_alerts = selectors.open_alert_count(actor=user)
    if open_alerts:
        items.append(
            HomeItem(
                _("Fever alerts waiting"),
                reverse("gates:alerts") + "?status=open",
                value=str(open_alerts),
                detail=_("Take them in charge and record the re-tests."),
                tone=Tone.BAD,
                order=5,
            )
        )
    if user.is_superuser or user.role in ENTRY_ROLES:
        totals = selectors.day_totals(actor=user)
        items.append(
            HomeItem(
                _("Entries today"),
                reverse("gates:today"),
                value=str(totals.entries),
                detail=_("%(denied)d refused, %(fevers)d with a fever")
                % {"denied": totals.denied, "fevers": totals.fevers},
                tone=Tone.WARN if totals.fevers else Tone.PLAIN,
                order=40,
            )
        )
    return items
