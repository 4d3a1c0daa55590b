"""The API of scores, closing a month, the scheme, and dispatch meetings."""

from unittest import mock

import pytest
from django.test import Client

from zoneguard.supervision.models import ClosedMonth, TaskItem

from .conftest import local

SCORES = "/api/v1/dispatch/scores"
MEETINGS = "/api/v1/dispatch/meetings"
MARCH_5 = local(2020, 3, 5, 9, 0)
JSON = "application/json"


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_ranking_of_a_month(zone, plan, api_for, django_assert_max_num_queries):
    api = api_for("commander")
    with at(MARCH_5), django_assert_max_num_queries(10):
        response = api.get(SCORES, {"month": "2020-02"})
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [(r["department_id"], r["total"], r["rank"]) for r in rows] == [
        (zone.department_b.pk, "95.00", 1),
        (zone.department_a.pk, "90.00", 2),
    ]
    assert rows[0]["closed"] is False and rows[0]["change"] is None
    assert api.get(SCORES, {"month": "2020-13"}).status_code == 422
    assert api.get(SCORES).status_code == 422


def test_the_calculation_behind_a_score(zone, plan, api_for):
    url = f"{SCORES}/{zone.department_a.pk}/2020-02"
    with at(MARCH_5):
        body = api_for("commander").get(url).json()
        own = api_for("officer_a").get(url)
        other = api_for("officer_b").get(url)
    assert body["total"] == "90.00"
    assert [(line["rule"], line["item_id"], line["points"]) for line in body["lines"]] == [
        ("base", None, "100.00"),
        ("overdue_capped", plan.item.pk, "-5.00"),
        ("overdue_capped", plan.other_item.pk, "-5.00"),
    ]
    assert body["lines"][1]["rule_label"] and body["lines"][1]["days"] == 14
    assert own.status_code == 200
    assert other.status_code == 404


def test_an_officer_gets_their_departments_row(zone, plan, api_for):
    with at(MARCH_5):
        rows = api_for("officer_a").get(SCORES, {"month": "2020-02"}).json()["items"]
    assert [r["department_id"] for r in rows] == [zone.department_a.pk]


def test_the_commander_closes_a_month_and_it_stays_as_it_was(zone, plan, api_for):
    api = api_for("commander")
    with at(MARCH_5):
        assert api_for("officer_a").post("/api/v1/dispatch/months/2020-02/close").status_code == 404
        assert api.post("/api/v1/dispatch/months/2020-03/close").status_code == 409
        closed = api.post("/api/v1/dispatch/months/2020-02/close")
        assert closed.status_code == 201 and closed.json()["departments"] == 2
        assert api.post("/api/v1/dispatch/months/2020-02/close").status_code == 409
    TaskItem.objects.filter(pk=plan.item.pk).update(status="done", done_on="2020-02-10", done_at=MARCH_5)
    with at(local(2020, 4, 2, 9, 0)):
        body = api.get(f"{SCORES}/{zone.department_a.pk}/2020-02").json()
    assert body["total"] == "90.00" and body["closed"] is True
    assert ClosedMonth.objects.count() == 1


def test_the_scheme_is_the_commanders(zone, plan, api_for):
    body = {
        "name": "考核办法",
        "base": "100",
        "weights": {"project": "1.5", "investment": "1.2"},
        "per_overdue_day": "2",
        "item_cap": "6",
        "early_bonus": "1",
        "monthly_bonus_cap": "3",
        "floor": "80",
    }
    assert api_for("officer_a").get("/api/v1/dispatch/scheme").status_code == 404
    assert api_for("officer_a").put("/api/v1/dispatch/scheme", body, content_type=JSON).status_code == 404
    response = api_for("commander").put("/api/v1/dispatch/scheme", body, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["weights"] == {"project": "1.50", "investment": "1.20"}
    bad = api_for("commander").put("/api/v1/dispatch/scheme", {**body, "weights": {"x": "1"}}, content_type=JSON)
    assert bad.status_code == 422


@pytest.fixture
def meeting_id(zone, plan, api_for):
    response = api_for("commander").post(
        MEETINGS,
        {
            "title": "经济运行调度会",
            "held_at": "2020-02-21T09:00:00+08:00",
            "video_link": "https://meeting.example.cn/1",
            "department_ids": [zone.department_a.pk],
            "people_ids": [zone.officer_b.pk],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_meeting_from_agenda_to_minutes(zone, plan, api_for, meeting_id, django_assert_max_num_queries):
    api = api_for("commander")
    url = f"{MEETINGS}/{meeting_id}"
    agenda = api.post(f"{url}/agenda", {"title": "重点项目", "task_id": plan.task.pk}, content_type=JSON)
    assert agenda.status_code == 201
    decision = api.post(
        f"{url}/decisions",
        {
            "text": "二期 2 月底前开工",
            "department_id": zone.department_a.pk,
            "owner_id": zone.officer_a.pk,
            "due_on": "2020-02-28",
            "agenda_item_id": agenda.json()["id"],
        },
        content_type=JSON,
    )
    assert decision.status_code == 201, decision.content
    item_url = f"{url}/decisions/{decision.json()['id']}/item"
    item = api.post(item_url)
    assert item.status_code == 201 and item.json()["responsible_id"] == zone.officer_a.pk
    assert api.post(item_url).status_code == 409
    assert api.put(f"{url}/minutes", {"minutes": "会议要求细化落实到每一天。"}, content_type=JSON).status_code == 200
    sent = api.post(f"{url}/minutes/send")
    assert sent.status_code == 200
    assert {r["user_id"] for r in sent.json()} == {zone.officer_a.pk, zone.officer_a2.pk, zone.officer_b.pk}
    assert api.post(f"{url}/minutes/send").status_code == 409
    # Reading the notice is the read receipt.
    notice_id = api.get(url).json()["notice_id"]
    assert Client().get(f"/notices/{notice_id}/").status_code == 302
    from django.test import Client as PageClient

    page = PageClient()
    page.force_login(zone.officer_a)
    assert page.get(f"/notices/{notice_id}/").status_code == 200
    receipts = {r["user_id"]: r["read_at"] for r in api.get(f"{url}/receipts").json()}
    assert receipts[zone.officer_a.pk] is not None and receipts[zone.officer_b.pk] is None
    with django_assert_max_num_queries(6):
        assert api.get(MEETINGS).json()["count"] == 1


def test_no_decision_is_recorded_after_the_minutes_are_sent(zone, plan, api_for, meeting_id):
    api = api_for("commander")
    url = f"{MEETINGS}/{meeting_id}"
    api.put(f"{url}/minutes", {"minutes": "纪要"}, content_type=JSON)
    assert api.post(f"{url}/minutes/send").status_code == 200
    decision = {
        "text": "会后补充",
        "department_id": zone.department_a.pk,
        "owner_id": zone.officer_a.pk,
        "due_on": "2020-02-28",
    }
    refused = api.post(f"{url}/decisions", decision, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409 and refused.json()["code"] == "minutes_sent"
    assert "no decision can be added" in refused.json()["message"]
    assert api.get(f"{url}/decisions").json() == []
    assert api_for("officer_a").post(f"{url}/decisions", decision, content_type=JSON).status_code == 403
    assert api_for("admin_a").post(f"{url}/decisions", decision, content_type=JSON).status_code == 404


def test_officers_read_the_meetings_they_attend_and_change_nothing(zone, plan, api_for, meeting_id):
    officer = api_for("officer_a")
    url = f"{MEETINGS}/{meeting_id}"
    assert officer.get(url).status_code == 200
    assert officer.post(f"{url}/agenda", {"title": "x"}, content_type=JSON).status_code == 403
    assert officer.post(f"{url}/minutes/send").status_code == 403
    moved = {"title": "x", "held_at": "2020-02-22T09:00:00+08:00", "place": "x"}
    assert officer.put(url, moved, content_type=JSON).status_code == 403
    assert Client().put(url, moved, content_type=JSON).status_code == 401
    changed = api_for("commander").put(url, {**moved, "department_ids": [zone.department_a.pk]}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["title"] == "x"
    assert (
        api_for("commander").put(url, {**moved, "people_ids": [zone.admin_a.pk]}, content_type=JSON).status_code == 422
    )
    assert (
        officer.post(
            MEETINGS, {"title": "x", "held_at": "2020-02-21T09:00:00+08:00", "place": "x"}, content_type=JSON
        ).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "community_worker", "volunteer"])
def test_outsiders_see_no_meeting_and_no_score(zone, plan, api_for, meeting_id, who):
    api = api_for(who)
    assert api.get(MEETINGS).json()["items"] == []
    assert api.get(f"{MEETINGS}/{meeting_id}").status_code == 404
    assert api.post(f"{MEETINGS}/{meeting_id}/minutes/send").status_code == 404
    moved = {"title": "x", "held_at": "2020-02-22T09:00:00+08:00", "place": "x"}
    assert api.put(f"{MEETINGS}/{meeting_id}", moved, content_type=JSON).status_code == 404
    with at(MARCH_5):
        assert api.get(SCORES, {"month": "2020-02"}).json()["items"] == []
        assert api.get(f"{SCORES}/{zone.department_a.pk}/2020-02").status_code == 404


def test_a_device_token_and_anonymous_see_no_meeting(zone, plan, meeting_id, device_for):
    device = device_for(zone.site_a)
    assert device.get(MEETINGS).status_code in {401, 404}
    assert device.get(f"{MEETINGS}/{meeting_id}").status_code in {401, 404}
    assert device.get(SCORES, {"month": "2020-02"}).status_code in {401, 404}
    assert Client().get(MEETINGS).status_code == 401
    assert Client().post("/api/v1/dispatch/months/2020-02/close").status_code == 401
