from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import ENTRY_ROLES, GATE_ROLES, Role


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
            roles=ENTRY_ROLES,
        ),
        NavItem(
            "gates:alerts",
            _("Fever alerts"),
            order=33,
            visible=lambda user: (
                user.is_superuser
                or user.is_duty_officer
                or user.role
                in {
                    Role.COMMANDER,
                    Role.DEPARTMENT_OFFICER,
                    Role.ORGANISATION_ADMIN,
                    Role.GATE_OFFICER,
                    Role.COMMUNITY_WORKER,  # a community's own checkpoints raise alerts too
                }
            ),
        ),
    ]

    def ready(self) -> None:
        from zoneguard.core.attendance import register_attendance_source
        from zoneguard.registry.models import Organisation, Site

        from .models import SiteGate
        from .selectors import attendance_source
        from .services import SITES

        register_attendance_source("gates", attendance_source)
        from zoneguard.health.selectors import register_hold_source

        from .selectors import fever_holds

        register_hold_source("gates.fever", fever_holds)
        from zoneguard.core.exports import register_export

        from .exports import entry_log_table

        register_export("gates.entry_log", entry_log_table)
        from zoneguard.core.retention import register_purge

        from .services.retention import purge_entries, purge_face_photos

        register_purge(
            "gates.checkin", _("Gate entries (with tracing presences and closed fever alerts)"), purge_entries
        )
        register_purge("gates.facephoto", _("Face photos of people who left"), purge_face_photos)
        SITES.clear_on_change("sites", Site, SiteGate, Organisation)
