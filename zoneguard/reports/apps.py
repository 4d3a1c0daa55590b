from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import OFFICE_ROLES


class ReportsConfig(AppConfig):
    name = "zoneguard.reports"
    label = "reports"
    verbose_name = _("Daily prevention reports")
    nav = [
        NavItem(
            "reports:day",
            _("Daily reports"),
            order=30,
            roles=OFFICE_ROLES,
        ),
    ]

    def ready(self) -> None:
        from zoneguard.resumption.onduty import register_reported_source

        from .attendance import reported_on_duty

        register_reported_source("daily_report", reported_on_duty)
