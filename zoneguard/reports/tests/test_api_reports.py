"""The daily report API: file (201), amend the same day (200), read with history, overview."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneguard.reports.tests.conftest import report_data
from zoneguard.resumption.tests.conftest import review_rules  # noqa: F401 (fixture)


def post(client, data):
    return client.post("/api/v1/daily-reports", data, content_type="application/json")


def test_it_files_then_amends_today_s_report(zone, resumed, api_for):
    client = api_for("admin_a")
    first = post(client, {"organisation_id": zone.enterprise_a.pk, **report_data()})
    assert first.status_code == 201, first.content
    second = post(client, {"organisation_id": zone.enterprise_a.pk, **report_data(staff_on_duty=10)})
    assert second.status_code == 200
    body = second.json()
    assert (body["id"], body["revision"], body["disinfectant_litres"]) == (first.json()["id"], 2, "20.5")
    assert [r["data"]["staff_on_duty"] for r in body["revisions"]] == [3, 10]
    assert client.get(f"/api/v1/daily-reports/{body['id']}").json()["staff_on_duty"] == 10


def test_it_refuses_bad_figures_and_unresumed_organisations(zone, resumed, api_for):
    client = api_for("admin_a")
    response = post(client, {"organisation_id": zone.enterprise_a.pk, **report_data(disinfectant_litres="1.25")})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["disinfectant_litres"]
    response = post(client, {"organisation_id": zone.enterprise_a.pk, **report_data(staff_on_duty=-1)})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["staff_on_duty"]
    assert post(api_for("commander"), {"organisation_id": zone.enterprise_a.pk, **report_data()}).status_code == 403


def test_the_overview_lists_who_has_filed(zone, resumed, api_for):
    post(api_for("admin_a"), {"organisation_id": zone.enterprise_a.pk, **report_data()})
    body = api_for("officer_a").get("/api/v1/daily-reports/overview").json()
    assert (body["due"], body["filed"]) == (2, 1)
    states = {row["organisation_name"]: row["state"] for row in body["organisations"]}
    assert states["企业甲"] == "filed"
    assert states["企业乙"] in {"due", "late"}


def test_outsiders_are_refused(zone, resumed, api_for):
    pk = post(api_for("admin_a"), {"organisation_id": zone.enterprise_a.pk, **report_data()}).json()["id"]
    outsider = api_for("admin_b")
    assert outsider.get(f"/api/v1/daily-reports/{pk}").status_code == 404
    assert post(outsider, {"organisation_id": zone.enterprise_a.pk, **report_data()}).status_code == 404
    assert outsider.get("/api/v1/daily-reports").json()["count"] == 0
    assert outsider.get("/api/v1/daily-reports/overview").json()["due"] == 1
    assert Client().get("/api/v1/daily-reports").status_code == 401


def test_the_list_costs_the_same_queries_for_more_reports(zone, resumed, api_for):
    post(api_for("admin_a"), {"organisation_id": zone.enterprise_a.pk, **report_data()})
    client = api_for("commander")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/daily-reports").json()["count"] == 1
    post(api_for("admin_a"), {"organisation_id": zone.project.pk, **report_data()})
    post(api_for("admin_b"), {"organisation_id": zone.enterprise_b.pk, **report_data()})
    with CaptureQueriesContext(connection) as three:
        assert client.get("/api/v1/daily-reports").json()["count"] == 3
    assert len(three) == len(one)


def test_days_outside_the_calendar_are_refused(zone, api_for):
    client = api_for("commander")
    assert client.get("/api/v1/daily-reports/overview?day=0366-01-30").status_code == 422
    assert client.get("/api/v1/resumption/rates?day=9999-12-31").status_code == 422
