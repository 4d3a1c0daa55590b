from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


class IncidentsConfig(AppConfig):
    name = "zoneguard.incidents"
    label = "incidents"
    verbose_name = _("Emergency incidents")
    # Anyone with an account reports emergencies.
    nav = [NavItem("incidents:list", _("Incidents"), order=40)]

    def ready(self) -> None:
        from zoneguard.core.events import fever_detected

        from .receivers import on_fever_detected

        fever_detected.connect(on_fever_detected, dispatch_uid="incidents.on_fever_detected")
