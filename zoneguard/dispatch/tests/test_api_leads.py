"""The leads API: stage changes as status codes, the dated history, lead → organisation and
project in one call each, the funnel, query counts, and outsiders."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zoneguard.dispatch.models import Lead
from zoneguard.registry.models import Organisation

from .conftest import LEAD_OUTSIDERS

pytestmark = pytest.mark.django_db

URL = "/api/v1/dispatch/leads"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def create(client: Client, **fields: Any) -> Any:
    body = {
        "company_name": "长沙智能网联汽车测试场",
        "sector": "smart_transport",
        "origin": "长沙",
        "estimated_investment": "80000.50",
        "on": "2020-02-05",
        "next_step": "赴长沙考察",
        "next_step_owner": "王科长",
        "next_step_on": "2020-02-20",
        **fields,
    }
    response = post(client, URL, body)
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_lead_from_contact_to_project(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("officer_c")
    lead = create(client)
    assert lead["estimated_investment"] == "80000.50"
    assert [h["to_stage"] for h in lead["history"]] == ["contact"]
    url = f"{URL}/{lead['id']}"
    assert post(client, f"{url}/stage", {"stage": "signed", "on": "2020-02-25"}).status_code == 200
    back = post(client, f"{url}/stage", {"stage": "negotiation", "on": "2020-02-26"})
    assert back.status_code == 422 and "reason" in back.json()["errors"]
    assert post(client, f"{url}/stage", {"stage": "signed", "on": "2020-02-26"}).status_code == 409
    assert post(client, f"{url}/organisation", {"sector_id": dispatch.sector_it.pk}).status_code == 409
    assert post(client, f"{url}/stage", {"stage": "registered", "on": "2020-03-05"}).status_code == 200
    organisation = post(client, f"{url}/organisation", {"sector_id": dispatch.sector_it.pk})
    assert organisation.status_code == 200
    again = post(client, f"{url}/organisation", {"sector_id": dispatch.sector_it.pk})
    assert again.json() == organisation.json()
    assert Organisation.objects.filter(name="长沙智能网联汽车测试场").count() == 1
    body = {"department_id": dispatch.department_c.pk, "plan_year": 2020, "year_planned_investment": "20000"}
    assert post(client, f"{url}/project", body).status_code == 409
    assert post(client, f"{url}/stage", {"stage": "started", "on": "2020-03-20"}).status_code == 200
    project = post(client, f"{url}/project", body)
    assert project.status_code == 200, project.json()
    assert project.json()["status"] == "under_construction"
    assert project.json()["owner_id"] == organisation.json()["id"]
    detail = client.get(url).json()
    assert detail["project_id"] == project.json()["id"]
    assert [(h["from_stage"], h["to_stage"], h["changed_on"]) for h in detail["history"]] == [
        ("", "contact", "2020-02-05"),
        ("contact", "signed", "2020-02-25"),
        ("signed", "registered", "2020-03-05"),
        ("registered", "started", "2020-03-20"),
    ]


def test_moving_back_with_a_reason(zone: Any, dispatch: Any, api_for: Any) -> None:
    client = api_for("commander")
    lead = create(client, stage="negotiation")
    response = post(client, f"{URL}/{lead['id']}/stage", {"stage": "visit", "reason": "对方要求重新考察园区"})
    assert response.status_code == 200
    assert response.json()["history"][-1]["reason"] == "对方要求重新考察园区"


def test_list_filters_and_patch(zone: Any, dispatch: Any, api_for: Any, django_assert_max_num_queries: Any) -> None:
    client = api_for("officer_c")
    for i in range(4):
        create(client, company_name=f"5G企业{i}", sector="5g")
    create(client, company_name="AI企业", sector="ai")
    with django_assert_max_num_queries(6):
        assert client.get(URL).json()["count"] == 5
    assert client.get(f"{URL}?sector=ai").json()["count"] == 1
    assert client.get(f"{URL}?stage=signed").json()["count"] == 0
    lead = Lead.objects.get(company_name="AI企业")
    response = client.patch(f"{URL}/{lead.pk}", json.dumps({"notes": "已签保密协议"}), content_type="application/json")
    assert response.json()["notes"] == "已签保密协议"
    assert response.json()["sector"] == "ai"


def test_the_funnel(zone: Any, dispatch: Any, api_for: Any, django_assert_max_num_queries: Any) -> None:
    client = api_for("officer_c")
    first = create(client, company_name="甲", sector="5g", estimated_investment="0.10")
    create(client, company_name="乙", sector="5g", estimated_investment="0.20")
    post(client, f"{URL}/{first['id']}/stage", {"stage": "visit", "on": "2020-02-09"})
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/dispatch/funnel").json()
    assert body["reached"]["contact"] == 2 and body["reached"]["visit"] == 1
    assert {(c["sector"], c["stage"]): c["estimated_investment"] for c in body["cells"]} == {
        ("5g", "contact"): "0.20",
        ("5g", "visit"): "0.10",
    }
    assert body["steps"][0] == {"from_stage": "contact", "to_stage": "visit", "leads": 1, "median_days": "4"}


@pytest.mark.parametrize("username", [*LEAD_OUTSIDERS, "device", "anonymous"])
def test_outsiders_get_nothing_from_any_lead_endpoint(
    zone: Any, dispatch: Any, api_for: Any, device_for: Any, username: str
) -> None:
    lead = create(api_for("officer_c"), stage="started")
    if username == "device":
        client = device_for(zone.site_a)
    elif username == "anonymous":
        client = Client()
    else:
        client = api_for(username)
    expected = 401 if username == "anonymous" else 404
    url = f"{URL}/{lead['id']}"
    calls = [
        client.get(url),
        client.patch(url, json.dumps({"notes": "x"}), content_type="application/json"),
        post(client, f"{url}/stage", {"stage": "contact", "reason": "x"}),
        post(client, f"{url}/organisation", {}),
        post(
            client,
            f"{url}/project",
            {"department_id": zone.department_a.pk, "plan_year": 2020, "year_planned_investment": "1"},
        ),
    ]
    assert [response.status_code for response in calls] == [expected] * len(calls)
    created = post(client, URL, {"company_name": "x", "sector": "ai"})
    assert created.status_code == expected  # the lead desk is not disclosed: 404, as for a lead
    for path in (URL, "/api/v1/dispatch/funnel"):
        response = client.get(path)
        if username in {"anonymous", "device"}:
            assert response.status_code == expected
        elif path == URL:
            assert response.json()["count"] == 0
        else:
            assert response.json()["reached"]["contact"] == 0
    assert Lead.objects.count() == 1
    assert Lead.objects.get().stage == "started"
