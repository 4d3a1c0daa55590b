"""The API of key tasks, items and progress reports: scoped to the department."""

from datetime import date
from unittest import mock

import pytest
from django.test import Client

from zoneguard.supervision.models import Evidence, ItemStatus, TaskItem

from .conftest import evidence, local

TASKS = "/api/v1/dispatch/tasks"
ITEMS = "/api/v1/dispatch/items"


def ids(response):
    return [row["id"] for row in response.json()["items"]]


def test_an_officer_lists_their_departments_tasks_only(zone, plan, api_for, django_assert_max_num_queries):
    api = api_for("officer_a")
    with django_assert_max_num_queries(6):
        response = api.get(TASKS)
    assert response.status_code == 200
    assert ids(response) == [plan.task.pk]
    row = response.json()["items"][0]
    assert (row["item_count"], row["done_count"], row["target_quantity"]) == (2, 0, "5.00")
    assert ids(api_for("commander").get(TASKS)) == sorted([plan.task.pk, plan.task_b.pk])


def test_a_task_of_another_department_is_not_found(zone, plan, api_for):
    assert api_for("officer_b").get(f"{TASKS}/{plan.task.pk}").status_code == 404
    assert api_for("officer_a").get(f"{TASKS}/{plan.task.pk}").status_code == 200


def test_an_officer_creates_a_task_for_their_department_only(zone, plan, api_for):
    body = {"year": 2020, "quarter": 1, "kind": "investment", "title": "5G 招商", "target": "签约 2 家"}
    created = api_for("officer_a").post(
        TASKS, {**body, "department_id": zone.department_a.pk}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["department_id"] == zone.department_a.pk
    refused = api_for("officer_a").post(
        TASKS, {**body, "department_id": zone.department_b.pk}, content_type="application/json"
    )
    assert refused.status_code == 404


def test_items_list_and_filter(zone, plan, api_for, django_assert_max_num_queries):
    api = api_for("officer_a")
    with django_assert_max_num_queries(6):
        response = api.get(ITEMS, {"due_on": "2020-02-20"})
    assert ids(response) == [plan.item.pk, plan.other_item.pk]
    assert ids(api.get(ITEMS, {"responsible_id": zone.officer_a2.pk})) == [plan.other_item.pk]
    with mock.patch("django.utils.timezone.now", return_value=local(2020, 2, 21, 0, 0, 1)):
        late = api.get(ITEMS, {"overdue": "true"}).json()["items"]
    assert [row["overdue"] for row in late] == [True, True]
    assert ids(api_for("commander").get(ITEMS, {"department_id": zone.department_b.pk})) == [plan.item_b.pk]


def test_an_item_is_created_for_an_officer_of_the_department(zone, plan, api_for):
    body = {"task_id": plan.task.pk, "due_on": "2020-03-02", "title": "周调度", "expected_result": "周报"}
    api = api_for("officer_a")
    created = api.post(ITEMS, {**body, "responsible_id": zone.officer_a.pk}, content_type="application/json")
    assert created.status_code == 201 and created.json()["responsible_id"] == zone.officer_a.pk
    wrong = api.post(ITEMS, {**body, "responsible_id": zone.officer_b.pk}, content_type="application/json")
    assert wrong.status_code == 422
    outside = api.post(
        ITEMS, {**body, "due_on": "2020-04-01", "responsible_id": zone.officer_a.pk}, content_type="application/json"
    )
    assert outside.status_code == 422
    other = api_for("officer_b").post(
        ITEMS, {**body, "responsible_id": zone.officer_a.pk}, content_type="application/json"
    )
    assert other.status_code == 404


def test_the_responsible_person_reports_with_evidence(zone, plan, api_for, client_for):
    api = api_for("officer_a")
    url = f"{ITEMS}/{plan.item.pk}/reports"
    response = api.post(url, {"status": "partly", "percent": "60", "note": "已完成图纸", "files": [evidence()]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["percent"]) == ("partly", 60)
    assert body["evidence"][0]["name"] == "photo.jpg"
    listed = api.get(url).json()
    assert listed["count"] == 1
    # The evidence is served in scope only.
    link = body["evidence"][0]["url"]
    assert client_for("officer_a").get(link).status_code == 200
    assert client_for("officer_b").get(link).status_code == 404
    assert client_for("admin_a").get(link).status_code == 404
    assert Client().get(link).status_code == 302


def test_a_department_cannot_report_another_departments_items(zone, plan, api_for):
    response = api_for("officer_b").post(f"{ITEMS}/{plan.item.pk}/reports", {"status": "done"})
    assert response.status_code == 404
    assert TaskItem.objects.get(pk=plan.item.pk).status == ItemStatus.OPEN


def test_another_officer_of_the_department_may_not_report(zone, plan, api_for):
    response = api_for("officer_a2").post(f"{ITEMS}/{plan.item.pk}/reports", {"status": "done"})
    assert response.status_code == 403


def test_a_done_item_answers_409(zone, plan, api_for):
    api = api_for("officer_a")
    assert api.post(f"{ITEMS}/{plan.item.pk}/reports", {"status": "done"}).status_code == 201
    assert api.post(f"{ITEMS}/{plan.item.pk}/reports", {"status": "blocked", "reason": "x"}).status_code == 409


def test_bad_reports_are_refused(zone, plan, api_for):
    api = api_for("officer_a")
    url = f"{ITEMS}/{plan.item.pk}/reports"
    assert api.post(url, {"status": "blocked"}).status_code == 422
    assert api.post(url, {"status": "partly", "percent": "150"}).status_code == 422
    assert api.post(url, {"status": "finished"}).status_code == 422
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "community_worker", "volunteer", "gate_a"])
def test_outsiders_see_nothing(zone, plan, api_for, who):
    api = api_for(who)
    assert api.get(TASKS).json()["items"] == []
    assert api.get(ITEMS).json()["items"] == []
    assert api.get(f"{ITEMS}/{plan.item.pk}").status_code == 404
    assert api.get(f"{ITEMS}/{plan.item.pk}/reports").status_code == 404
    assert api.post(f"{ITEMS}/{plan.item.pk}/reports", {"status": "done"}).status_code == 404


def test_a_device_token_and_anonymous_see_nothing(zone, plan, device_for):
    device = device_for(zone.site_a)
    assert device.get(TASKS).status_code in {401, 404}
    assert device.get(f"{ITEMS}/{plan.item.pk}").status_code in {401, 404}
    assert device.post(f"{ITEMS}/{plan.item.pk}/reports", {"status": "done"}).status_code in {401, 404}
    assert Client().get(TASKS).status_code == 401
    assert Client().get(ITEMS).status_code == 401


def test_the_commander_names_a_head(zone, plan, api_for):
    url = f"/api/v1/dispatch/heads/{zone.department_a.pk}"
    assert (
        api_for("officer_a").put(url, {"user_id": zone.officer_a.pk}, content_type="application/json").status_code
        == 404
    )
    response = api_for("commander").put(url, {"user_id": zone.officer_a2.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["user_id"] == zone.officer_a2.pk
    wrong = api_for("commander").put(url, {"user_id": zone.officer_b.pk}, content_type="application/json")
    assert wrong.status_code == 422
    assert date(2020, 2, 20) == plan.item.due_on
