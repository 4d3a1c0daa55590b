"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE: the API answers 413 in its own error shape,
in the request's language, instead of Django's HTML 400 page."""

import json

from django.conf import settings

from zoneguard.api import api
from zoneguard.gates.models import CheckIn


def too_large_batch() -> str:
    item = {"site_id": 1, "checked_at": "2020-02-21T08:00:00+08:00", "photo": "A" * 1_000_000}
    count = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // len(json.dumps(item)) + 1
    body = json.dumps({"items": [item] * count})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return body


def test_a_json_body_over_the_limit_is_a_413_in_the_apis_shape(zone, api_for):
    response = api_for("gate_a").post("/api/v1/checkins/batch", too_large_batch(), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"code": "too_large", "message": "请求内容过大，最多 10.0\xa0MB。", "errors": {}}
    assert not CheckIn.objects.exists()


def test_it_says_so_in_english_when_asked(zone, api_for):
    response = api_for("gate_a", language="en").post(
        "/api/v1/checkins/batch", too_large_batch(), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["message"] == "The request is too large: send at most 10.0\xa0MB."


def test_a_form_body_over_the_limit_from_a_signed_in_page_is_a_413_too(zone, client_for):
    # The session's CSRF check reads a form body before the operation's own parameters do.
    response = client_for("commander").post(
        "/api/v1/incidents", {"title": "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_the_openapi_document_declares_the_413():
    operation = api.get_openapi_schema()["paths"]["/api/v1/checkins/batch"]["post"]
    assert operation["responses"][413]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
