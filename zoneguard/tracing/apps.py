from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


def _may_trace(user: object) -> bool:
    from .access import can_trace

    return can_trace(user)  # type: ignore[arg-type]


class TracingConfig(AppConfig):
    name = "zoneguard.tracing"
    label = "tracing"
    verbose_name = _("Contact tracing")
    # Shown to those who may trace (access.can_trace); the page answers the others with 403.
    nav = [NavItem("tracing:trace", _("Tracing"), order=35, visible=_may_trace)]
