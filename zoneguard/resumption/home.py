"""What resumption offers a home page: the zone's rate, filings waiting for a decision, and an
enterprise's own filing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import Role, is_commander
from zoneguard.registry.models import Organisation

from . import access, selectors
from .models import FilingStatus, ResumptionFiling


def home_items(user: Any) -> list[HomeItem]:
    items = []
    if is_commander(user) or user.role == Role.DEPARTMENT_OFFICER:
        overall = selectors.resumption_rates(actor=user).overall
        if overall.registered:
            items.append(
                HomeItem(
                    _("Resumption rate"),
                    reverse("resumption:rates"),
                    value=f"{overall.resumption_rate:.1%}" if overall.resumption_rate is not None else "—",
                    detail=_("%(resumed)d of %(registered)d organisations back at work")
                    % {"resumed": overall.resumed, "registered": overall.registered},
                    order=20,
                )
            )
        waiting = selectors.filing_list(actor=user, to_review=True).count()
        if waiting:
            items.append(
                HomeItem(
                    _("Filings waiting for your decision"),
                    reverse("resumption:filings") + "?to_review=on",
                    value=str(waiting),
                    tone=Tone.WARN,
                    order=10,
                )
            )
    if user.role == Role.ORGANISATION_ADMIN:
        own = Organisation.objects.filter(access.fileable_organisations_q(user))
        filings = ResumptionFiling.objects.filter(organisation__in=own)
        for filing in filings.select_related("organisation").order_by("organisation__name"):
            returned = filing.status == FilingStatus.RETURNED
            items.append(
                HomeItem(
                    _("Resumption filing of %(name)s") % {"name": filing.organisation.name},
                    reverse("resumption:filing", kwargs={"pk": filing.pk}),
                    value=str(filing.get_status_display()),
                    detail=filing.review_comment if returned else "",
                    tone=Tone.WARN if returned else Tone.OK if filing.status == FilingStatus.APPROVED else Tone.PLAIN,
                    order=15,
                )
            )
        for organisation in selectors.fileable_organisations(actor=user):
            items.append(
                HomeItem(
                    _("File the resumption of %(name)s") % {"name": organisation.name},
                    reverse("resumption:filing-create") + f"?organisation={organisation.pk}",
                    action=True,
                    order=15,
                )
            )
    return items
