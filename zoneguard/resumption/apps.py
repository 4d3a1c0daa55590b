from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import OFFICE_ROLES


class ResumptionConfig(AppConfig):
    name = "zoneguard.resumption"
    label = "resumption"
    verbose_name = _("Work resumption")
    nav = [
        NavItem(
            "resumption:filings",
            _("Resumption filings"),
            order=20,
            roles=OFFICE_ROLES,
        ),
        NavItem(
            "resumption:rates",
            _("Resumption rates"),
            order=22,
            roles=OFFICE_ROLES,
        ),
    ]

    def ready(self) -> None:
        from zoneguard.core.facts import OrganisationFact, register_fact

        from .models import ResumptionState
        from .selectors import resumption_states

        register_fact(
            OrganisationFact(
                "resumption_state",
                _("Resumption state"),
                "choice",
                resumption_states,
                lambda: list(ResumptionState.choices),
            )
        )
