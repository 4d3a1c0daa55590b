from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import COMMANDER_ROLES


class AuditConfig(AppConfig):
    name = "zoneguard.audit"
    label = "audit"
    verbose_name = _("Audit log")
    nav = [NavItem("audit:events", _("Audit log"), order=800, roles=COMMANDER_ROLES)]

    def ready(self) -> None:
        from zoneguard.core import events
        from zoneguard.core.exports import register_export

        from .exports import audit_events_table
        from .services import audit_export_download

        events.export_downloaded.connect(audit_export_download, dispatch_uid="audit-export-download")
        register_export("audit.events", audit_events_table)
