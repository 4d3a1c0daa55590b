"""The tickets API: the story through POST actions, 409 out of order, who sees what (another
enterprise's admin and another department's officer get 404; anonymous and device tokens
nothing), attachments refused and unreachable out of scope, figures."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from zoneguard.gates.tests.conftest import post
from zoneguard.tickets.models import Ticket

from .conftest import file, pdf, png

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets"
NEW = {"category": "raw_materials", "urgency": "critical", "title": "原材料购入难", "description": "熔喷布断供"}


def test_the_story_through_the_api(zone, tickets, api_for):
    enterprise, officer = api_for("admin_a"), api_for("officer_a")
    filed = post(enterprise, URL, NEW)
    assert filed.status_code == 201, filed.content
    ticket = filed.json()
    assert (ticket["status"], ticket["department_name"], ticket["actions"]) == (
        "submitted",
        zone.department_a.name,
        ["accept", "pass_on", "withdraw"],
    )
    pk = ticket["id"]
    attached = enterprise.post(f"{URL}/{pk}/attachments", {"file": pdf()})
    assert attached.status_code == 201, attached.content
    early = post(officer, f"{URL}/{pk}/resolve", {"answer": "已解决"})
    assert early.status_code == 409 and early.json()["code"] == "out_of_order"
    assert post(enterprise, f"{URL}/{pk}/accept", {}).status_code == 403  # not the department's side
    assert post(officer, f"{URL}/{pk}/accept", {}).json()["status"] == "accepted"
    assert post(officer, f"{URL}/{pk}/messages", {"body": "请提供供应商名单"}).status_code == 201
    assert post(enterprise, f"{URL}/{pk}/messages", {"body": "名单见附件"}).status_code == 201
    assert post(officer, f"{URL}/{pk}/resolve", {"answer": "已对接园区供应商"}).json()["status"] == "resolved"
    assert post(enterprise, f"{URL}/{pk}/reopen", {"comment": "还差一半"}).json()["status"] == "reopened"
    assert post(officer, f"{URL}/{pk}/resolve", {"answer": "余下已到"}).status_code == 200
    assert post(enterprise, f"{URL}/{pk}/confirm", {}).json()["status"] == "confirmed"
    assert post(enterprise, f"{URL}/{pk}/rate", {"rating": 6}).status_code == 422
    rated = post(enterprise, f"{URL}/{pk}/rate", {"rating": 5, "comment": "感谢经发局"})
    assert rated.json()["rating"] == 5
    again = post(enterprise, f"{URL}/{pk}/rate", {"rating": 4})
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    events = [e["action"] for e in enterprise.get(f"{URL}/{pk}").json()["events"]]
    assert events == [
        "file", "message", "accept", "message", "message", "resolve", "reopen", "resolve", "confirm", "rate",
    ]  # fmt: skip


def test_passing_on_moves_the_request_to_the_other_department(zone, tickets, api_for):
    pk = file(zone).pk
    officer_a, officer_b = api_for("officer_a"), api_for("officer_b")
    assert (
        post(officer_a, f"{URL}/{pk}/pass-on", {"department_id": zone.department_b.pk, "reason": ""}).status_code == 422
    )
    passed = post(officer_a, f"{URL}/{pk}/pass-on", {"department_id": zone.department_b.pk, "reason": "属建设局"})
    assert passed.status_code == 200 and passed.json()["department_id"] == zone.department_b.pk
    # Department A reads what became of it, and acts on it no more.
    assert officer_a.get(f"{URL}/{pk}").json()["department_id"] == zone.department_b.pk
    assert post(officer_a, f"{URL}/{pk}/accept", {}).status_code == 403
    assert [t["id"] for t in officer_b.get(URL).json()["items"]] == [pk]
    assert post(officer_b, f"{URL}/{pk}/accept", {}).status_code == 200


def test_an_enterprise_files_and_sees_only_its_own(zone, tickets, api_for):
    mine, theirs = file(zone), file(zone, "admin_b")
    assert [t["id"] for t in api_for("admin_a").get(URL).json()["items"]] == [mine.pk]
    assert [t["id"] for t in api_for("admin_b").get(URL).json()["items"]] == [theirs.pk]
    assert {t["id"] for t in api_for("commander").get(URL).json()["items"]} == {mine.pk, theirs.pk}
    assert post(api_for("officer_a"), URL, NEW).status_code == 403  # officers do not file
    assert Ticket.objects.count() == 2


def test_a_department_sees_those_routed_to_it(zone, tickets, api_for):
    a, c = file(zone), file(zone, "admin_c")
    assert [t["id"] for t in api_for("officer_a").get(URL).json()["items"]] == [a.pk]
    assert [t["id"] for t in api_for("officer_b").get(URL).json()["items"]] == [c.pk]


def test_the_enterprise_withdraws_and_a_resent_filing_files_once(zone, tickets, api_for):
    enterprise, officer = api_for("admin_a"), api_for("officer_a")
    key = "0b8f2d4e-6a1c-4f3e-9d2b-7c5a1e3f9b10"
    first = post(enterprise, URL, {**NEW, "client_id": key})
    again = post(enterprise, URL, {**NEW, "client_id": key})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"] and Ticket.objects.count() == 1
    reused = post(enterprise, URL, {**NEW, "title": "另一件事", "client_id": key})
    assert reused.status_code == 409 and reused.json()["code"] == "client_id_reused"
    pk = first.json()["id"]
    assert post(officer, f"{URL}/{pk}/withdraw", {"reason": "x"}).status_code == 403
    assert post(enterprise, f"{URL}/{pk}/withdraw", {"reason": ""}).status_code == 422
    withdrawn = post(enterprise, f"{URL}/{pk}/withdraw", {"reason": "已自行解决"})
    assert (withdrawn.json()["status"], withdrawn.json()["actions"]) == ("withdrawn", [])
    assert post(enterprise, f"{URL}/{pk}/withdraw", {"reason": "已自行解决"}).status_code == 409


@pytest.mark.parametrize("outsider", ["admin_b", "officer_b", "gate_a", "community_worker", "volunteer"])
def test_outsiders_get_404(zone, tickets, api_for, outsider):
    ticket = file(zone, attachments=[pdf()])
    attachment = ticket.attachments.get()
    client = api_for(outsider)
    assert client.get(f"{URL}/{ticket.pk}").status_code == 404
    assert client.get(f"{URL}/{ticket.pk}/attachments/{attachment.pk}").status_code == 404
    for action, data in [
        ("accept", {}),
        ("pass-on", {"department_id": zone.department_b.pk, "reason": "x"}),
        ("messages", {"body": "x"}),
        ("resolve", {"answer": "x"}),
        ("confirm", {}),
        ("reopen", {"comment": "x"}),
        ("rate", {"rating": 5}),
        ("withdraw", {"reason": "x"}),
    ]:
        assert post(client, f"{URL}/{ticket.pk}/{action}", data).status_code == 404, action
    assert client.post(f"{URL}/{ticket.pk}/attachments", {"file": pdf()}).status_code == 404
    assert client.get(URL).json()["items"] == []
    ticket.refresh_from_db()
    assert ticket.status == "submitted" and ticket.attachments.count() == 1


def test_anonymous_and_devices_reach_nothing(zone, tickets, device_for):
    ticket = file(zone, attachments=[pdf()])
    attachment = ticket.attachments.get()
    anonymous, device = Client(), device_for(zone.site_a)
    for client, code in [(anonymous, 401), (device, 404)]:
        assert client.get(f"{URL}/{ticket.pk}").status_code == code
        assert client.get(f"{URL}/{ticket.pk}/attachments/{attachment.pk}").status_code == code
        assert post(client, f"{URL}/{ticket.pk}/accept", {}).status_code == code
    assert anonymous.get(URL).status_code == 401
    # A gate's token reaches its gate's operations only.
    assert device.get(URL).status_code == 404
    assert post(device, URL, NEW).status_code == 404
    assert device.get(f"{URL}/figures?start=2020-02-01&end=2020-02-29").status_code == 404
    assert Ticket.objects.count() == 1


def test_attachments_are_served_in_scope_and_refused_by_type_and_size(zone, tickets, api_for, settings):
    ticket = file(zone)
    enterprise, officer = api_for("admin_a"), api_for("officer_a")
    refused = enterprise.post(f"{URL}/{ticket.pk}/attachments", {"file": png("photo.exe")})
    assert refused.status_code == 422 and refused.json()["code"] == "file_type"
    with override_settings(UPLOAD_MAX_BYTES=1024):
        big = enterprise.post(f"{URL}/{ticket.pk}/attachments", {"file": pdf(size=4096)})
    assert big.status_code == 422 and big.json()["code"] == "file_size"
    attached = enterprise.post(f"{URL}/{ticket.pk}/attachments", {"file": png("现场.png")}).json()
    served = officer.get(f"{URL}/{ticket.pk}/attachments/{attached['id']}")
    assert served.status_code == 200 and served["Cache-Control"] == "no-store"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    # The file lives outside anything served as static or media.
    stored = ticket.attachments.get().file
    assert "static" not in stored.path and not stored.url.startswith(settings.STATIC_URL)
    assert Client().get(stored.url).status_code == 404


def test_figures_per_department(zone, tickets, api_for, django_assert_max_num_queries):
    file(zone)
    file(zone, "admin_c")
    commander = api_for("commander")
    with django_assert_max_num_queries(8):
        rows = commander.get(f"{URL}/figures?start=2000-01-01&end=2099-12-31").json()
    received = {r["department_id"]: r["received"] for r in rows}
    assert received == {zone.department_a.pk: 1, zone.department_b.pk: 1}
    own = api_for("officer_a").get(f"{URL}/figures?start=2000-01-01&end=2099-12-31").json()
    assert [r["department_id"] for r in own] == [zone.department_a.pk]
    assert api_for("admin_a").get(f"{URL}/figures?start=2000-01-01&end=2099-12-31").json() == []
    assert commander.get(f"{URL}/figures?start=2020-02-10&end=2020-02-01").status_code == 422


def test_the_list_holds_its_query_count(zone, tickets, api_for, django_assert_max_num_queries):
    for _ in range(5):
        file(zone)
    client = api_for("commander")
    with django_assert_max_num_queries(6):
        assert len(client.get(URL).json()["items"]) == 5
