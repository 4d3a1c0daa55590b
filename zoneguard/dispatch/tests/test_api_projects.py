"""The projects API: shapes and exact decimals, rules as status codes, query counts, and every
endpoint refused to outsiders."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from zoneguard.dispatch import services
from zoneguard.dispatch.models import Disbursement, MonthlyProgress

from .conftest import PROJECT_OUTSIDERS, project_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/dispatch/projects"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_create_read_and_list_with_exact_money(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("officer_b")
    response = post(
        client,
        URL,
        {
            "name": "电子信息产业园",
            "owner_id": zone.project.pk,
            "building_site_ids": [zone.project.pk],
            "sector_id": zone.sector_construction.pk,
            "kind": "industrial",
            "department_id": zone.department_b.pk,
            "total_investment": "30000.10",
            "plan_year": 2020,
            "year_planned_investment": 0.3,
            "planned_start": "2020-03-01",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total_investment"] == "30000.10"
    assert body["year_planned_investment"] == "0.30"
    assert body["building_sites"] == [{"id": zone.project.pk, "name": "项目丙"}]
    assert body["next_statuses"] == ["under_construction"]
    assert body["status"] == "planned"
    listed = client.get(URL).json()
    assert listed["count"] == 2
    totals = client.get(f"{URL}/totals").json()
    assert totals["total_investment"] == "82000.10"
    assert {row["key"]: row["total_investment"] for row in totals["by_status"]} == {
        "planned": "30000.10",
        "resumed": "52000.00",
    }
    assert client.get(f"{URL}?status=planned").json()["count"] == 1
    assert client.get(f"{URL}?sector_id={zone.sector_manufacturing.pk}").json()["count"] == 0


def test_create_refuses_an_owner_out_of_sight_and_another_department(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("officer_b")
    body = {
        "name": "x",
        "owner_id": zone.enterprise_b.pk,
        "department_id": zone.department_b.pk,
        "total_investment": "1",
        "plan_year": 2020,
        "year_planned_investment": "1",
    }
    assert post(client, URL, body).status_code == 422
    body["owner_id"] = zone.project.pk
    body["department_id"] = zone.department_a.pk
    assert post(client, URL, body).status_code == 403
    body["department_id"] = zone.department_b.pk
    body["total_investment"] = "1.001"
    assert post(client, URL, body).status_code == 422
    body["total_investment"] = "-1"
    assert post(client, URL, body).status_code == 422


def test_status_changes_answer_409_out_of_order(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("officer_b")
    url = f"{URL}/{dispatch.project.pk}/status"
    response = post(client, url, {"status": "under_construction"})
    assert response.status_code == 409
    response = post(client, url, {"status": "suspended", "on": "2020-04-01"})
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    assert post(api_for("officer_a"), url, {"status": "resumed"}).status_code == 403


def test_patch_keeps_what_is_not_sent(zone: Any, dispatch: Any, api_for: Any) -> None:
    response = patch(api_for("commander"), f"{URL}/{dispatch.project.pk}", {"total_investment": "52000.01"})
    assert response.status_code == 200
    assert response.json()["total_investment"] == "52000.01"
    assert response.json()["name"] == "高新区标准厂房三期"
    assert patch(api_for("admin_a"), f"{URL}/{dispatch.project.pk}", {"name": "改"}).status_code == 403


def test_the_owner_reports_progress_and_reads_cumulative_figures(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("admin_a")
    url = f"{URL}/{dispatch.project.pk}/progress"
    assert post(client, url, {"month": "2020-01-10", "invested": "0.10", "workers_on_site": 30}).status_code == 200
    assert post(client, url, {"month": "2020-02-01", "invested": "0.20", "workers_on_site": 380}).status_code == 200
    rows = client.get(url).json()["items"]
    assert [(r["month"], r["cumulative"], r["share_of_year_plan"]) for r in rows] == [
        ("2020-01-01", "0.10", "0.00"),
        ("2020-02-01", "0.30", "0.00"),
    ]
    detail = client.get(f"{URL}/{dispatch.project.pk}").json()
    assert (detail["invested_total"], detail["invested_year"]) == ("0.30", "0.30")
    # The owner reports progress, nothing else.
    assert (
        post(client, f"{URL}/{dispatch.project.pk}/milestones", {"name": "x", "planned_on": "2020-05-01"}).status_code
        == 403
    )
    assert (
        post(
            client,
            f"{URL}/{dispatch.project.pk}/disbursements",
            {"contract_id": dispatch.contract.pk, "amount": "1", "paid_on": "2020-02-01", "funding_source": "fiscal"},
        ).status_code
        == 403
    )


def test_milestones_and_risks(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("officer_b")
    base = f"{URL}/{dispatch.project.pk}"
    milestone = post(client, f"{base}/milestones", {"name": "主体封顶", "planned_on": "2020-06-30"}).json()
    response = patch(client, f"{base}/milestones/{milestone['id']}", {"achieved_on": "2020-07-02"})
    assert response.json()["achieved_on"] == "2020-07-02"
    risk = post(
        client,
        f"{base}/risks",
        {
            "description": "钢材价格上涨",
            "department_id": zone.department_a.pk,
            "raised_on": "2020-03-01",
            "due_on": "2020-03-15",
        },
    )
    assert risk.status_code == 201
    assert risk.json()["department_name"] == "经发局"
    assert risk.json()["raised_on"] == "2020-03-01"
    early = post(client, f"{base}/risks/{risk.json()['id']}/state", {"state": "resolved", "on": "2020-02-28"})
    assert early.status_code == 422 and list(early.json()["errors"]) == ["on"]
    late = patch(client, f"{base}/milestones/{milestone['id']}", {"achieved_on": "2099-07-02"})
    assert late.status_code == 422 and list(late.json()["errors"]) == ["achieved_on"]
    state = post(client, f"{base}/risks/{risk.json()['id']}/state", {"state": "resolved", "on": "2020-03-10"})
    assert state.json()["resolved_on"] == "2020-03-10"
    assert client.get(f"{base}/milestones").json()["items"][0]["achieved_on"] == "2020-07-02"
    assert client.get(f"{base}/milestones").json()["count"] == 1
    assert client.get(f"{base}/risks").json()["count"] == 1


def test_contracts_and_disbursements_capped_with_the_remaining_amount(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("officer_b")
    base = f"{URL}/{dispatch.project.pk}"
    contract = post(client, f"{base}/contracts", {"contractor": "湖南建工", "number": "GT-2", "amount": "200.00"})
    assert contract.status_code == 201
    assert contract.json()["remaining"] == "200.00"
    body = {
        "contract_id": contract.json()["id"],
        "amount": "150.55",
        "paid_on": "2020-02-25",
        "funding_source": "fiscal",
    }
    assert post(client, f"{base}/disbursements", body).status_code == 201
    refused = post(client, f"{base}/disbursements", body)
    assert refused.status_code == 409
    assert refused.json()["code"] == "contract_exceeded"
    assert "49.45" in refused.json()["message"]
    assert post(client, f"{base}/contracts", {"contractor": "x", "number": "GT-2", "amount": "1"}).status_code in {
        409,
        422,
    }
    listed = client.get(f"{base}/disbursements").json()
    assert listed["count"] == 1 and listed["items"][0]["amount"] == "150.55"
    months = client.get(f"{base}/disbursements/months").json()
    assert months == [{"month": "2020-02-01", "amount": "150.55", "count": 1}]
    contracts = {c["number"]: c for c in client.get(f"{base}/contracts").json()["items"]}
    assert contracts["GT-2"]["paid"] == "150.55"
    # A contract of another project is not found through this one.
    other = services.project_create(actor=zone.commander, data=project_data(zone, name="另一项目"))
    body["contract_id"] = dispatch.contract.pk
    assert post(client, f"{URL}/{other.pk}/disbursements", body).status_code == 404


def test_the_list_holds_its_query_count(
    zone: Any, dispatch: Any, api_for: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(5):
        services.project_create(actor=zone.commander, data=project_data(zone, name=f"项目{i}"))
    client = api_for("officer_b")
    with django_assert_max_num_queries(6):
        assert len(client.get(URL).json()["items"]) == 6
    with django_assert_max_num_queries(6):
        client.get(f"{URL}/{dispatch.project.pk}/disbursements")
    with django_assert_max_num_queries(7):
        client.get(f"{URL}/{dispatch.project.pk}/progress")


def _endpoints(zone: Any, dispatch: Any) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = f"{URL}/{dispatch.project.pk}"
    milestone = services.milestone_add(
        actor=zone.commander, project=dispatch.project, data={"name": "m", "planned_on": date(2020, 5, 1)}
    )
    risk = services.risk_add(
        actor=zone.commander,
        project=dispatch.project,
        data={
            "description": "r",
            "department": zone.department_b,
            "raised_on": date(2020, 4, 1),
            "due_on": date(2020, 5, 1),
        },
    )
    return [
        ("get", base, None),
        ("patch", base, {"name": "改"}),
        ("post", f"{base}/status", {"status": "suspended"}),
        ("get", f"{base}/progress", None),
        ("post", f"{base}/progress", {"month": "2020-02-01", "invested": "1"}),
        ("get", f"{base}/milestones", None),
        ("post", f"{base}/milestones", {"name": "x", "planned_on": "2020-05-01"}),
        ("patch", f"{base}/milestones/{milestone.pk}", {"name": "y"}),
        ("get", f"{base}/risks", None),
        ("post", f"{base}/risks", {"description": "x", "department_id": zone.department_b.pk, "due_on": "2099-05-01"}),
        ("post", f"{base}/risks/{risk.pk}/state", {"state": "resolved"}),
        ("get", f"{base}/contracts", None),
        ("post", f"{base}/contracts", {"contractor": "x", "number": "N", "amount": "1"}),
        ("get", f"{base}/disbursements", None),
        ("get", f"{base}/disbursements/months", None),
        (
            "post",
            f"{base}/disbursements",
            {"contract_id": dispatch.contract.pk, "amount": "1", "paid_on": "2020-02-01", "funding_source": "fiscal"},
        ),
    ]


def _call(client: Client, method: str, url: str, body: dict[str, Any] | None) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("username", [*PROJECT_OUTSIDERS, "device", "anonymous"])
def test_outsiders_get_nothing_from_any_project_endpoint(
    zone: Any, dispatch: Any, api_for: Any, device_for: Any, username: str
) -> None:
    if username == "device":
        client = device_for(zone.site_a)
    elif username == "anonymous":
        client = Client()
    else:
        client = api_for(username)
    expected = 401 if username == "anonymous" else 404
    for method, url, body in _endpoints(zone, dispatch):
        response = _call(client, method, url, body)
        assert response.status_code == expected, (method, url, response.content)
    for url in (URL, f"{URL}/totals"):
        response = client.get(url)
        if username == "anonymous":
            assert response.status_code == 401
        elif username == "device":  # a gate's token reaches its gate only
            assert response.status_code == 404
        else:
            assert response.json().get("count") == 0, (url, response.json())
    if username != "anonymous":
        assert post(client, URL, {**_new(zone)}).status_code in {403, 404, 422}
    assert not MonthlyProgress.objects.exists()
    assert not Disbursement.objects.exists()


def _new(zone: Any) -> dict[str, Any]:
    return {
        "name": "x",
        "owner_id": zone.enterprise_a.pk,
        "department_id": zone.department_b.pk,
        "total_investment": "1",
        "plan_year": 2020,
        "year_planned_investment": "1",
    }


def test_the_projects_api_reads_the_right_dates(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("officer_b")
    response = post(client, f"{URL}/{dispatch.project.pk}/progress", {"month": "1900-02-01", "invested": "1"})
    assert response.status_code == 422
    assert MonthlyProgress.objects.count() == 0
