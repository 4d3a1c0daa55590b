from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import PEOPLE_ROLES


class NoticesConfig(AppConfig):
    name = "zoneguard.notices"
    label = "notices"
    verbose_name = _("Notices")
    nav = [
        NavItem(
            "notices:list",
            _("Notices"),
            order=60,
            roles=PEOPLE_ROLES,
        )
    ]
