from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who uses ZoneGuard (PRODUCT.md, "Who uses it"). Residents need no account."""

    COMMANDER = "commander", _("Zone commander")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
    GATE_OFFICER = "gate_officer", _("Gate officer")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    DEVICE = "device", _("Device or integration")


# Roles that belong to an organisation; a department officer belongs to a department instead.
ORGANISATION_ROLES = frozenset({Role.ORGANISATION_ADMIN, Role.GATE_OFFICER, Role.COMMUNITY_WORKER, Role.DEVICE})


def is_active_user(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def is_commander(actor: Any) -> bool:
    """The zone commander (or a superuser): sees and may do everything in the zone."""
    return is_active_user(actor) and (actor.is_superuser or actor.role == Role.COMMANDER)
