"""ZoneGuard's URLs and one page that fails, for the 500 page's tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from zoneguard.urls import handler500
from zoneguard.urls import urlpatterns as site_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fail/", fail), *site_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
