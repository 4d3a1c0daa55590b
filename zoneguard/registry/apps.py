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
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from zoneguard.core.exports import register_export
        from zoneguard.core.retention import register_purge

        from . import facts, scoping
        from .exports import people_export_table
        from .models import CompetenceRule, Organisation, Site
        from .retention import purge_people
        from .selectors import SITES_BY_CODE

        facts.register()
        register_export("registry.people", people_export_table)
        register_purge("registry.person", _("People no record of the zone needs any more"), purge_people, last=True)
        for sender in (Organisation, CompetenceRule, settings.AUTH_USER_MODEL):
            post_save.connect(scoping.scope_changed, sender=sender, dispatch_uid=f"scope-{sender}")
            post_delete.connect(scoping.scope_changed, sender=sender, dispatch_uid=f"scope-deleted-{sender}")
        SITES_BY_CODE.clear_on_change("site-codes", Site, Organisation)
