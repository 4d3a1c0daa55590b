from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import ENTRY_ROLES


class HealthConfig(AppConfig):
    name = "zoneguard.health"
    label = "health"
    verbose_name = _("Health declarations")
    nav = [
        NavItem(
            "health:declarations",
            _("Declarations"),
            order=32,
            roles=ENTRY_ROLES,
        ),
    ]

    def ready(self) -> None:
        from .models import HealthRule
        from .services import ACTIVE_RULES

        ACTIVE_RULES.clear_on_change("health-rules", HealthRule)
