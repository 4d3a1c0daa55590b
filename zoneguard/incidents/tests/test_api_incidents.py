"""The incident API: report, read, acknowledge, record actions, close; outsiders are refused."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneguard.incidents.models import Incident


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_it_reports_acknowledges_acts_and_closes(zone, api_for):
    body = post(
        api_for("admin_a"),
        "/api/v1/incidents",
        {
            "kind": "fever",
            "severity": "high",
            "title": "门岗测温 38.2",
            "organisation_id": zone.enterprise_a.pk,
            "site_id": zone.site_a.pk,
            "temperature": "38.2",
        },
    )
    assert body.status_code == 201, body.content
    pk = body.json()["id"]
    assert body.json()["temperature"] == "38.2"
    officer = api_for("officer_a")
    assert post(officer, f"/api/v1/incidents/{pk}/acknowledge").json()["status"] == "acknowledged"
    assert post(officer, f"/api/v1/incidents/{pk}/acknowledge").status_code == 409
    assert post(api_for("admin_a"), f"/api/v1/incidents/{pk}/notes", {"note": "已隔离"}).status_code == 201
    closed = post(officer, f"/api/v1/incidents/{pk}/close", {"resolution": "复测正常"}).json()
    assert closed["status"] == "closed"
    assert [e["action"] for e in closed["events"]] == ["reported", "acknowledged", "action", "closed"]


def test_it_refuses_bad_input(zone, api_for):
    client = api_for("admin_a")
    assert post(client, "/api/v1/incidents", {"kind": "fever", "title": "x", "temperature": "38.25"}).status_code == 422
    assert post(client, "/api/v1/incidents", {"kind": "fever", "title": "x"}).status_code == 422  # where?
    missing = post(client, "/api/v1/incidents", {"kind": "fever", "title": "x", "organisation_id": 999999})
    assert missing.status_code == 422
    hidden = post(
        client,
        "/api/v1/incidents",
        {"kind": "other", "title": "x", "location": "路口", "person_id": zone.staff_b[0].pk},
    )
    assert hidden.json()["errors"] == {"person_id": ["请选择您可以查看的人员。"]}
    ancient = post(
        client,
        "/api/v1/incidents",
        {"kind": "other", "title": "x", "location": "路口", "occurred_at": "0001-01-01T00:00:00+01:00"},
    )
    assert ancient.status_code == 422
    assert not Incident.objects.exists()


def test_outsiders_are_refused(zone, api_for):
    pk = post(
        api_for("admin_a"),
        "/api/v1/incidents",
        {"kind": "other", "title": "x", "organisation_id": zone.enterprise_a.pk},
    ).json()["id"]
    outsider = api_for("admin_b")
    assert outsider.get(f"/api/v1/incidents/{pk}").status_code == 404
    assert post(outsider, f"/api/v1/incidents/{pk}/acknowledge").status_code == 404
    assert post(outsider, f"/api/v1/incidents/{pk}/notes", {"note": "x"}).status_code == 404
    assert post(outsider, f"/api/v1/incidents/{pk}/close", {"resolution": "x"}).status_code == 404
    assert post(api_for("admin_a"), f"/api/v1/incidents/{pk}/acknowledge").status_code == 403
    assert outsider.get("/api/v1/incidents").json()["count"] == 0
    assert Client().get("/api/v1/incidents").status_code == 401


def test_the_list_costs_the_same_queries_for_more_incidents(zone, api_for):
    reporter = api_for("admin_a")
    data = {"kind": "other", "title": "x", "organisation_id": zone.enterprise_a.pk, "site_id": zone.site_a.pk}
    post(reporter, "/api/v1/incidents", data)
    client = api_for("commander")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/incidents").json()["count"] == 1
    post(reporter, "/api/v1/incidents", data)
    post(reporter, "/api/v1/incidents", {**data, "site_id": None, "organisation_id": zone.project.pk})
    with CaptureQueriesContext(connection) as three:
        assert client.get("/api/v1/incidents").json()["count"] == 3
    assert len(three) == len(one)


def test_a_reporter_files_only_against_organisations_and_sites_of_their_scope(zone, api_for, client_for):
    incident = {"kind": "fever", "severity": "high", "title": "门口有人发烧"}
    # A volunteer sees no organisation: they report by saying where, never against an enterprise.
    volunteer = api_for("volunteer")
    refused = post(volunteer, "/api/v1/incidents", {**incident, "organisation_id": zone.enterprise_a.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"organisation_id": ["请选择您可见的单位。"]}
    missing = post(volunteer, "/api/v1/incidents", {**incident, "organisation_id": 999_999})
    assert missing.json() == refused.json()  # no difference between absent and out of scope
    assert post(volunteer, "/api/v1/incidents", {**incident, "location": "高鑫农贸市场门口"}).status_code == 201
    # An enterprise reports about itself, not its rival.
    rival = post(api_for("admin_b"), "/api/v1/incidents", {**incident, "site_id": zone.site_a.pk})
    assert rival.status_code == 422 and list(rival.json()["errors"]) == ["site_id"]
    assert not Incident.objects.filter(organisation=zone.enterprise_a).exists()
    # The form offers only what is in scope.
    form = client_for("admin_b").get("/incidents/new/").context["form"]
    assert list(form.fields["organisation"].queryset) == [zone.enterprise_b]
    assert list(form.fields["site"].queryset) == [zone.site_b]
    assert not client_for("volunteer").get("/incidents/new/").context["form"].fields["organisation"].queryset.exists()
