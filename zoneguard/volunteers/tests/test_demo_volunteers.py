"""The demo's corps: the story's volunteers approved, the market gate's shifts with hours served,
the canvassing round's to-do; loading twice changes nothing."""

from __future__ import annotations

from django.test import Client

from zoneguard.demo.builder import load_demo_zone
from zoneguard.volunteers import selectors
from zoneguard.volunteers.models import Shift, ShopVisit, SignUp, Todo, Volunteer


def counts():
    return tuple(m.objects.count() for m in (Volunteer, Shift, SignUp, ShopVisit, Todo))


def test_the_demo_corps(db):
    zone = load_demo_zone(password="demo-password-1")
    assert set(Volunteer.objects.values_list("name", flat=True)) == {"刘红梅", "陈艳", "张青葵", "胡柏林", "欧召应"}
    assert set(Volunteer.objects.values_list("status", flat=True)) == {"approved"}
    mine = selectors.volunteer_of(zone.users["volunteer"])
    assert mine is not None and mine.name == "张青葵" and mine.community.name == "祥光社区"
    hours = {h.volunteer.name: h for h in selectors.hours_by_volunteer(actor=zone.users["commander"])}
    assert all(hours[name].minutes > 8 * 60 for name in ("刘红梅", "张青葵", "陈艳", "胡柏林"))
    assert hours["胡柏林"].missing_check_outs == 1
    assert (
        Shift.objects.filter(site__name="市场入口", site__organisation__name="高鑫农贸市场").count()
        == 4 * 2 + 3 + 3 * 2
    )
    [todo] = Todo.objects.all()
    assert (todo.organisation.name, todo.community.name, todo.status) == ("长湖街大药房", "祥光社区", "open")
    [results] = selectors.community_results(actor=zone.users["community"])
    assert (results.rollup.shops_visited, results.rollup.without_registration, results.leaflets.leaflets) == (3, 1, 296)
    first = counts()
    load_demo_zone(password="demo-password-2")
    assert counts() == first


def test_the_demo_volunteer_opens_my_tasks(db):
    load_demo_zone(password="demo-password-1")
    client = Client()
    assert client.post("/accounts/login/", {"username": "volunteer", "password": "demo-password-1"}).status_code == 302
    page = client.get("/volunteers/my/").content.decode()
    assert "我的任务" in page and "高鑫农贸市场 · 市场入口" in page and "长湖街门店逐店摸排" in page
