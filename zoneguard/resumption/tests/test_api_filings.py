"""The resumption API: file, read, amend, decide, list, rates; outsiders are refused."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneguard.resumption.models import ResumptionFiling
from zoneguard.resumption.tests.conftest import filing_data


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def payload(zone, **overrides):
    data = {**filing_data(), "organisation_id": zone.enterprise_a.pk, **overrides}
    data["planned_date"] = str(data["planned_date"])
    return data


def test_it_files_returns_amends_and_approves(zone, review_rules, api_for):
    applicant, officer = api_for("admin_a"), api_for("officer_a")
    response = post(applicant, "/api/v1/resumption/filings", payload(zone))
    assert response.status_code == 201, response.content
    body = response.json()
    pk = body["id"]
    assert (body["status"], body["responsible_phone"], len(body["events"])) == ("submitted", "13800138000", 1)
    response = post(officer, f"/api/v1/resumption/filings/{pk}/decision", {"decision": "return", "comment": "补充方案"})
    assert response.json()["status"] == "returned"
    response = applicant.patch(
        f"/api/v1/resumption/filings/{pk}", {"masks_in_stock": 8000}, content_type="application/json"
    )
    assert (response.json()["status"], response.json()["masks_in_stock"]) == ("submitted", 8000)
    response = post(officer, f"/api/v1/resumption/filings/{pk}/decision", {"decision": "approve"})
    body = response.json()
    today = timezone.localdate().isoformat()
    assert (body["status"], body["resumed_on"], body["decided_department"]) == ("approved", today, "经发局")
    assert [e["action"] for e in body["events"]] == ["submitted", "returned", "resubmitted", "approved"]


def test_it_refuses_what_the_rules_refuse(zone, review_rules, api_for):
    response = post(api_for("admin_a"), "/api/v1/resumption/filings", payload(zone))
    pk = response.json()["id"]
    assert (
        post(api_for("admin_a"), f"/api/v1/resumption/filings/{pk}/decision", {"decision": "approve"}).status_code
        == 403
    )
    assert (
        post(api_for("officer_b"), f"/api/v1/resumption/filings/{pk}/decision", {"decision": "approve"}).status_code
        == 404
    )
    assert (
        post(api_for("officer_a"), f"/api/v1/resumption/filings/{pk}/decision", {"decision": "return"}).status_code
        == 422
    )
    assert post(api_for("admin_a"), "/api/v1/resumption/filings", payload(zone)).status_code == 409
    bad = post(
        api_for("admin_a"), "/api/v1/resumption/filings", payload(zone, organisation_id=zone.project.pk, staff_local=1)
    )
    assert bad.status_code == 422
    assert "staff_other_provinces" in bad.json()["errors"]
    assert ResumptionFiling.objects.count() == 1


def test_outsiders_are_refused(zone, review_rules, api_for):
    pk = post(api_for("admin_a"), "/api/v1/resumption/filings", payload(zone)).json()["id"]
    outsider = api_for("admin_b")
    assert post(outsider, "/api/v1/resumption/filings", payload(zone)).status_code == 404
    assert outsider.get(f"/api/v1/resumption/filings/{pk}").status_code == 404
    assert outsider.patch(f"/api/v1/resumption/filings/{pk}", {}, content_type="application/json").status_code == 404
    assert post(outsider, f"/api/v1/resumption/filings/{pk}/decision", {"decision": "approve"}).status_code == 404
    assert outsider.get("/api/v1/resumption/filings").json() == {"items": [], "count": 0, "count_exact": True}
    assert api_for("volunteer").get("/api/v1/resumption/rates").json()["overall"]["registered"] == 0
    from django.test import Client

    assert Client().get("/api/v1/resumption/filings").status_code == 401
    assert Client().get("/api/v1/resumption/rates").status_code == 401


def test_the_list_costs_the_same_queries_for_more_filings(zone, review_rules, api_for):
    post(api_for("admin_a"), "/api/v1/resumption/filings", payload(zone))
    client = api_for("commander")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/resumption/filings").json()["count"] == 1
    post(api_for("admin_a"), "/api/v1/resumption/filings", payload(zone, organisation_id=zone.project.pk))
    post(
        api_for("admin_b"),
        "/api/v1/resumption/filings",
        payload(zone, organisation_id=zone.enterprise_b.pk),
    )
    with CaptureQueriesContext(connection) as three:
        assert client.get("/api/v1/resumption/filings").json()["count"] == 3
    assert len(three) == len(one)


def test_it_serves_the_rates(zone, review_rules, api_for):
    pk = post(api_for("admin_a"), "/api/v1/resumption/filings", payload(zone)).json()["id"]
    post(api_for("officer_a"), f"/api/v1/resumption/filings/{pk}/decision", {"decision": "approve"})
    body = api_for("commander").get(f"/api/v1/resumption/rates?day={timezone.localdate().isoformat()}").json()
    assert body["overall"] | {"label": None} == {
        "key": "all",
        "label": None,
        "registered": 4,
        "resumed": 1,
        "resumption_rate": 0.25,
        "total_staff": 26,
        "on_duty": 0,
        "return_rate": 0.0,
    }
    assert {r["key"]: r["resumed"] for r in body["by_kind"]} == {"enterprise": 1, "building_project": 0, "market": 0}


def test_the_responsible_phone_is_in_full_only_for_applicants_and_reviewers(zone, review_rules, api_for, client_for):
    from zoneguard.core.roles import Role
    from zoneguard.testing import make_user

    pk = post(api_for("admin_a"), "/api/v1/resumption/filings", payload(zone)).json()["id"]
    zone.users["gate_a_officer"] = make_user("gate-a-2", Role.GATE_OFFICER, organisation=zone.enterprise_a)
    expected = {
        "admin_a": "13800138000",
        "officer_a": "13800138000",
        "commander": "13800138000",
        "community_worker": "138****8000",
        "gate_a": "138****8000",
        "officer_b": None,  # not competent: the filing does not exist for them
    }
    for username, phone in expected.items():
        response = api_for(username).get(f"/api/v1/resumption/filings/{pk}")
        if phone is None:
            assert response.status_code == 404
            continue
        assert response.json()["responsible_phone"] == phone, username
        page = client_for(username).get(f"/resumption/filings/{pk}/").content.decode()
        assert ("13800138000" in page) == (phone == "13800138000"), username
