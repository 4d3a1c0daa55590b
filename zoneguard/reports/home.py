"""What the daily prevention reports offer a home page: today's report of an enterprise, and
who has filed for those who follow them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import Role, is_commander

from . import selectors
from .selectors import FilingState


def home_items(user: Any) -> list[HomeItem]:
    items = []
    overview = selectors.day_overview(actor=user)
    deadline = timezone.localtime(overview.deadline).strftime("%H:%M")
    if is_commander(user) or user.role == Role.DEPARTMENT_OFFICER:
        if overview.rows:
            late = len(overview.late)
            items.append(
                HomeItem(
                    _("Daily reports filed today"),
                    reverse("reports:day"),
                    value=f"{len(overview.filed)} / {len(overview.rows)}",
                    detail=_("%(late)d late (due by %(deadline)s)") % {"late": late, "deadline": deadline}
                    if late
                    else _("Due by %(deadline)s") % {"deadline": deadline},
                    tone=Tone.BAD if late else Tone.PLAIN,
                    order=25,
                )
            )
    elif user.role == Role.ORGANISATION_ADMIN:
        reportable = {o.pk for o in selectors.reportable_organisations(actor=user)}
        for row in overview.rows:
            if row.organisation.pk not in reportable:
                continue
            name = row.organisation.name
            if row.state == FilingState.FILED:
                items.append(
                    HomeItem(
                        _("Today's report of %(name)s") % {"name": name},
                        reverse("reports:file") + f"?organisation={row.organisation.pk}",
                        value=_("Filed"),
                        tone=Tone.OK,
                        order=20,
                    )
                )
            else:
                late = row.state == FilingState.LATE
                items.append(
                    HomeItem(
                        _("File today's report of %(name)s") % {"name": name},
                        reverse("reports:file") + f"?organisation={row.organisation.pk}",
                        detail=_("Late: it was due by %(deadline)s") % {"deadline": deadline}
                        if late
                        else _("Due by %(deadline)s") % {"deadline": deadline},
                        tone=Tone.BAD if late else Tone.WARN,
                        action=True,
                        order=2,
                    )
                )
    return items
