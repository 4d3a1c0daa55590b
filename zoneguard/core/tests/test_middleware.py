"""The middleware ZoneGuard puts in place of Django's: messages stored only when used."""

from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from zoneguard.core.middleware import MessageMiddleware


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
