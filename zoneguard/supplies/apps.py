from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


def _reaches(user: object) -> bool:
    from .access import reaches_supplies

    return reaches_supplies(user)  # type: ignore[arg-type]


class SuppliesConfig(AppConfig):
    name = "zoneguard.supplies"
    label = "supplies"
    verbose_name = _("Prevention supplies")
    nav = [NavItem("supplies:stock", _("Supplies"), order=38, visible=_reaches)]
