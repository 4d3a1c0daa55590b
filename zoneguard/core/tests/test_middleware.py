"""The middleware ZoneGuard puts in place of Django's and django-csp's: messages stored only when
used, the Content-Security-Policy header built once."""

import re

from csp.constants import NONCE, NONE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from zoneguard.core.middleware import ContentSecurityPolicyMiddleware, MessageMiddleware


def serve(view, cookies=None) -> tuple[HttpResponse, list[str]]:
    seen: list[str] = []

    def wrapped(request: HttpRequest) -> HttpResponse:
        return view(request, seen)

    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    return SessionMiddleware(MessageMiddleware(wrapped))(request), seen


def add(request, seen):
    messages.success(request, "Saved.")
    return HttpResponse("ok")


def show(request, seen):
    seen.extend(str(m) for m in messages.get_messages(request))
    return HttpResponse("ok")


def api(request, seen):
    return HttpResponse("{}")


def test_a_message_added_by_one_request_is_shown_by_the_next_once(db):
    added, _ = serve(add)
    cookies = {name: morsel.value for name, morsel in added.cookies.items()}
    assert cookies.get("messages")
    shown, seen = serve(show, cookies)
    assert seen == ["Saved."]
    assert shown.cookies["messages"].value == ""  # consumed: the cookie is deleted


def test_a_request_that_uses_no_messages_leaves_them_alone(db):
    added, _ = serve(add)
    cookies = {name: morsel.value for name, morsel in added.cookies.items()}
    untouched, _ = serve(api, cookies)
    assert "messages" not in untouched.cookies
    _, seen = serve(show, cookies)
    assert seen == ["Saved."]


def csp_serve(view, middleware=None) -> HttpResponse:
    return (middleware or ContentSecurityPolicyMiddleware(view))(RequestFactory().get("/"))


def plain(request):
    return HttpResponse("{}")


def test_every_response_gets_the_site_policy_as_django_csp_builds_it():
    header = csp_serve(plain)["Content-Security-Policy"]
    assert header == build_policy()
    assert "default-src 'self'" in header and "frame-ancestors 'none'" in header
    assert "unsafe" not in header


def test_a_view_that_changes_its_policy_gets_its_own():
    updated = csp_serve(csp_update({"img-src": ["data:"]})(plain))["Content-Security-Policy"]
    assert "img-src 'self' data:" in updated
    assert "Content-Security-Policy" not in csp_serve(csp_exempt()(plain))
    assert csp_serve(plain)["Content-Security-Policy"] == build_policy()  # the next response: the site's again


def test_a_replaced_setting_is_built_again(settings):
    middleware = ContentSecurityPolicyMiddleware(plain)
    assert csp_serve(plain, middleware)["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [NONE]}}
    assert csp_serve(plain, middleware)["Content-Security-Policy"] == "default-src 'none'"


def test_a_page_that_uses_a_nonce_gets_it_in_its_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}

    def page(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}" src="/static/x.js"></script>')

    response = csp_serve(page)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"].split("; ")
