from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


def _may_follow(user: object) -> bool:
    from .access import sees_cases

    return sees_cases(user)  # type: ignore[arg-type]


class IsolationConfig(AppConfig):
    name = "zoneguard.isolation"
    label = "isolation"
    verbose_name = _("Home isolation")
    nav = [NavItem("isolation:cases", _("Home isolation"), order=36, visible=_may_follow)]

    def ready(self) -> None:
        from zoneguard.core.retention import register_purge

        from .services import purge_follow_ups

        register_purge("isolation.followup", _("Readings of closed home isolations"), purge_follow_ups)
