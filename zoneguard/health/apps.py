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
        from zoneguard.core.retention import register_purge
        from zoneguard.registry.retention import register_person_record

        from .models import Declaration, HealthRule, Restriction
        from .services import (
            ACTIVE_RULES,
            old_declaration_q,
            purge_declarations,
            purge_released_restrictions,
            released_hold_q,
        )

        ACTIVE_RULES.clear_on_change("health-rules", HealthRule)
        register_purge("health.declaration", _("Health declarations (with the contacts they name)"), purge_declarations)
        register_purge("health.restriction", _("Released holds on people"), purge_released_restrictions)
        register_person_record(Declaration, "person", old_declaration_q)
        register_person_record(Restriction, "person", released_hold_q)
