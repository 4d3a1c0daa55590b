from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The pages that bring every module together: each user's home page, and the commander's
    overview. The top of the dependency layers: it may read any module, none reads it."""

    name = "zoneguard.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
