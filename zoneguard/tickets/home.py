"""What requests offer a home page: a department the requests waiting for it (overdue first), an
enterprise the answers it has to confirm or rate; the commander those no rule routed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone

from . import access, lifecycle, selectors
from .models import TicketStatus


def home_items(user: Any) -> list[HomeItem]:
    if not access.sees_tickets(user):
        return []
    qs = selectors.ticket_list(actor=user)
    items = []
    if access.may_file(user):
        answered = qs.filter(status=TicketStatus.RESOLVED).count()
        if answered:
            items.append(
                HomeItem(
                    _("Answers to your requests to confirm"),
                    reverse("tickets:list") + "?status=resolved",
                    value=str(answered),
                    tone=Tone.WARN,
                    order=20,
                )
            )
        return items
    now = timezone.now()
    open_qs = qs.filter(status__in=sorted(lifecycle.OPEN))
    if access.is_commander_of_zone(user):
        open_qs = open_qs.filter(department__isnull=True)
    waiting = open_qs.count()
    if waiting:
        overdue = open_qs.filter(
            Q(resolve_due__lte=now) | Q(status=TicketStatus.SUBMITTED, accept_due__lte=now)
        ).count()
        items.append(
            HomeItem(
                _("Enterprise requests to work on"),
                reverse("tickets:list") + "?status=submitted",
                value=str(waiting),
                detail=_("%(late)d past the time limit") % {"late": overdue} if overdue else "",
                tone=Tone.BAD if overdue else Tone.WARN,
                order=15,
            )
        )
    return items
