"""The home-isolation API: the calendar, one active case a person, the gates' refusal, a fever
follow-up opening an incident, release and transfer, and who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.roles import Role
from zoneguard.gates.tests.conftest import post
from zoneguard.incidents.models import Incident
from zoneguard.isolation import services
from zoneguard.isolation.models import CaseStatus, FollowUp, IsolationCase
from zoneguard.notifications.models import Notification
from zoneguard.registry.models import Organisation, OrganisationKind
from zoneguard.testing import make_person, make_user, valid_id_number

URL = "/api/v1/isolation/cases"


def _resident(zone, name="王芳"):
    return make_person(name=name, phone="13912345678", organisation=zone.community)


def _open(client, person, **data):
    return post(client, URL, {"person_id": person.pk, "reason": "close_contact", "address": "青峰小区3栋", **data})


def _days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def test_a_case_runs_the_reason_s_period_and_the_gates_refuse_the_person_until_released(
    zone, api_for, declare, device_for, item
):
    resident = _resident(zone)
    declare(resident)
    gate = device_for(zone.site_a)
    worker = api_for("community_worker")
    response = _open(worker, resident, start_date=_days_ago(13).isoformat())
    assert response.status_code == 201, response.content
    case = response.json()
    assert (case["start_date"], case["end_date"]) == (_days_ago(13).isoformat(), timezone.localdate().isoformat())
    assert case["worker_id"] == zone.community_worker.pk  # a worker who opens a case follows it
    assert case["name"] == "王*" and "*" in case["id_number"] and case["phone"] == "139****5678"
    refused = post(gate, "/api/v1/checkins", item(zone.site_a, resident)).json()
    assert (refused["decision"], refused["reason_codes"]) == ("deny", ["home_isolation"])
    assert "居家隔离中" in refused["reasons"][0]
    # Every day but today was missed: nobody recorded a reading.
    assert len(case["missed_days"]) == 13
    # A second case for the same person is refused, whoever asks.
    assert _open(api_for("commander"), resident).status_code == 409
    released = post(worker, f"{URL}/{case['id']}/release", {"note": "期满无异常"})
    assert released.status_code == 200, released.content
    assert released.json()["status"] == "released"
    assert post(gate, "/api/v1/checkins", item(zone.site_a, resident)).json()["decision"] == "allow"
    assert post(worker, f"{URL}/{case['id']}/release", {}).status_code == 409
    # Released, the person may be isolated again later.
    assert _open(worker, resident).status_code == 201


def test_release_before_the_end_date_is_refused_but_transfer_to_hospital_is_not(zone, api_for):
    resident = _resident(zone)
    worker = api_for("community_worker")
    case = _open(worker, resident).json()
    early = post(worker, f"{URL}/{case['id']}/release", {})
    assert early.status_code == 409
    assert early.json()["code"] == "isolation_not_over"
    assert post(worker, f"{URL}/{case['id']}/transfer", {"note": ""}).status_code == 422
    moved = post(worker, f"{URL}/{case['id']}/transfer", {"note": "发热，转南华附一医院"})
    assert moved.json()["status"] == "hospital"


def test_the_period_and_readings_follow_the_reason_s_rule(zone, api_for):
    commander = api_for("commander")
    assert (
        commander.put(
            "/api/v1/isolation/rules/risk_area", {"days": 7, "readings_per_day": 2}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        api_for("community_worker")
        .put("/api/v1/isolation/rules/risk_area", {"days": 3}, content_type="application/json")
        .status_code
        == 403
    )
    case = _open(api_for("community_worker"), _resident(zone), reason="risk_area").json()
    assert (timezone.localdate() + timedelta(days=6)).isoformat() == case["end_date"]
    assert case["readings_per_day"] == 2
    rules = {r["reason"]: r for r in commander.get("/api/v1/isolation/rules").json()}
    assert (rules["risk_area"]["days"], rules["close_contact"]["days"]) == (7, 14)


def test_follow_ups_fill_the_day_and_a_fever_opens_an_incident_and_tells_the_worker(zone, api_for):
    resident = _resident(zone)
    worker = api_for("community_worker")
    case = _open(worker, resident, start_date=_days_ago(2).isoformat()).json()
    url = f"{URL}/{case['id']}/follow-ups"
    assert post(worker, url, {"temperature": "36.6", "day": _days_ago(2).isoformat()}).status_code == 201
    assert post(worker, url, {"temperature": "36.5"}).status_code == 201
    # The day before the start, a day to come, an unknown symptom, an impossible temperature: 422.
    for bad in (
        {"temperature": "36.5", "day": _days_ago(3).isoformat()},
        {"temperature": "36.5", "day": (timezone.localdate() + timedelta(days=1)).isoformat()},
        {"temperature": "36.5", "symptoms": ["headache-ish"]},
        {"temperature": "45.0"},
    ):
        assert post(worker, url, bad).status_code == 422, bad
    assert Incident.objects.count() == 0
    fever = post(worker, url, {"temperature": "37.8", "symptoms": ["cough"]})
    assert fever.status_code == 201
    incident = Incident.objects.get()
    assert fever.json()["incident_id"] == incident.pk
    assert (incident.kind, incident.person_id, incident.organisation_id) == ("fever", resident.pk, zone.community.pk)
    assert Notification.objects.filter(recipient=zone.community_worker, kind="alert").exists()
    # The day holds two readings: a third is refused.
    assert post(worker, url, {"temperature": "36.9"}).status_code == 409
    detail = worker.get(f"{URL}/{case['id']}").json()
    assert detail["missed_days"] == [_days_ago(1).isoformat()]
    assert [f["slot"] for f in detail["follow_ups"]] == [2, 1, 1]


def test_a_red_flag_symptom_opens_an_incident_without_fever(zone, api_for):
    worker = api_for("community_worker")
    case = _open(worker, _resident(zone)).json()
    post(worker, f"{URL}/{case['id']}/follow-ups", {"temperature": "36.8", "symptoms": ["shortness_of_breath"]})
    assert Incident.objects.get().kind == "suspected_case"


def test_a_case_for_someone_not_yet_registered_registers_them_in_the_community(zone, api_for):
    worker = api_for("community_worker")
    number = valid_id_number()
    data = {"name": "李四", "id_number": number, "phone": "13700000001", "reason": "risk_area"}
    response = post(worker, URL, {**data, "community_id": zone.community.pk})
    assert response.status_code == 201, response.content
    assert IsolationCase.objects.get().person.memberships.get().organisation == zone.community
    # An officer may not register residents: they open cases for registered people.
    officer = zone.users["tracer"] = make_user("tracer", Role.DEPARTMENT_OFFICER, department=zone.department_a)
    from zoneguard.tracing.models import TracingDuty

    TracingDuty.objects.create(department=zone.department_a)
    other = {**data, "id_number": valid_id_number(), "community_id": zone.community.pk}
    assert post(api_for(officer.username), URL, other).status_code == 403


@pytest.fixture
def outsider(zone):
    other = Organisation.objects.create(name="青峰社区", kind=OrganisationKind.COMMUNITY)
    zone.users["other_worker"] = make_user("other_worker", Role.COMMUNITY_WORKER, organisation=other)
    return zone.users["other_worker"], other


def test_outsiders_see_nothing(zone, api_for, device_for, outsider):
    worker = api_for("community_worker")
    case = _open(worker, _resident(zone)).json()
    other_worker, other = outsider
    for client in (api_for(other_worker.username), api_for("admin_a"), api_for("volunteer"), device_for(zone.site_a)):
        # A gate's device token reaches the gate's operations only; the others see no case.
        listed = client.get(URL)
        assert listed.status_code in {403, 404} or listed.json()["items"] == [], listed.content
        assert client.get(f"{URL}/{case['id']}").status_code in {403, 404}
        assert post(client, f"{URL}/{case['id']}/follow-ups", {"temperature": "36.5"}).status_code in {403, 404}
        assert post(client, f"{URL}/{case['id']}/release", {}).status_code in {403, 404}
    assert FollowUp.objects.count() == 0 and IsolationCase.objects.get().status == "active"
    assert Client().get(URL).status_code == 401
    # A worker opens cases in their own community only, and for people they can see.
    assert _open(api_for(other_worker.username), _resident(zone, "张三")).status_code == 404
    stranger = make_person(name="路人")
    assert _open(worker, stranger).status_code == 404
    response = post(worker, URL, {"person_id": stranger.pk, "reason": "other", "community_id": other.pk})
    assert response.status_code in {404, 422}


def test_the_list_is_masked_and_reads_in_a_fixed_number_of_queries(zone, api_for, django_assert_max_num_queries):
    worker = api_for("community_worker")
    for i in range(5):
        _open(worker, _resident(zone, f"居民{i}"))
    with django_assert_max_num_queries(8):
        items = worker.get(URL).json()["items"]
    assert len(items) == 5
    assert {item["name"] for item in items}.isdisjoint(f"居民{i}" for i in range(5))
    assert all("*" in item["name"] for item in items)


def test_every_write_is_audited(zone, api_for):
    worker = api_for("community_worker")
    case = _open(worker, _resident(zone)).json()
    post(worker, f"{URL}/{case['id']}/follow-ups", {"temperature": "36.5"})
    post(worker, f"{URL}/{case['id']}/transfer", {"note": "转院"})
    types = list(AuditEvent.objects.values_list("object_type", flat=True))
    assert types.count("isolation.isolationcase") == 2
    assert "isolation.followup" in types
    assert types.count("health.restriction") == 2


def test_tracing_hands_close_contacts_over_and_their_hold_becomes_the_isolation_s(zone, declare):
    case_person = make_person(name="病例", organisation=zone.enterprise_a)
    contact = zone.staff_a[0]
    import uuid

    from zoneguard.gates.models import CheckIn
    from zoneguard.tracing.services import close_contacts_mark

    now = timezone.now() - timedelta(hours=3)
    for person in (case_person, contact):
        CheckIn.objects.create(
            client_id=uuid.uuid4(),
            site=zone.site_a,
            organisation_id=zone.enterprise_a.pk,
            person=person,
            direction="in",
            decision="allow",
            temperature="36.5",
            checked_at=now,
            received_at=now,
        )
    close_contacts_mark(actor=zone.commander, case_id=case_person.pk, person_ids=[contact.pk])
    [opened] = services.cases_from_trace(actor=zone.commander, case=case_person, people=[contact])
    assert (opened.source, opened.source_person_id, opened.reason) == ("trace", case_person.pk, "close_contact")
    # Enterprise A lies in the zone's community: the case goes there.
    assert opened.community_id == zone.community.pk
    holds = contact.restrictions.filter(released_at__isnull=True)
    assert list(holds.values_list("kind", flat=True)) == ["home_isolation"]
    # Handing over again keeps the one case.
    assert services.cases_from_trace(actor=zone.commander, case=case_person, people=[contact]) == [opened]
    assert IsolationCase.objects.filter(status=CaseStatus.ACTIVE).count() == 1
