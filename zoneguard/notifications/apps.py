from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem
from zoneguard.core.roles import COMMANDER_ROLES


class NotificationsConfig(AppConfig):
    name = "zoneguard.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    nav = [
        NavItem("notifications:deliveries", _("Deliveries"), order=850, roles=COMMANDER_ROLES),
        NavItem("notifications:rules", _("Delivery rules"), order=852, roles=COMMANDER_ROLES),
    ]

    def ready(self) -> None:
        from zoneguard.core.retention import register_purge

        from .services import purge_deliveries, purge_notifications

        register_purge("notifications.notification", _("Notifications"), purge_notifications)
        register_purge("notifications.delivery", _("E-mails and group-chat messages sent"), purge_deliveries)
