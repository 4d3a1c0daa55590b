from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem

if TYPE_CHECKING:
    from zoneguard.accounts.models import User


def _uses_tax_services(user: User | None) -> bool:
    from .access import uses_tax_services

    return uses_tax_services(user)


class TaxConfig(AppConfig):
    name = "zoneguard.tax"
    label = "tax"
    verbose_name = _("Tax services")
    nav = [NavItem("tax:home", _("Tax services"), order=60, visible=_uses_tax_services)]

    def ready(self) -> None:
        from . import facts, receivers  # noqa: F401

        facts.register()
