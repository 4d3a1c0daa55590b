from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import OFFICE_ROLES, Role


class AccountsConfig(AppConfig):
    name = "zoneguard.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # People who connect other systems or gate devices: the others have no use for tokens.
    nav = [
        NavItem("accounts:tokens", _("API tokens"), order=900, roles=OFFICE_ROLES),
        NavItem(
            "accounts:users",
            _("Users"),
            order=880,
            roles=frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN, Role.COMMUNITY_WORKER}),
        ),
        NavItem(
            "accounts:applications",
            _("Enterprise applications"),
            order=870,
            roles=frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER}),
        ),
        NavItem("accounts:security", _("Sign-in and security"), order=950),
    ]

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .models import ApiToken, User
        from .services import TOKENS

        TOKENS.clear_on_change("tokens", ApiToken, User)
