from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


def _officer_or_commander(user: object) -> bool:
    from .access import sees_tasks

    return sees_tasks(user)  # type: ignore[arg-type]


def _commander(user: object) -> bool:
    from zoneguard.core.roles import is_commander

    return is_commander(user)  # type: ignore[arg-type]


class SupervisionConfig(AppConfig):
    name = "zoneguard.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    nav = [
        NavItem("supervision:today", _("My items"), order=52, visible=_officer_or_commander),
        NavItem("supervision:ranking", _("Scores"), order=53, visible=_commander),
        NavItem("supervision:meetings", _("Dispatch meetings"), order=54, visible=_officer_or_commander),
    ]
