from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import Role

TOKEN_ROLES = frozenset({Role.COMMANDER, Role.DEPARTMENT_OFFICER, Role.ORGANISATION_ADMIN})


class AccountsConfig(AppConfig):
    name = "zoneguard.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # People who connect other systems or gate devices: the others have no use for tokens.
    nav = [NavItem("accounts:tokens", _("API tokens"), order=900, roles=TOKEN_ROLES)]

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import signals  # noqa: F401
        from .models import ApiToken, User
        from .services import TOKENS

        for model in (ApiToken, User):
            post_save.connect(TOKENS.clear, sender=model, dispatch_uid=f"hotcache-tokens-{model.__name__}")
            post_delete.connect(TOKENS.clear, sender=model, dispatch_uid=f"hotcache-tokens-del-{model.__name__}")
