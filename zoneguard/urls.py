from __future__ import annotations

from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog

from zoneguard.api import api
from zoneguard.core import views as core_views

admin.site.site_header = "ZoneGuard"
admin.site.site_title = "ZoneGuard"

# 404, 403 and 400 are Django's views over the templates in core/templates; the 500 page must not
# depend on what may have failed.
handler500 = "zoneguard.core.views.server_error"

# URLs are tried in order: the load balancer's probe, then the API, which gate devices call a
# thousand times a second, then the pages.
urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("exports/", include("zoneguard.core.export_urls")),
    path("", include("zoneguard.dashboard.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

# Each ZoneGuard app with a urls.py is mounted under its label: /registry/, /audit/, /gates/ ...
for config in apps.get_app_configs():
    if (
        config.name.startswith("zoneguard.")
        and config.label != "dashboard"  # served at /
        and find_spec(f"{config.name}.urls") is not None
    ):
        urlpatterns.append(path(f"{config.label}/", include(f"{config.name}.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
