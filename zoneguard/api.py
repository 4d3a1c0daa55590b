"""The one NinjaAPI at /api/v1/: every app whose `api` module (or package) defines `router` is mounted here."""

from __future__ import annotations

import re
from importlib import import_module
from importlib.util import find_spec

from csp.decorators import csp_update
from django.apps import apps
from ninja import NinjaAPI, Swagger
from ninja.operation import Operation

from zoneguard.accounts.auth import AUTH
from zoneguard.core.api import install_error_handlers


class ZoneGuardAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # An app's api may be a package, one module per area (tax/api/hall.py): its operations keep
        # the ids of the app's api, so that splitting a module changes nothing for clients.
        module = re.sub(r"\.api\.\w+$", ".api", operation.view_func.__module__)
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = ZoneGuardAPI(
    title="ZoneGuard API",
    version="1",
    description=(
        "ZoneGuard: epidemic prevention and work resumption for districts and industrial parks. "
        "Authenticate with `Authorization: Bearer <token>` (get a personal token from `POST /api/v1/auth/token`) "
        "or, from ZoneGuard's own pages, with the session cookie and CSRF token. Errors answer "
        "`{code, message, errors}` in the language of `Accept-Language` (zh-hans by default, or en)."
    ),
    urls_namespace="api",
    auth=AUTH,
    # Swagger UI's stylesheet draws its icons as data: images; the rest of its page (ninja's own
    # static files, no inline script) fits the site-wide policy. No validator badge: it would be
    # an image from validator.swagger.io, sending it the API's address.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
install_error_handlers(api)

# The gate's routes first: URLs are tried in order, and check-ins come a thousand a second.
FIRST = ("zoneguard.gates",)
configs = sorted(apps.get_app_configs(), key=lambda config: config.name not in FIRST)
for config in configs:
    if not config.name.startswith("zoneguard."):
        continue
    module_name = f"{config.name}.api"
    if find_spec(module_name) is None:
        continue
    router = getattr(import_module(module_name), "router", None)
    if router is not None:
        api.add_router("", router)
