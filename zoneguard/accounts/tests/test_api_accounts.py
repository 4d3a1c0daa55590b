from __future__ import annotations

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneguard.accounts.models import ApplicationStatus, Invitation, OrganisationApplication, User
from zoneguard.accounts.services import applications
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 - the fixture
from zoneguard.registry.models import Organisation
from zoneguard.testing import make_user, valid_credit_code

from .conftest import invite


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def application_body(**overrides):
    return {
        "name": "湖南接口申请有限公司",
        "credit_code": valid_credit_code(55),
        "address": "衡阳高新区",
        "total_staff": 12,
        "contact_name": "王联系",
        "contact_phone": "13900001111",
        "contact_email": "wang@example.com",
        **overrides,
    }


def test_users_are_listed_in_scope_with_phones_masked(zone, api_for):
    User.objects.filter(pk=zone.gate_a.pk).update(phone="13812345678")
    body = api_for("admin_a").get("/api/v1/users").json()
    assert {u["username"] for u in body["items"]} == {"admin_a", "gate_a"}
    gate = next(u for u in body["items"] if u["username"] == "gate_a")
    assert gate["phone"] == "138****5678"
    assert gate["organisation_name"] == "企业甲"
    assert api_for("commander").get("/api/v1/users", {"role": "gate_officer"}).json()["count"] == 1


def test_the_user_list_reads_in_a_fixed_number_of_queries(zone, api_for):
    client = api_for("commander")
    client.get("/api/v1/users")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/users")
    for n in range(5):
        make_user(f"extra{n}", "gate_officer", organisation=zone.enterprise_b)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/users").json()["count"] == len(zone.users) + 5

    def data(captured):  # the token's lookup comes and goes with its cache
        return [q for q in captured.captured_queries if "accounts_apitoken" not in q["sql"]]

    assert len(data(many)) == len(data(few)) <= 3


def test_a_manager_patches_within_their_grant_and_scope(zone, api_for):
    admin = api_for("admin_a")
    response = patch(admin, f"/api/v1/users/{zone.gate_a.pk}", {"is_active": False})
    assert (response.status_code, response.json()["is_active"]) == (200, False)
    assert patch(admin, f"/api/v1/users/{zone.gate_a.pk}", {"role": "commander"}).status_code == 422
    assert patch(admin, f"/api/v1/users/{zone.admin_b.pk}", {"is_active": False}).status_code == 404
    assert patch(api_for("officer_a"), f"/api/v1/users/{zone.commander.pk}", {"is_active": False}).status_code == 404
    assert patch(api_for("officer_a"), f"/api/v1/users/{zone.officer_a.pk}", {"is_active": False}).status_code == 403
    reset = patch(api_for("commander"), f"/api/v1/users/{zone.officer_b.pk}", {"reset_second_factor": True})
    assert reset.status_code == 200


def test_invitations_are_made_listed_and_revoked(zone, api_for):
    admin = api_for("admin_a")
    made = post(
        admin,
        "/api/v1/invitations",
        {
            "role": "gate_officer",
            "full_name": "新门岗",
            "organisation_id": zone.enterprise_a.pk,
            "phone": "13811112222",
        },
    )
    assert made.status_code == 201
    body = made.json()
    assert body["state"] == "open" and body["link"].startswith("http://testserver/accounts/invitations/accept/inv_")
    assert body["phone"] == "138****2222"
    listed = admin.get("/api/v1/invitations").json()
    assert [i["id"] for i in listed["items"]] == [body["id"]] and "link" not in listed["items"][0]
    assert api_for("admin_b").get("/api/v1/invitations").json()["count"] == 0
    assert post(api_for("admin_b"), f"/api/v1/invitations/{body['id']}/revoke").status_code == 404
    revoked = post(admin, f"/api/v1/invitations/{body['id']}/revoke")
    assert revoked.json()["state"] == "revoked"
    # Outside the inviter's scope, the place is not found; a role they may not grant, too.
    assert (
        post(
            admin,
            "/api/v1/invitations",
            {"role": "gate_officer", "full_name": "x", "organisation_id": zone.enterprise_b.pk},
        ).status_code
        == 404
    )
    assert (
        post(
            api_for("officer_a"),
            "/api/v1/invitations",
            {"role": "department_officer", "full_name": "x", "department_id": zone.department_a.pk},
        ).status_code
        == 404
    )
    officer = post(
        api_for("commander"),
        "/api/v1/invitations",
        {"role": "department_officer", "full_name": "新干部", "department_id": zone.department_b.pk, "language": "en"},
    )
    assert officer.status_code == 201


def test_an_application_is_public_and_decided_by_the_competent_department(zone, api_for):
    anonymous = Client()
    made = post(anonymous, "/api/v1/organisation-applications", application_body())
    assert made.status_code == 201 and made.json()["status"] == "pending"
    again = post(anonymous, "/api/v1/organisation-applications", application_body(name="重复"))
    assert (again.status_code, again.json()["code"]) == (422, "duplicate_credit_code")
    bad = post(anonymous, "/api/v1/organisation-applications", application_body(credit_code="91430400MA4L00000X"))
    assert bad.status_code == 422 and "credit_code" in bad.json()["errors"]
    pk = made.json()["id"]
    assert api_for("officer_b").get("/api/v1/organisation-applications").json()["count"] == 0
    assert (
        post(
            api_for("officer_b"), f"/api/v1/organisation-applications/{pk}/decision", {"decision": "approve"}
        ).status_code
        == 404
    )
    listed = api_for("officer_a").get("/api/v1/organisation-applications", {"status": "pending"}).json()
    assert [a["id"] for a in listed["items"]] == [pk] and listed["items"][0]["contact_phone"] == "139****1111"
    decided = post(api_for("officer_a"), f"/api/v1/organisation-applications/{pk}/decision", {"decision": "approve"})
    assert decided.status_code == 200
    assert decided.json()["invitation_link"].startswith("http://testserver/accounts/invitations/accept/")
    twice = post(api_for("officer_a"), f"/api/v1/organisation-applications/{pk}/decision", {"decision": "approve"})
    assert (twice.status_code, twice.json()["code"]) == (409, "application_decided")
    assert Organisation.objects.filter(name="湖南接口申请有限公司").count() == 1
    refused = applications.application_submit(
        request=None, data={**application_body(credit_code=valid_credit_code(56)), "sector": None}
    )
    no_reason = post(
        api_for("officer_a"), f"/api/v1/organisation-applications/{refused.pk}/decision", {"decision": "refuse"}
    )
    assert no_reason.status_code == 422
    assert OrganisationApplication.objects.get(pk=refused.pk).status == ApplicationStatus.PENDING


def test_outsiders_get_nothing(zone, api_for, device_for):  # noqa: F811
    invitation, _raw = invite(zone, "admin_a", "gate_officer", organisation=zone.enterprise_a)
    anonymous = Client()
    for url in ("/api/v1/users", "/api/v1/invitations", "/api/v1/organisation-applications"):
        assert anonymous.get(url).status_code == 401
    assert patch(anonymous, f"/api/v1/users/{zone.gate_a.pk}", {"is_active": False}).status_code == 401
    assert post(anonymous, f"/api/v1/invitations/{invitation.pk}/revoke").status_code == 401
    device = device_for(zone.site_a)
    for url in ("/api/v1/users", "/api/v1/invitations", "/api/v1/organisation-applications"):
        assert device.get(url).status_code == 404
    assert patch(device, f"/api/v1/users/{zone.gate_a.pk}", {"is_active": False}).status_code == 404
    assert post(device, f"/api/v1/invitations/{invitation.pk}/revoke").status_code == 404
    for outsider in ("gate_a", "volunteer"):
        client = api_for(outsider)
        assert client.get("/api/v1/users").json()["count"] == 0
        assert client.get("/api/v1/invitations").json()["count"] == 0
        assert client.get("/api/v1/organisation-applications").json()["count"] == 0
        assert post(client, f"/api/v1/invitations/{invitation.pk}/revoke").status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).state == "open"
    zone.gate_a.refresh_from_db()
    assert zone.gate_a.is_active


def test_the_invitation_list_reads_in_a_fixed_number_of_queries(zone, api_for):
    client = api_for("commander")
    invite(zone, "commander", "community_worker", organisation=zone.community)
    client.get("/api/v1/invitations")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/invitations")
    for n in range(5):
        invite(zone, "officer_a", "organisation_admin", organisation=zone.enterprise_b, full_name=f"管理员{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/invitations").json()["count"] == 6

    def data(captured):
        return [q for q in captured.captured_queries if "accounts_apitoken" not in q["sql"]]

    assert len(data(many)) == len(data(few)) <= 3


def test_a_write_without_valid_credentials_is_answered_401_not_a_csrf_failure(zone):
    body = json.dumps({"name": "x"})
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer zg_revoked-or-mistyped"}):
        response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
            "/api/v1/invitations", body, content_type="application/json", **headers
        )
        assert response.status_code == 401, headers
        assert response.json()["code"] == "unauthorized" and "API" in response.json()["message"]
    # A signed-in browser session still needs its CSRF token to write.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(zone.commander)
    refused = browser.post("/api/v1/invitations", body, content_type="application/json")
    assert refused.status_code == 403
    assert not Invitation.objects.exists()
