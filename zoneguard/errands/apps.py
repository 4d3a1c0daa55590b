from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zoneguard.core.nav import NavItem


def _follows(user: object) -> bool:
    from zoneguard.isolation.access import sees_cases

    return sees_cases(user)  # type: ignore[arg-type]


class ErrandsConfig(AppConfig):
    name = "zoneguard.errands"
    label = "errands"
    verbose_name = _("Errands")
    # Volunteers reach their errands from "My tasks"; the workers and officers from this list.
    nav = [NavItem("errands:list", _("Errands"), order=37, visible=_follows)]

    def ready(self) -> None:
        from zoneguard.core.events import isolation_closed
        from zoneguard.core.retention import register_purge

        from .services import PURGED_CONTENTS, cancel_open_errands, purge_errand_contents

        register_purge("errands.contents", PURGED_CONTENTS, purge_errand_contents)
        isolation_closed.connect(cancel_open_errands, dispatch_uid="errands-isolation-closed")
