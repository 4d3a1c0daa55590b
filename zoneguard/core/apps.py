from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zoneguard.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import collation, lookups

        lookups.register()
        connection_created.connect(collation.register_sqlite_functions, dispatch_uid="zoneguard-pinyin-key")
