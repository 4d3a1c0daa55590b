from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


def _sees(user: object) -> bool:
    from zoneguard.tickets.access import sees_tickets

    return sees_tickets(user)  # type: ignore[arg-type]


class TicketsConfig(AppConfig):
    name = "zoneguard.tickets"
    label = "tickets"
    verbose_name = _("Enterprise requests")
    nav = [NavItem("tickets:list", _("Enterprise requests"), order=38, visible=_sees)]
