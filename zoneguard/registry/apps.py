from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import COMMANDER_ROLES, ENTRY_ROLES, PEOPLE_ROLES


class RegistryConfig(AppConfig):
    name = "zoneguard.registry"
    label = "registry"
    verbose_name = _("Registry")
    nav = [
        NavItem(
            "registry:organisations",
            _("Organisations"),
            order=10,
            roles=PEOPLE_ROLES,
        ),
        NavItem(
            "registry:people",
            _("People"),
            order=12,
            roles=PEOPLE_ROLES,
        ),
        NavItem(
            "registry:sites",
            _("Checkpoint sites"),
            order=14,
            roles=ENTRY_ROLES,
        ),
        NavItem("registry:duplicates", _("Duplicates"), order=16, roles=COMMANDER_ROLES),
    ]

    def ready(self) -> None:
        from . import facts
        from .models import Organisation, Site
        from .selectors import SITES_BY_CODE

        facts.register()
        SITES_BY_CODE.clear_on_change("site-codes", Site, Organisation)
