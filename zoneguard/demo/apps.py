from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Builds the demo zone from the Hengyang High-tech Zone story of February 2020."""

    name = "zoneguard.demo"
    label = "demo"
    verbose_name = _("Demo zone")
