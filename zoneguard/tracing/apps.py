from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
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

    def ready(self) -> None:
        from zoneguard.core.events import fever_detected

        from .receivers import on_fever_detected

        checks.register(_keeps_what_a_trace_reads)
        fever_detected.connect(on_fever_detected, dispatch_uid="tracing.on_fever_detected")


def _keeps_what_a_trace_reads(**kwargs: Any) -> list[checks.CheckMessage]:
    from .services import MAX_DAYS

    if settings.PERSONAL_DATA_DAYS >= MAX_DAYS:
        return []
    return [
        checks.Error(
            f"ZONEGUARD_PERSONAL_DATA_DAYS is {settings.PERSONAL_DATA_DAYS}: a trace reads {MAX_DAYS} days back.",
            hint=f"Keep the entry log and the declarations at least {MAX_DAYS} days.",
            id="tracing.E001",
        )
    ]
