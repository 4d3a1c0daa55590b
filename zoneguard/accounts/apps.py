from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


class AccountsConfig(AppConfig):
    name = "zoneguard.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    nav = [NavItem("accounts:tokens", _("API tokens"), order=900)]

    def ready(self) -> None:
        from . import signals  # noqa: F401
