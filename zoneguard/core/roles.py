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

# Who is shown which kind of page (menus, home pages); what each may then read is the scoping's say.
COMMANDER_ROLES = frozenset({Role.COMMANDER})
# Filings, daily reports, API tokens: the offices of the zone and of the organisations.
OFFICE_ROLES = frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN})
# Entries, declarations, checkpoint sites: the offices and the gate officers.
ENTRY_ROLES = OFFICE_ROLES | {Role.GATE_OFFICER}
# Organisations, people, notices: the offices and the community workers.
PEOPLE_ROLES = OFFICE_ROLES | {Role.COMMUNITY_WORKER}
# The gate page, where check-ins are recorded: not the departments, which only read them.
GATE_ROLES = frozenset({Role.COMMANDER, Role.ORGANISATION_ADMIN, Role.GATE_OFFICER})


def is_active_user(actor: User | None) -> TypeGuard[User]:
    # Templates and context processors hand over the request's user, anonymous on public pages.
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


def is_commander(actor: User | None) -> bool:
    """The zone commander (or a superuser): sees and may do everything in the zone."""
    return is_active_user(actor) and (actor.is_superuser or actor.role == Role.COMMANDER)
