"""What the tax services offer a home page: the hall's day and the decisions waiting for tax
officers, bookings and matched policies for an enterprise, today's bookings for the commander."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneguard.core.home import HomeItem, Tone
from zoneguard.core.roles import is_commander

from . import access, selectors
from .models import AppointmentStatus, DeferralStatus


def home_items(user: Any) -> list[HomeItem]:
    if not access.uses_tax_services(user):
        return []
    items = []
    today = timezone.localdate()
    if access.can_administer(user) or is_commander(user):
        bookings = selectors.appointment_list(actor=user, day=today).exclude(status=AppointmentStatus.CANCELLED)
        items.append(
            HomeItem(
                _("Tax hall bookings today"),
                reverse("tax:appointments") + f"?date={today:%Y-%m-%d}",
                value=str(bookings.count()),
                order=50,
            )
        )
    if access.can_administer(user):
        waiting = selectors.deferral_list(actor=user, status=DeferralStatus.SUBMITTED).count()
        if waiting:
            items.append(
                HomeItem(
                    _("Deferral applications to decide"),
                    reverse("tax:deferrals") + f"?status={DeferralStatus.SUBMITTED}",
                    value=str(waiting),
                    tone=Tone.WARN,
                    order=12,
                )
            )
        unanswered = selectors.question_list(actor=user, answered=False).count()
        if unanswered:
            items.append(
                HomeItem(
                    _("Questions to answer"),
                    reverse("tax:questions") + "?answered=no",
                    value=str(unanswered),
                    tone=Tone.WARN,
                    order=13,
                )
            )
    if access.is_enterprise_user(user):
        for organisation in selectors.taxpayer_choices(actor=user):
            matched = [
                result
                for result in selectors.eligible_policies(actor=user, organisation=organisation)
                if result.eligible
            ]
            items.append(
                HomeItem(
                    _("Tax policies for %(name)s") % {"name": organisation.name},
                    reverse("tax:taxpayer", kwargs={"pk": organisation.pk}),
                    value=str(len(matched)),
                    detail=_("preferential policies it qualifies for"),
                    order=55,
                )
            )
        upcoming = selectors.appointment_list(actor=user, upcoming=True, status=AppointmentStatus.BOOKED).first()
        items.append(
            HomeItem(
                _("Your next tax hall booking"),
                reverse("tax:appointment", kwargs={"pk": upcoming.pk}) if upcoming else reverse("tax:appointment-book"),
                value=timezone.localtime(upcoming.slot.starts_at).strftime("%m-%d %H:%M") if upcoming else "",
                detail="" if upcoming else _("None booked: book a time slot instead of queueing."),
                action=upcoming is None,
                order=56,
            )
        )
    return items
