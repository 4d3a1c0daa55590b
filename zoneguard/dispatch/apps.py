from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


def _sees(user: object) -> bool:
    from zoneguard.dispatch.access import sees_dispatch

    return sees_dispatch(user)  # type: ignore[arg-type]


class DispatchConfig(AppConfig):
    name = "zoneguard.dispatch"
    label = "dispatch"
    verbose_name = _("Economic dispatch")
    nav = [NavItem("dispatch:projects", _("Investment projects"), order=39, visible=_sees)]
