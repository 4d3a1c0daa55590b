from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import Role


class VolunteersConfig(AppConfig):
    name = "zoneguard.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")
    nav = [
        NavItem("volunteers:my", _("My tasks"), roles=frozenset({Role.VOLUNTEER}), order=5),
        NavItem(
            "volunteers:index", _("Volunteers"), roles=frozenset({Role.COMMANDER, Role.COMMUNITY_WORKER}), order=45
        ),
    ]
