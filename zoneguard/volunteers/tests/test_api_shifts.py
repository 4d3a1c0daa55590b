"""/api/v1/volunteers/shifts and sign-ups: planning, signing up on a phone (409 when full or
overlapping), cancelling, checking in and out; scoped like the rest of the API."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .conftest import local

URL = "/api/v1/volunteers/shifts"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def soon(minutes=0):
    return (timezone.now() + timedelta(minutes=minutes)).replace(microsecond=0).isoformat()


def test_a_worker_plans_a_shift_and_volunteers_sign_up_until_it_is_full(corps, api_for):
    zone = corps.zone
    worker = api_for("community_worker")
    created = post(
        worker,
        URL,
        {"site_id": zone.market_site.pk, "starts_at": soon(60), "ends_at": soon(300), "needed": 1, "note": "测温登记"},
    )
    assert created.status_code == 201, created.content
    shift = created.json()
    assert (shift["community_id"], shift["taken"], shift["site_name"]) == (zone.community.pk, 0, "市场丁 · 入口")
    mine = post(api_for("volunteer"), f"{URL}/{shift['id']}/signups")
    assert mine.status_code == 201, mine.content
    assert mine.json()["volunteer_id"] == corps.first.pk
    full = post(worker, f"{URL}/{shift['id']}/signups", {"volunteer_id": corps.second.pk})
    assert full.status_code == 409 and full.json()["code"] == "shift_full"
    assert worker.get(f"{URL}/{shift['id']}").json()["taken"] == 1
    assert [s["volunteer_id"] for s in worker.get(f"{URL}/{shift['id']}/signups").json()] == [corps.first.pk]


def test_an_overlapping_sign_up_is_a_409(corps, api_for):
    client = api_for("volunteer")
    morning, overlapping = corps.shift(local(1, 7)), corps.shift(local(1, 9))
    assert post(client, f"{URL}/{morning.pk}/signups").status_code == 201
    refused = post(client, f"{URL}/{overlapping.pk}/signups")
    assert refused.status_code == 409 and refused.json()["code"] == "shift_overlap"


def test_a_volunteer_cancels_before_the_start_checks_in_and_out(corps, api_for):
    client = api_for("volunteer")
    later = post(client, f"{URL}/{corps.shift(local(2, 7)).pk}/signups").json()
    cancelled = post(client, f"/api/v1/volunteers/signups/{later['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    now = post(client, f"{URL}/{corps.shift(timezone.now() - timedelta(minutes=10)).pk}/signups").json()
    checked_in = post(client, f"/api/v1/volunteers/signups/{now['id']}/check-in")
    assert checked_in.status_code == 200 and checked_in.json()["checked_in_at"]
    started = post(client, f"/api/v1/volunteers/signups/{now['id']}/cancel")
    assert started.status_code == 409 and started.json()["code"] == "shift_started"
    given_time = post(client, f"/api/v1/volunteers/signups/{now['id']}/check-out", {"at": soon(-1)})
    assert given_time.status_code == 403
    checked_out = post(client, f"/api/v1/volunteers/signups/{now['id']}/check-out")
    assert checked_out.status_code == 200 and checked_out.json()["checked_out_at"]
    listing = client.get("/api/v1/volunteers/signups").json()
    assert [s["id"] for s in listing["items"]] == [now["id"]]
    hours = client.get("/api/v1/volunteers/hours").json()
    assert [(h["volunteer_id"], h["shifts"]) for h in hours] == [(corps.first.pk, 0)]  # under a minute served


def test_a_worker_records_a_forgotten_check_out_afterwards(corps, api_for):
    signup = corps.signup(corps.shift(local(-1, 7)), checked_in_at=local(-1, 7))
    worker = api_for("community_worker")
    response = post(worker, f"/api/v1/volunteers/signups/{signup.pk}/check-out", {"at": local(-1, 10).isoformat()})
    assert response.status_code == 200, response.content
    [row] = [h for h in worker.get("/api/v1/volunteers/hours").json() if h["volunteer_id"] == corps.first.pk]
    assert (row["minutes"], row["hours"], row["missing_check_outs"]) == (180, "3.0", 0)
    assert (
        post(
            worker, f"/api/v1/volunteers/signups/{signup.pk}/check-out", {"at": "3000-01-01T00:00:00+08:00"}
        ).status_code
        == 422
    )


def test_volunteers_see_their_community_s_shifts_only_and_outsiders_nothing(corps, api_for, device_for):
    zone = corps.zone
    here, there = corps.shift(local(1, 7)), corps.shift(local(1, 7), site=corps.other_site)
    signup = corps.signup(here)
    assert [s["id"] for s in api_for("volunteer").get(URL).json()["items"]] == [here.pk]
    assert [s["id"] for s in api_for("volunteer_b").get(URL).json()["items"]] == [there.pk]
    assert {s["id"] for s in api_for("commander").get(URL).json()["items"]} == {here.pk, there.pk}
    other = api_for("worker_b")
    assert other.get(f"{URL}/{here.pk}").status_code == 404
    assert post(other, f"{URL}/{here.pk}/signups", {"volunteer_id": corps.outsider.pk}).status_code == 404
    for action in ("cancel", "check-in", "check-out"):
        assert post(other, f"/api/v1/volunteers/signups/{signup.pk}/{action}").status_code == 404
        assert post(api_for("volunteer_b"), f"/api/v1/volunteers/signups/{signup.pk}/{action}").status_code == 404
    assert post(api_for("volunteer_b"), f"{URL}/{here.pk}/signups").status_code == 404
    # Planning at another community's site, or a site out of sight.
    planned = {"starts_at": soon(60), "ends_at": soon(120), "needed": 2}
    assert post(other, URL, {**planned, "site_id": zone.market_site.pk}).status_code == 404
    assert post(api_for("admin_a"), URL, {**planned, "site_id": zone.site_a.pk}).status_code == 403
    assert post(api_for("volunteer"), URL, {**planned, "site_id": zone.market_site.pk}).status_code == 404
    assert Client().get(URL).status_code == 401
    assert Client().post(f"{URL}/{here.pk}/signups").status_code == 401
    device = device_for(zone.market_site)
    assert device.get(URL).status_code == 404
    assert post(device, f"{URL}/{here.pk}/signups").status_code == 404


def test_the_shift_list_costs_the_same_queries_however_many_shifts(corps, api_for):
    client = api_for("community_worker")
    corps.signup(corps.shift(local(1, 7)))
    client.get(URL)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).json()["count"] == 1
    for day in range(2, 6):
        corps.signup(corps.shift(local(day, 7)), corps.second)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).json()["count"] == 5
    assert len(many) == len(few)
    volunteer = api_for("volunteer")
    volunteer.get(URL)
    with CaptureQueriesContext(connection) as mine:
        assert volunteer.get(URL, {"unfilled": "true"}).json()["count"] == 5
    assert len(mine) <= len(few) + 1  # the volunteer's record
