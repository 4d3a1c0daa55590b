from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import Role

GATE_ROLES = frozenset({Role.COMMANDER, Role.ORGANISATION_ADMIN, Role.GATE_OFFICER})


class GatesConfig(AppConfig):
    name = "zoneguard.gates"
    label = "gates"
    verbose_name = _("Gates")
    nav = [
        NavItem("gates:gate", pgettext_lazy("gate page", "Gate"), order=30, roles=GATE_ROLES),
        NavItem(
            "gates:today",
            _("Entries"),
            order=31,
            roles=frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.GATE_OFFICER}),
        ),
        NavItem(
            "gates:alerts",
            _("Fever alerts"),
            order=33,
            visible=lambda user: (
                user.is_superuser
                or user.is_duty_officer
                or user.role in {Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.GATE_OFFICER}
            ),
        ),
    ]

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from zoneguard.core.attendance import register_attendance_source
        from zoneguard.registry.models import Organisation, Site

        from .models import SiteGate
        from .selectors import attendance_source
        from .services import SITES

        register_attendance_source("gates", attendance_source)
        for model in (Site, SiteGate, Organisation):
            post_save.connect(SITES.clear, sender=model, dispatch_uid=f"hotcache-sites-{model.__name__}")
            post_delete.connect(SITES.clear, sender=model, dispatch_uid=f"hotcache-sites-del-{model.__name__}")
