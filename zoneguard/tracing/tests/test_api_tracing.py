"""GET /api/v1/tracing/contacts and the close contacts: who may trace what, the audit, the gates'
answer to a close contact, and entries uploaded late and out of order."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.roles import Role
from zoneguard.gates.models import CheckIn
from zoneguard.gates.tests.conftest import post
from zoneguard.health.models import Declaration, DeclaredContact, Restriction
from zoneguard.registry.models import Department
from zoneguard.testing import make_person, make_user
from zoneguard.tracing.models import TracingDuty, TracingSettings

from . import reference

URL = "/api/v1/tracing/contacts"


def _stay(site, person, start, hours=2.0, decision="allow"):
    """An entry and its exit, as a gate records them."""
    common = {"site": site, "organisation_id": site.organisation_id, "person": person, "received_at": start}
    CheckIn.objects.create(
        client_id=uuid.uuid4(), direction="in", temperature="36.5", decision=decision, checked_at=start, **common
    )
    CheckIn.objects.create(
        client_id=uuid.uuid4(), direction="out", decision="allow", checked_at=start + timedelta(hours=hours), **common
    )


def _story(zone):
    """A case who worked at enterprise A's gate and shopped at enterprise B's: a co-worker at A,
    a shop assistant at B, and the co-worker's friend (second degree) at the market."""
    now = timezone.now().replace(microsecond=0)
    case, coworker = zone.staff_a[0], zone.staff_a[1]
    assistant, friend = zone.staff_b[0], make_person(name="朋友")
    _stay(zone.site_a, case, now - timedelta(days=3), hours=8)
    _stay(zone.site_a, coworker, now - timedelta(days=3, hours=-1), hours=8)
    _stay(zone.site_b, case, now - timedelta(days=2), hours=1)
    _stay(zone.site_b, assistant, now - timedelta(days=2, hours=1), hours=3)
    _stay(zone.market_site, coworker, now - timedelta(days=1), hours=0.5)
    _stay(zone.market_site, friend, now - timedelta(days=1), hours=0.5)
    return case, coworker, assistant, friend


def test_the_commander_traces_the_whole_zone_ranked_and_masked(zone, api_for):
    case, coworker, assistant, friend = _story(zone)
    response = api_for("commander").get(URL, {"person_id": case.pk, "depth": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["days"], body["min_overlap_minutes"], body["depth"]) == (14, 15, 2)
    items = body["items"]
    assert [i["person_id"] for i in items] == [coworker.pk, assistant.pk, friend.pk]
    first = items[0]
    assert first["name"] == coworker.name[0] + "*" * (len(coworker.name) - 2) + coworker.name[-1]
    assert (first["kind"], first["degree"], first["overlap_minutes"], first["site_ids"]) == (
        "colocated",
        1,
        7 * 60,
        [zone.site_a.pk],
    )
    assert first["via_person_id"] is None
    assert items[1]["overlap_minutes"] == 60
    assert (items[2]["degree"], items[2]["via_person_id"], items[2]["site_ids"]) == (
        2,
        coworker.pk,
        [zone.market_site.pk],
    )


def test_the_ranking_is_answered_a_page_at_a_time(zone, api_for):
    case, _coworker, assistant, _friend = _story(zone)
    commander = api_for("commander")
    whole = commander.get(URL, {"person_id": case.pk, "depth": 2}).json()
    assert whole["count"] == 3 and len(whole["items"]) == 3
    page = commander.get(URL, {"person_id": case.pk, "depth": 2, "limit": 1, "offset": 1}).json()
    assert (page["count"], [i["person_id"] for i in page["items"]]) == (3, [assistant.pk])
    assert page["items"][0]["name"].endswith(assistant.name[-1]) and "*" in page["items"][0]["name"]
    beyond = commander.get(URL, {"person_id": case.pk, "limit": 5, "offset": 10}).json()
    assert (beyond["count"], beyond["items"]) == (2, [])
    assert commander.get(URL, {"person_id": case.pk, "limit": 0}).status_code == 422


def test_every_trace_is_audited_with_its_parameters_and_count(zone, api_for):
    case, *_others = _story(zone)
    api_for("commander").get(URL, {"person_id": case.pk, "days": 7, "min_overlap_minutes": 30})
    event = AuditEvent.objects.get(action="trace")
    assert event.actor == zone.commander
    assert (event.object_type, event.object_id) == ("registry.person", str(case.pk))
    assert event.detail == {"days": 7, "min_overlap_minutes": 30, "depth": 1, "contacts": 2}


def test_the_zones_minimum_overlap_is_data(zone, api_for):
    case, *_others = _story(zone)
    TracingSettings.objects.update_or_create(pk=1, defaults={"min_overlap_minutes": 61})
    body = api_for("commander").get(URL, {"person_id": case.pk}).json()
    assert body["min_overlap_minutes"] == 61
    assert [i["overlap_minutes"] for i in body["items"]] == [7 * 60]


def test_officers_of_the_epidemic_control_department_trace_others_do_not(zone, api_for):
    case, *_others = _story(zone)
    assert api_for("officer_a").get(URL, {"person_id": case.pk}).status_code == 403
    TracingDuty.objects.create(department=zone.department_a)
    assert api_for("officer_a").get(URL, {"person_id": case.pk}).status_code == 200
    TracingDuty.objects.filter(department=zone.department_a).update(is_active=False)
    assert api_for("officer_a").get(URL, {"person_id": case.pk}).status_code == 403


def test_an_organisation_admin_sees_only_what_happened_at_their_sites(zone, api_for):
    case, coworker, assistant, friend = _story(zone)
    body = api_for("admin_a").get(URL, {"person_id": case.pk, "depth": 2}).json()
    # The shop at enterprise B and the market are not theirs: only the co-worker at A.
    assert [i["person_id"] for i in body["items"]] == [coworker.pk]
    # Enterprise B's admin: the case is not theirs and was seen at their site, so traceable there.
    body = api_for("admin_b").get(URL, {"person_id": case.pk}).json()
    assert [i["person_id"] for i in body["items"]] == [assistant.pk]
    # The friend was seen only at the market: out of both admins' reach.
    assert api_for("admin_b").get(URL, {"person_id": friend.pk}).status_code == 404
    assert api_for("admin_a").get(URL, {"person_id": friend.pk}).status_code == 404


def test_outsiders_get_nothing(zone, api_for, device_for):
    case, *_others = _story(zone)
    assert Client().get(URL, {"person_id": case.pk}).status_code == 401
    assert device_for(zone.site_a).get(URL, {"person_id": case.pk}).status_code in (403, 404)
    for user in ("gate_a", "community_worker", "volunteer", "officer_b"):
        assert api_for(user).get(URL, {"person_id": case.pk}).status_code == 403, user
    assert not AuditEvent.objects.filter(action="trace").exists()


def test_an_unknown_person_is_not_found_and_bad_parameters_are_explained(zone, api_for):
    client = api_for("commander")
    assert client.get(URL, {"person_id": 999999}).status_code == 404
    response = client.get(URL, {"person_id": zone.staff_a[0].pk, "days": 0})
    assert response.status_code == 422
    assert "days" in str(response.json()["errors"])
    english = api_for("commander", "en").get(URL, {"person_id": zone.staff_a[0].pk, "depth": 3})
    assert english.status_code == 422
    assert "depth" in str(english.json()["errors"])


def test_declared_contacts_are_matched_where_possible_and_named_otherwise(zone, api_for):
    case, coworker = zone.staff_a[0], zone.staff_a[1]
    neighbour = make_person(name="邻居", phone="13912345678")
    namer = zone.staff_b[0]
    now = timezone.now()

    def declaration(person):
        return Declaration.objects.create(
            person=person,
            name=person.name,
            phone="13800000000",
            status="green",
            valid_until=now + timedelta(days=1),
            declared_at=now - timedelta(days=1),
        )

    mine = declaration(case)
    DeclaredContact.objects.create(declaration=mine, name=coworker.name, id_number=coworker.id_number)
    DeclaredContact.objects.create(declaration=mine, name="邻居", phone="13912345678")
    DeclaredContact.objects.create(declaration=mine, name="王小明")
    DeclaredContact.objects.create(declaration=declaration(namer), name=case.name, id_number=case.id_number)
    items = api_for("commander").get(URL, {"person_id": case.pk}).json()["items"]
    assert {(i["person_id"], i["kind"]) for i in items} == {
        (coworker.pk, "declared"),
        (neighbour.pk, "declared"),
        (namer.pk, "declared"),
        (None, "declared"),
    }
    assert [i["name"] for i in items if i["person_id"] is None] == ["王*明"]


def _tracing_department(zone):
    department = Department.objects.create(code="weijian", name="社会事务局")
    TracingDuty.objects.create(department=department)
    return make_user("tracer", Role.DEPARTMENT_OFFICER, department=department)


def test_close_contacts_are_refused_at_every_gate_until_released(zone, api_for, declare, device_for, item):
    case, coworker, assistant, _friend = _story(zone)
    declare(coworker)
    declare(assistant)
    gate = device_for(zone.site_b)
    assert post(gate, "/api/v1/checkins", item(zone.site_b, coworker)).json()["decision"] == "allow"
    commander = api_for("commander")
    response = post(commander, "/api/v1/tracing/close-contacts", {"case_id": case.pk, "person_ids": [coworker.pk]})
    assert response.status_code == 201, response.content
    [marked] = response.json()
    assert (marked["person_id"], marked["source_person_id"]) == (coworker.pk, case.pk)
    refused = post(gate, "/api/v1/checkins", item(zone.site_b, coworker)).json()
    assert (refused["decision"], refused["status"], refused["reason_codes"]) == ("deny", "red", ["close_contact"])
    assert post(gate, "/api/v1/checkins", item(zone.site_b, assistant)).json()["decision"] == "allow"
    # Marking again changes nothing; the list shows the mark; releasing lets them in again.
    again = post(commander, "/api/v1/tracing/close-contacts", {"case_id": case.pk, "person_ids": [coworker.pk]})
    assert again.json()[0]["id"] == marked["id"]
    assert [r["id"] for r in commander.get("/api/v1/tracing/close-contacts").json()] == [marked["id"]]
    release = f"/api/v1/tracing/close-contacts/{marked['id']}/release"
    assert post(commander, release, {"note": " "}).json()["errors"]["note"] == ["请填写解除的依据。"]  # grounds first
    released = post(commander, release, {"note": "14天观察期满"})
    assert released.status_code == 200
    body = released.json()
    assert body["released_at"] is not None and (body["release_note"], body["released_by"]) == (
        "14天观察期满",
        "commander",
    )
    assert post(gate, "/api/v1/checkins", item(zone.site_b, coworker)).json()["decision"] == "allow"
    assert post(commander, release, {"note": "再次解除"}).status_code == 409
    assert AuditEvent.objects.filter(object_type="health.restriction").count() == 2


def test_nobody_marks_people_out_of_their_reach(zone, api_for):
    case, coworker, _assistant, friend = _story(zone)
    admin = api_for("admin_a")
    # The friend was never at enterprise A's sites: not found, and nobody is marked.
    response = post(
        admin, "/api/v1/tracing/close-contacts", {"case_id": case.pk, "person_ids": [coworker.pk, friend.pk]}
    )
    assert response.status_code == 404
    assert not Restriction.objects.exists()
    assert (
        post(
            api_for("gate_a"), "/api/v1/tracing/close-contacts", {"case_id": case.pk, "person_ids": [coworker.pk]}
        ).status_code
        == 403
    )
    assert (
        post(admin, "/api/v1/tracing/close-contacts", {"case_id": case.pk, "person_ids": [coworker.pk]}).status_code
        == 201
    )
    # Enterprise B's admin neither sees nor releases enterprise A's mark.
    restriction = Restriction.objects.get()
    assert api_for("admin_b").get("/api/v1/tracing/close-contacts").json() == []
    assert (
        post(api_for("admin_b"), f"/api/v1/tracing/close-contacts/{restriction.pk}/release", {"note": "x"}).status_code
        == 404
    )
    assert Restriction.objects.get().released_at is None


def test_entries_uploaded_late_and_out_of_order_trace_as_the_raw_log_says(zone, api_for, declare, device_for):
    rng = random.Random(7)
    now = timezone.now().replace(microsecond=0)
    people = zone.staff_a[:4]
    for person in people:
        declare(person, declared_at=now - timedelta(days=6), valid_hours=24 * 7)
    items = []
    for day in range(1, 6):
        for person in people:
            start = now - timedelta(days=day, minutes=rng.randrange(0, 240))
            items.append(_item(zone.site_a, person, start, "in"))
            if rng.random() < 0.8:
                items.append(_item(zone.site_a, person, start + timedelta(minutes=rng.randrange(10, 500)), "out"))
    rng.shuffle(items)
    gate = device_for(zone.site_a)
    for start in range(0, len(items), 7):
        assert post(gate, "/api/v1/checkins/batch", {"items": items[start : start + 7]}).status_code == 200
        api_for("commander").get(URL, {"person_id": people[0].pk})  # each trace folds what came so far
    for person in people:
        body = api_for("commander").get(URL, {"person_id": person.pk, "depth": 2}).json()
        expected = reference.trace(person.pk, timezone.now(), 14, 15, 2)
        assert {i["person_id"]: i["overlap_minutes"] for i in body["items"]} == {
            pk: seconds // 60 for pk, (_d, seconds, *_rest) in expected.items()
        }


def _item(site, person, at, direction):
    return {
        "client_id": str(uuid.uuid4()),
        "site_id": site.pk,
        "id_number": person.id_number,
        "temperature": 36.4 if direction == "in" else None,
        "checked_at": at.isoformat(),
        "direction": direction,
    }


def test_the_second_degree_follows_the_closest_first_degree_contacts_only(zone, monkeypatch):
    from zoneguard.tracing import selectors
    from zoneguard.tracing.services import refresh_presences

    case, coworker, assistant, friend = _story(zone)
    customer = make_person(name="顾客")
    # At enterprise B's shop with the assistant, after the case had left.
    _stay(zone.site_b, customer, timezone.now().replace(microsecond=0) - timedelta(days=2, hours=-1.5), hours=1)
    refresh_presences()

    def second():
        found = selectors.contacts(person=case, days=14, min_overlap_minutes=15, depth=2, site_ids=None)
        return {c.person_id: c.via_person_id for c in found if c.degree == 2}

    assert second() == {friend.pk: coworker.pk, customer.pk: assistant.pk}
    monkeypatch.setattr(selectors, "SECOND_DEGREE_FROM", 1)  # only the co-worker, 7 hours with the case
    assert second() == {friend.pk: coworker.pk}
