"""/api/v1/volunteers/tasks, results, to-dos and hours: a canvassing round recorded on a phone,
its roll-up, the to-do of an open unregistered shop, closed by the community."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneguard.registry.models import Organisation
from zoneguard.volunteers import services

URL = "/api/v1/volunteers/tasks"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_a_canvassing_round_from_creation_to_the_closed_to_do(corps, api_for):
    zone = corps.zone
    supermarket = Organisation.objects.create(name="长湖街便民超市", kind="shop", community=zone.community)
    worker, volunteer = api_for("community_worker"), api_for("volunteer")
    created = post(
        worker,
        URL,
        {
            "community_id": zone.community.pk,
            "kind": "canvassing",
            "title": "长湖街门店摸排",
            "volunteer_ids": [corps.first.pk],
            "shop_ids": [supermarket.pk, corps.shop.pk],
        },
    )
    assert created.status_code == 201, created.content
    task = created.json()
    assert (task["volunteer_ids"], task["shop_ids"]) == ([corps.first.pk], sorted([supermarket.pk, corps.shop.pk]))
    assert [t["id"] for t in volunteer.get(URL).json()["items"]] == [task["id"]]
    visits = f"{URL}/{task['id']}/visits"
    fine = {"is_open": True, "staff_count": 3, "masks_worn": True, "staff_registered": True, "disinfection_done": True}
    assert post(volunteer, visits, {"shop_id": supermarket.pk, **fine}).status_code == 201
    unregistered = post(
        volunteer, visits, {"shop_id": corps.shop.pk, **fine, "staff_registered": False, "masks_worn": False}
    )
    assert unregistered.status_code == 201 and unregistered.json()["visited_by_id"] == corps.first.pk
    incomplete = post(volunteer, visits, {"shop_id": supermarket.pk, "is_open": True})
    assert incomplete.status_code == 422 and "masks_worn" in incomplete.json()["errors"]
    assert post(volunteer, visits, {"shop_id": zone.enterprise_a.pk, "is_open": False}).status_code == 422
    results = worker.get(f"{URL}/{task['id']}").json()
    assert results["rollup"] == {
        "shops_visited": 2,
        "open": 2,
        "closed": 0,
        "without_registration": 1,
        "without_masks": 1,
        "without_disinfection": 0,
    }
    assert len(results["visits"]) == 2
    [community] = worker.get("/api/v1/volunteers/results").json()
    assert (community["community_name"], community["open_todos"], community["rollup"]["without_registration"]) == (
        "祥光社区",
        1,
        1,
    )
    [todo] = worker.get("/api/v1/volunteers/todos").json()["items"]
    assert (todo["organisation_name"], todo["reason"], todo["status"]) == ("长湖街大药房", "unregistered_staff", "open")
    assert volunteer.get("/api/v1/volunteers/todos").json()["count"] == 0
    assert post(api_for("worker_b"), f"/api/v1/volunteers/todos/{todo['id']}/close").status_code == 404
    closed = post(worker, f"/api/v1/volunteers/todos/{todo['id']}/close", {"note": "已登记"})
    assert closed.status_code == 200 and closed.json()["status"] == "done"
    assert worker.get("/api/v1/volunteers/todos").json()["count"] == 0
    assert worker.get("/api/v1/volunteers/todos", {"status": "done"}).json()["count"] == 1
    assert post(worker, f"/api/v1/volunteers/todos/{todo['id']}/close").status_code == 409


def test_leaflets_are_recorded_and_rolled_up(corps, api_for):
    zone = corps.zone
    worker, volunteer = api_for("community_worker"), api_for("volunteer")
    task = post(
        worker,
        URL,
        {"community_id": zone.community.pk, "kind": "leaflets", "title": "宣传单", "volunteer_ids": [corps.first.pk]},
    ).json()
    assert post(volunteer, f"{URL}/{task['id']}/leaflets", {"building": "1栋", "leaflets": 120}).status_code == 201
    assert post(volunteer, f"{URL}/{task['id']}/leaflets", {"building": "2栋", "leaflets": 0}).status_code == 422
    assert post(volunteer, f"{URL}/{task['id']}/leaflets", {"building": "2栋", "leaflets": 10**9}).status_code == 422
    assert worker.get(f"{URL}/{task['id']}").json()["leaflets"] == {"drops": 1, "leaflets": 120, "buildings": 1}
    done = post(worker, f"{URL}/{task['id']}/complete")
    assert done.json()["status"] == "done"
    assert post(volunteer, f"{URL}/{task['id']}/leaflets", {"building": "3栋", "leaflets": 5}).status_code == 409


def test_tasks_are_scoped(corps, api_for, device_for):
    zone = corps.zone
    worker = api_for("community_worker")
    task = post(worker, URL, {"community_id": zone.community.pk, "kind": "leaflets", "title": "宣传单"}).json()
    for user in ("worker_b", "volunteer_b", "volunteer", "admin_a"):
        client = api_for(user)
        assert client.get(URL).json()["count"] == 0, user
        assert client.get(f"{URL}/{task['id']}").status_code == 404, user
        assert post(client, f"{URL}/{task['id']}/leaflets", {"building": "1栋", "leaflets": 1}).status_code == 404
    refused = post(api_for("worker_b"), URL, {"community_id": zone.community.pk, "kind": "leaflets", "title": "x"})
    assert refused.status_code == 403
    assert Client().get(URL).status_code == 401
    assert device_for(zone.market_site).get(URL).status_code == 404
    assert device_for(zone.market_site).get("/api/v1/volunteers/hours").status_code == 404
    assert api_for("worker_b").get("/api/v1/volunteers/results").json() == []


def test_the_task_list_costs_the_same_queries_however_many_tasks(corps, api_for):
    worker = api_for("community_worker")

    def make():
        body = {
            "community_id": corps.zone.community.pk,
            "kind": "canvassing",
            "title": "摸排",
            "volunteer_ids": [corps.first.pk, corps.second.pk],
        }
        assert post(worker, URL, body).status_code == 201

    make()
    with CaptureQueriesContext(connection) as few:
        assert worker.get(URL).json()["count"] == 1
    for _ in range(4):
        make()
    with CaptureQueriesContext(connection) as many:
        assert worker.get(URL).json()["count"] == 5
    assert len(many) == len(few)


def test_hours_per_volunteer_and_per_community(corps, api_for):
    from .conftest import local

    corps.signup(corps.shift(local(-1, 7)), checked_in_at=local(-1, 7), checked_out_at=local(-1, 9))
    corps.signup(corps.shift(local(-1, 7), site=corps.other_site), corps.outsider, checked_in_at=local(-1, 8))
    commander = api_for("commander")
    rows = commander.get("/api/v1/volunteers/hours").json()
    assert [(r["name"], r["minutes"]) for r in rows] == [("欧召应", 180), ("张青葵", 120), ("胡柏林", 0)]
    communities = commander.get("/api/v1/volunteers/hours/communities").json()
    assert [(c["community_name"], c["volunteers"], c["hours"]) for c in communities] == [
        ("青峰社区", 1, "3.0"),
        ("祥光社区", 2, "2.0"),
    ]
    assert [r["name"] for r in api_for("volunteer").get("/api/v1/volunteers/hours").json()] == ["张青葵"]
    assert [r["name"] for r in api_for("worker_b").get("/api/v1/volunteers/hours").json()] == ["欧召应"]
    assert api_for("admin_a").get("/api/v1/volunteers/hours").json() == []


def test_the_to_do_list_costs_the_same_queries_however_many_to_dos(corps, api_for):
    zone = corps.zone
    worker = api_for("community_worker")
    task = services.task_create(actor=zone.community_worker, community=zone.community, kind="canvassing", title="摸排")
    unregistered = {
        "is_open": True,
        "staff_count": 2,
        "masks_worn": True,
        "staff_registered": False,
        "disinfection_done": True,
    }
    shops = [Organisation.objects.create(name=f"小店{i}", kind="shop", community=zone.community) for i in range(4)]
    task.shops.add(*shops)
    post(worker, f"{URL}/{task.pk}/visits", {"shop_id": shops[0].pk, **unregistered})
    worker.get("/api/v1/volunteers/todos")
    with CaptureQueriesContext(connection) as one:
        assert worker.get("/api/v1/volunteers/todos").json()["count"] == 1
    for shop in shops[1:]:
        post(worker, f"{URL}/{task.pk}/visits", {"shop_id": shop.pk, **unregistered})
    with CaptureQueriesContext(connection) as four:
        assert worker.get("/api/v1/volunteers/todos").json()["count"] == 4
    assert len(four) == len(one)
