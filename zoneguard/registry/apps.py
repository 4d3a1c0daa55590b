from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import Role


class RegistryConfig(AppConfig):
    name = "zoneguard.registry"
    label = "registry"
    verbose_name = _("Registry")
    nav = [
        NavItem(
            "registry:organisations",
            _("Organisations"),
            order=10,
            roles=frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.COMMUNITY_WORKER}),
        ),
        NavItem(
            "registry:people",
            _("People"),
            order=12,
            roles=frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.COMMUNITY_WORKER}),
        ),
        NavItem(
            "registry:sites",
            _("Checkpoint sites"),
            order=14,
            roles=frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.GATE_OFFICER}),
        ),
        NavItem("registry:duplicates", _("Duplicates"), order=16, roles=frozenset({Role.COMMANDER})),
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import facts
        from .models import Organisation, Site
        from .selectors import SITES_BY_CODE

        facts.register()
        for model in (Site, Organisation):
            post_save.connect(SITES_BY_CODE.clear, sender=model, dispatch_uid=f"hotcache-site-codes-{model.__name__}")
            post_delete.connect(
                SITES_BY_CODE.clear, sender=model, dispatch_uid=f"hotcache-site-codes-del-{model.__name__}"
            )
