"""The error pages in ZoneGuard's layout and language, with DEBUG off as in production: a missing
page, a refusal, a bad request, an expired form and a server error."""

from unittest import mock

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from zoneguard.core.views import server_error

LAYOUT = 'class="topbar"'
STYLESHEET = "/static/zoneguard/app.css"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_a_missing_page_is_the_404_page_in_the_layout_with_the_menu(zone, client_for):
    response = client_for("commander").get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in page and "<title>页面不存在 · ZoneGuard</title>" in page and "返回首页" in page
    assert LAYOUT in page and 'class="mainnav"' in page and STYLESHEET in page
    assert '<html lang="zh-hans">' in page
    assert "Content-Security-Policy" in response


def test_the_404_page_speaks_english_to_who_asks_for_it(zone, client_for):
    response = client_for("commander", language="en").get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page and "Back to the home page" in page and LAYOUT in page
    assert "页面不存在" not in page


def test_a_visitor_gets_the_404_page_too(db):
    response = Client().get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and "<h1>页面不存在</h1>" in page and LAYOUT in page
    assert 'class="mainnav"' not in page  # no menu before signing in


def test_an_object_outside_the_user_s_scope_is_the_same_404_page(zone, client_for):
    response = client_for("admin_a").get(f"/registry/organisations/{zone.enterprise_b.pk}/")
    assert response.status_code == 404 and "<h1>页面不存在</h1>" in response.content.decode()


def test_a_refusal_is_the_403_page_in_the_layout(zone, client_for):
    response = client_for("gate_a").get(f"/registry/organisations/{zone.enterprise_a.pk}/edit/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>无权操作</h1>" in page and LAYOUT in page and 'class="mainnav"' in page
    english = client_for("gate_a", language="en").get(f"/registry/organisations/{zone.enterprise_a.pk}/edit/")
    assert english.status_code == 403 and "Not allowed" in english.content.decode()


def test_a_bad_request_is_the_400_page(db):
    response = Client().get("/", HTTP_HOST="zoneguard.example")  # not in ALLOWED_HOSTS
    page = response.content.decode()
    assert response.status_code == 400
    assert "<h1>无法处理该请求</h1>" in page and LAYOUT in page and STYLESHEET in page
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/", HTTP_HOST="zoneguard.example")
    assert english.status_code == 400 and "The request could not be handled" in english.content.decode()


def test_an_expired_form_says_so_in_the_layout(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>表单已过期</h1>" in page and LAYOUT in page and "CSRF verification failed" not in page
    english = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en").post("/accounts/login/")
    assert english.status_code == 403 and "The form has expired" in english.content.decode()


@pytest.mark.urls("zoneguard.core.tests.error_urls")
def test_a_server_error_is_the_500_page_in_the_layout(zone, client_for):
    client = client_for("commander")
    client.raise_request_exception = False
    response = client.get("/fail/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>系统出错</h1>" in page and LAYOUT in page and STYLESHEET in page
    assert "a bug" not in page and "Traceback" not in page
    assert "Content-Security-Policy" in response
    english = client_for("commander", language="en")
    english.raise_request_exception = False
    assert "Server error" in english.get("/fail/").content.decode()


def test_the_500_page_renders_without_the_database_or_the_request():
    # No db fixture: pytest-django fails any query. The request carries no user and no session.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "<h1>系统出错</h1>" in response.content.decode()
    with translation.override("en"):
        assert "<h1>Server error</h1>" in server_error(RequestFactory().get("/")).content.decode()


def test_a_500_page_that_cannot_render_falls_back_to_plain_text():
    with mock.patch("zoneguard.core.views.loader.render_to_string", side_effect=ValueError("no manifest")):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert "服务器" in response.content.decode()
