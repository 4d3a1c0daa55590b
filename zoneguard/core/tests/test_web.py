"""perform(): a POSTed button's service call, its refusal or success told as a message."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from zoneguard.core.errors import Conflict
from zoneguard.core.web import perform


def request():
    req = RequestFactory().post("/")
    req.session = {}
    req._messages = FallbackStorage(req)
    return req


def told(req):
    return [(m.level_tag, str(m)) for m in get_messages(req)]


def test_a_refusal_is_told_as_an_error_and_nothing_is_returned():
    req = request()

    def refuse():
        raise Conflict("已经处理过了。", code="done")

    assert perform(req, refuse, success="不会出现") == (False, None)
    assert told(req) == [("error", "已经处理过了。")]


def test_success_is_told_with_the_result_when_asked_for():
    req = request()
    assert perform(req, lambda: 3, success=lambda n: f"已发送给 {n} 家单位。") == (True, 3)
    assert told(req) == [("success", "已发送给 3 家单位。")]


def test_without_a_success_message_nothing_is_told():
    req = request()
    assert perform(req, lambda: None) == (True, None)
    assert told(req) == []


def test_a_page_shows_a_refusal_beside_its_own_fields_and_the_rest_in_its_message():
    from django import forms
    from django.core.exceptions import NON_FIELD_ERRORS

    from zoneguard.core.web import page_errors

    class NoteForm(forms.Form):
        note = forms.CharField()

    on_field = Conflict("Too long.", errors={"note": ["Too long."]})
    assert page_errors(NoteForm(), on_field) == {"note": ["Too long."]}
    # Fields only the API has, and data for machines, are said once by the message.
    elsewhere = Conflict("Not enough: 0 left.", errors={"quantity": ["Not enough: 0 left."], "available": ["0"]})
    assert page_errors(NoteForm(), elsewhere) == {NON_FIELD_ERRORS: ["Not enough: 0 left."]}
    assert page_errors(NoteForm(), Conflict("Taken.")) == {NON_FIELD_ERRORS: ["Taken."]}
