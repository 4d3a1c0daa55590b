"""Ending a red or yellow status early: the zone's epidemic control does it on grounds, the gates
then ask the person to declare again, and nobody else can."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.roles import Role
from zoneguard.gates.tests.conftest import post
from zoneguard.health.cards import card_path
from zoneguard.health.models import Declaration
from zoneguard.health.services import declaration_submit
from zoneguard.registry.models import Department
from zoneguard.testing import make_user
from zoneguard.tracing.models import TracingDuty

URL = "/api/v1/tracing/status-ends"


def _tracer_client():
    department = Department.objects.create(code="shiwu", name="社会事务局")
    TracingDuty.objects.create(department=department)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(make_user("tracer", Role.DEPARTMENT_OFFICER, department=department))
    return client


def test_an_officer_ends_a_red_status_and_the_gates_ask_for_a_new_declaration(zone, api_for, declare, device_for, item):
    person = zone.staff_a[0]
    red = declare(person, "red", valid_hours=14 * 24, reasons=["申报体温≥37.3℃"])
    gate = device_for(zone.site_a)
    assert post(gate, "/api/v1/checkins", item(zone.site_a, person)).json()["decision"] == "deny"
    TracingDuty.objects.create(department=zone.department_a)
    response = post(api_for("officer_a"), URL, {"person_id": person.pk, "note": "发热门诊核酸检测阴性"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["person_id"], body["declaration_id"], body["status"]) == (person.pk, red.pk, "red")
    assert body["clearance_note"] == "发热门诊核酸检测阴性"
    red.refresh_from_db()
    assert red.valid_until == red.cleared_at <= timezone.now()
    assert red.reasons == ["申报体温≥37.3℃"]  # what was answered stays
    answer = post(gate, "/api/v1/checkins", item(zone.site_a, person)).json()
    assert (answer["decision"], answer["reason_codes"]) == ("deny", ["declaration_expired"])
    event = AuditEvent.objects.get(object_type="health.declaration", object_id=str(red.pk))
    assert event.actor.username == "officer_a" and event.detail["clearance_note"] == "发热门诊核酸检测阴性"
    # Declaring again is answered by the rules afresh: the ended red is not carried forward.
    again = declaration_submit(
        actor=None,
        site=zone.site_a,
        name=person.name,
        id_number=person.id_number,
        phone="13800000000",
        temperature="36.4",
    )
    assert again.status == "green"
    assert post(gate, "/api/v1/checkins", item(zone.site_a, person)).json()["decision"] == "allow"


def test_only_a_red_or_yellow_in_force_is_ended_and_grounds_are_required(zone, api_for, declare):
    commander = api_for("commander")
    person = zone.staff_a[0]
    assert post(commander, URL, {"person_id": person.pk, "note": "阴性"}).status_code == 409  # never declared
    green = declare(person, "green", declared_at=timezone.now())
    refused = post(commander, URL, {"person_id": person.pk, "note": "阴性"})
    assert refused.status_code == 409 and refused.json()["code"] == "no_status_in_force"
    assert "没有生效中的红码或黄码" in refused.json()["message"]
    yellow = declare(person, "yellow", valid_hours=48, declared_at=timezone.now())
    blank = post(commander, URL, {"person_id": person.pk, "note": "  "})
    assert blank.status_code == 422 and "note" in blank.json()["errors"]
    assert post(commander, URL, {"person_id": 10**9, "note": "阴性"}).status_code == 404
    yellow.refresh_from_db()
    assert yellow.cleared_at is None and yellow.valid_until > timezone.now()
    assert post(commander, URL, {"person_id": person.pk, "note": "咳嗽已愈"}).status_code == 200
    ended_twice = post(commander, URL, {"person_id": person.pk, "note": "咳嗽已愈"})
    assert ended_twice.status_code == 409
    green.refresh_from_db()
    assert green.cleared_at is None
    # A red past its validity still holds at the gates until the person declares again: it can be
    # ended too.
    old_red = declare(person, "red", valid_hours=1, declared_at=timezone.now() - timedelta(hours=3))
    assert post(commander, URL, {"person_id": person.pk, "note": "已复核"}).status_code == 409  # not the current one
    old_red.delete()
    late = declare(person, "red", valid_hours=1, declared_at=timezone.now() - timedelta(minutes=90))
    Declaration.objects.exclude(pk=late.pk).filter(person=person).update(declared_at=timezone.now() - timedelta(days=2))
    assert post(commander, URL, {"person_id": person.pk, "note": "已复核"}).status_code == 200


def test_outsiders_end_nothing(zone, api_for, declare, device_for):
    person = zone.staff_a[0]
    red = declare(person, "red", valid_hours=24)
    data = {"person_id": person.pk, "note": "阴性"}
    assert post(Client(), URL, data).status_code == 401
    assert post(device_for(zone.site_a), URL, data).status_code in (403, 404)
    # The person's own employer, an officer without epidemic-control duty, anyone else: refused.
    for user in ("admin_a", "admin_b", "officer_a", "gate_a", "community_worker", "volunteer"):
        assert post(api_for(user), URL, data).status_code == 403, user
    red.refresh_from_db()
    assert red.cleared_at is None
    assert not AuditEvent.objects.filter(object_type="health.declaration").exists()


def test_the_trace_page_shows_the_status_and_ends_it_on_grounds(zone, client_for, declare):
    person = zone.staff_a[0]
    red = declare(person, "red", valid_hours=24, reasons=["申报体温≥37.3℃"])
    tracer = _tracer_client()
    page = tracer.get("/tracing/", {"person": person.pk}).content.decode()
    status = page.split('data-testid="case-status"')[1].split("</p>")[0]
    assert "红码" in status and "申报体温≥37.3℃" in status
    assert "提前解除" in page
    # The person's employer traces them too, but does not decide on their health.
    admin_page = client_for("admin_a").get("/tracing/", {"person": person.pk}).content.decode()
    assert 'data-testid="case-status"' in admin_page and "/tracing/end-status/" not in admin_page
    back = f"/tracing/?person={person.pk}"
    refused = tracer.post("/tracing/end-status/", {"case": person.pk, "note": "", "next": back}, follow=True)
    assert refused.redirect_chain[-1][0] == back
    assert "此项为必填项。" in refused.content.decode()
    red.refresh_from_db()
    assert red.cleared_at is None
    done = tracer.post("/tracing/end-status/", {"case": person.pk, "note": "体温录入错误", "next": back}, follow=True)
    html = done.content.decode()
    assert "已解除" in html and "提前解除" in html
    red.refresh_from_db()
    assert red.clearance_note == "体温录入错误"
    # The person's status card says so.
    card = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(card_path(red.card_code)).content.decode()
    assert "防疫人员已提前解除此状态" in card


def test_the_end_status_page_ends_nothing_for_outsiders(zone, client_for, declare):
    person = zone.staff_a[0]
    red = declare(person, "red", valid_hours=24)
    data = {"case": person.pk, "note": "阴性", "next": f"/tracing/?person={person.pk}"}
    anonymous = Client().post("/tracing/end-status/", data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in ("admin_a", "admin_b", "officer_a", "gate_a", "volunteer"):
        client_for(user).post("/tracing/end-status/", data)
    red.refresh_from_db()
    assert red.cleared_at is None and red.valid_until > timezone.now()
    assert not AuditEvent.objects.filter(object_type="health.declaration").exists()
