"""A fever measured at a gate reaches those who trace (core.events.fever_detected, sent by the
gates inside the check-in's transaction): the epidemic-control officers are told at once, with a
link to the person's trace, where the gate's duty officers are told to take them to the clinic."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zoneguard.accounts.models import User
from zoneguard.accounts.selectors import active_users
from zoneguard.core.masking import mask_name
from zoneguard.core.roles import Role
from zoneguard.notifications.services import notify
from zoneguard.registry.models import Person, Site

from .models import TracingDuty

logger = logging.getLogger(__name__)


def tracing_officers() -> list[User]:
    """The officers of the departments that run epidemic control (TracingDuty), active ones."""
    departments = TracingDuty.objects.filter(is_active=True).values("department_id")
    return list(active_users().filter(role=Role.DEPARTMENT_OFFICER, department_id__in=departments).order_by("id"))


def on_fever_detected(sender: Any, **kwargs: Any) -> None:
    person_id = kwargs.get("person_id")
    if person_id is None:
        return  # nobody registered to trace
    # The duty officers were told by the gates already: one message each is enough.
    recipients = [user for user in tracing_officers() if not user.is_duty_officer]
    if not recipients:
        return
    # In a savepoint: a failure here must not undo the gate's check-in and alert.
    try:
        with transaction.atomic():
            person = Person.objects.get(pk=person_id)
            site = Site.objects.select_related("organisation").get(pk=kwargs["site_id"])
            notify(
                recipients=recipients,
                kind="alert",
                title=gettext_lazy("Fever at %(site)s: trace %(person)s"),
                body=gettext_lazy(
                    "%(temperature)s °C at %(time)s. Open the trace to find who shared a site with them."
                ),
                params={
                    "site": str(site),
                    "person": mask_name(person.name),
                    "temperature": kwargs["temperature"],
                    "time": timezone.localtime(kwargs["checked_at"]).strftime("%Y-%m-%d %H:%M"),
                },
                link=f"/tracing/?person={person.pk}",
                source=kwargs["alert"],
            )
    except (Person.DoesNotExist, Site.DoesNotExist, KeyError):
        logger.exception("could not tell the tracers of a fever alert")
