"""/api/v1/volunteers: the corps' registry, approval, one volunteer in full, the certificate; who
gets what (a volunteer their own record, another community's worker 404, anonymous 401, a device
token nothing)."""

from __future__ import annotations

import base64
import contextlib
import re
import zlib

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneguard.audit.models import AuditEvent
from zoneguard.core.roles import Role
from zoneguard.testing import make_user, valid_id_number
from zoneguard.volunteers.models import Volunteer

from .conftest import local, volunteer

URL = "/api/v1/volunteers"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def pdf_text(content: bytes) -> bytes:
    """The page streams of a reportlab PDF (ASCII85, then Flate), decoded."""
    out = b""
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data[:-2], adobe=False)
        with contextlib.suppress(zlib.error):
            data = zlib.decompress(data)
        out += data
    return out


def test_a_worker_registers_lists_masked_and_reads_one_in_full(corps, api_for):
    client = api_for("community_worker")
    created = post(
        client,
        URL,
        {
            "community_id": corps.zone.community.pk,
            "name": "刘红梅",
            "id_number": valid_id_number(seq=601),
            "phone": "13800138111",
            "skills": ["driving", "medical"],
            "availability": "每天上午",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["phone"], body["masked"], body["has_account"]) == (
        "approved",
        "138****8111",
        True,
        False,
    )
    listing = client.get(URL).json()
    assert listing["count"] == 3 and {i["name"] for i in listing["items"]} == {"张青葵", "胡柏林", "刘红梅"}
    assert all("*" in i["id_number"] for i in listing["items"])
    one = client.get(f"{URL}/{body['id']}").json()
    assert (one["phone"], one["masked"]) == ("13800138111", False)
    assert AuditEvent.objects.filter(action="read_personal", object_id=str(body["id"])).count() == 1


def test_bad_input_is_a_422_with_the_field(corps, api_for):
    client = api_for("community_worker")
    base = {"community_id": corps.zone.community.pk, "name": "某人", "id_number": valid_id_number(seq=602)}
    bad_number = post(client, URL, {**base, "id_number": "123"})
    assert bad_number.status_code == 422 and "id_number" in bad_number.json()["errors"]
    assert post(client, URL, {**base, "skills": ["juggling"]}).status_code == 422
    assert post(client, URL, {**base, "community_id": corps.zone.enterprise_a.pk}).status_code == 422
    assert post(client, URL, {**base, "community_id": 999_999}).status_code == 422
    assert post(client, URL, {**base, "community_id": corps.other_community.pk}).status_code == 403
    assert not Volunteer.objects.filter(name="某人").exists()


def test_a_volunteer_applies_and_is_approved_through_the_api(corps, api_for):
    corps.zone.users["newcomer"] = make_user("newcomer", Role.VOLUNTEER)
    applicant = api_for("newcomer")
    applied = post(
        applicant,
        URL,
        {"community_id": corps.zone.community.pk, "name": "陈艳", "id_number": valid_id_number(seq=603)},
    )
    assert applied.status_code == 201, applied.content
    assert (applied.json()["status"], applied.json()["has_account"]) == ("pending", True)
    pk = applied.json()["id"]
    # Their own record only; no shifts before approval.
    assert [i["id"] for i in applicant.get(URL).json()["items"]] == [pk]
    assert post(api_for("worker_b"), f"{URL}/{pk}/approve").status_code == 404
    assert post(applicant, f"{URL}/{pk}/approve").status_code == 403
    approved = post(api_for("community_worker"), f"{URL}/{pk}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    suspended = post(api_for("commander"), f"{URL}/{pk}/suspend")
    assert suspended.json()["status"] == "suspended"


def test_a_volunteer_reads_only_their_own_record(corps, api_for):
    client = api_for("volunteer")
    assert [i["id"] for i in client.get(URL).json()["items"]] == [corps.first.pk]
    assert client.get(f"{URL}/{corps.first.pk}").json()["masked"] is False
    assert client.get(f"{URL}/{corps.second.pk}").status_code == 404
    assert client.get(f"{URL}/{corps.outsider.pk}").status_code == 404
    assert post(client, f"{URL}/{corps.second.pk}/suspend").status_code == 404


def test_outsiders_get_nothing(corps, api_for, device_for):
    zone = corps.zone
    other = api_for("worker_b")
    assert [i["id"] for i in other.get(URL).json()["items"]] == [corps.outsider.pk]
    for path in (f"{URL}/{corps.first.pk}", f"{URL}/{corps.first.pk}/certificate"):
        assert other.get(path).status_code == 404
    assert post(other, f"{URL}/{corps.second.pk}/suspend").status_code == 404
    for user in ("admin_a", "gate_a"):
        assert api_for(user).get(URL).json()["count"] == 0
        assert api_for(user).get(f"{URL}/{corps.first.pk}").status_code == 404
    anonymous = Client()
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}/{corps.first.pk}/certificate").status_code == 401
    device = device_for(zone.market_site)
    assert device.get(URL).status_code == 404
    assert device.get(f"{URL}/{corps.first.pk}").status_code == 404


def test_the_list_costs_the_same_queries_however_many_volunteers(corps, api_for):
    client = api_for("commander")
    client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).json()["count"] == 3
    for i in range(5):
        volunteer(name=f"志愿者{i}", community=corps.zone.community)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 8
    assert len(many) == len(few)


def test_the_certificate_is_a_pdf_with_the_hours_served(corps, api_for):
    corps.signup(corps.shift(local(-2, 7)), checked_in_at=local(-2, 7), checked_out_at=local(-2, 11))
    corps.signup(corps.shift(local(-1, 7)), checked_in_at=local(-1, 7, 30), checked_out_at=local(-1, 10))
    for user in ("volunteer", "community_worker", "commander"):
        response = api_for(user).get(f"{URL}/{corps.first.pk}/certificate")
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert b"(6.5)" in pdf_text(response.content)  # 240 + 150 minutes
    assert AuditEvent.objects.filter(action="export", object_id=str(corps.first.pk)).count() == 3
