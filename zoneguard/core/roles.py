from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


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


def is_active_user(actor: User | None) -> TypeGuard[User]:
    # Templates and context processors hand over the request's user, anonymous on public pages.
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


def is_commander(actor: User | None) -> bool:
    """The zone commander (or a superuser): sees and may do everything in the zone."""
    return is_active_user(actor) and (actor.is_superuser or actor.role == Role.COMMANDER)
