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
