"""Each passage meets the health status of its own time: an offline gate's entries, uploaded
hours later, are judged by the declaration in force when the person passed, and an officer's
early end of a status applies from that moment on."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from zoneguard.gates.services import lookup
from zoneguard.health.models import Declaration
from zoneguard.health.services import status_end_early
from zoneguard.testing import make_person

from .conftest import post


def _decisions(gate, zone, person, item, *times):
    body = {"items": [item(zone.site_a, person, checked_at=t.isoformat()) for t in times]}
    response = post(gate, "/api/v1/checkins/batch", body)
    assert response.status_code == 200, response.content
    return [(a["decision"], a["reason_codes"]) for a in response.json()["items"]]


def test_an_upload_is_judged_by_the_declaration_in_force_at_each_passage(zone, declare, device_for, item):
    now = timezone.now()
    person = zone.staff_a[0]
    declare(person, "green", declared_at=now - timedelta(days=1), valid_hours=48)
    declare(person, "red", declared_at=now - timedelta(hours=1), reasons=["申报体温≥37.3℃"])
    gate = device_for(zone.site_a)
    before, after = now - timedelta(hours=2), now - timedelta(minutes=5)
    assert _decisions(gate, zone, person, item, before, after) == [("allow", []), ("deny", ["status_red"])]
    # A single entry sent late is judged the same way.
    single = post(
        gate, "/api/v1/checkins", item(zone.site_a, person, checked_at=(now - timedelta(hours=3)).isoformat())
    )
    assert single.json()["decision"] == "allow"
    # Before the person's first declaration, they had none.
    newcomer = make_person(name="新来者")
    declare(newcomer, "green", declared_at=now - timedelta(hours=1))
    assert _decisions(gate, zone, newcomer, item, now - timedelta(hours=2)) == [("deny", ["no_declaration"])]


def test_a_status_ended_early_holds_the_passages_before_its_end(zone, declare, device_for, item):
    now = timezone.now()
    person = zone.staff_a[1]
    declare(person, "red", declared_at=now - timedelta(days=1), valid_hours=14 * 24)
    status_end_early(actor=zone.commander, person=person, note="核酸检测阴性", now=now - timedelta(minutes=30))
    gate = device_for(zone.site_a)
    before, after = now - timedelta(hours=1), now - timedelta(minutes=10)
    assert _decisions(gate, zone, person, item, before, after) == [
        ("deny", ["status_red"]),
        ("deny", ["declaration_expired"]),
    ]


def test_the_status_as_of_a_time_agrees_with_the_declarations(zone):
    rng = random.Random(20200225)
    now = timezone.now()
    people = [make_person(name=f"测{i}") for i in range(12)]
    for person in people:
        for k in range(rng.randrange(1, 5)):
            declared_at = now - timedelta(hours=rng.randrange(1, 100), minutes=k)
            Declaration.objects.create(
                person=person,
                name=person.name,
                phone="13800000000",
                status=rng.choice(["green", "yellow", "red"]),
                reasons=[f"原因{k}"],
                valid_until=declared_at + timedelta(hours=24),
                declared_at=declared_at,
                identity_verified=rng.random() > 0.2,
            )
    current = lookup.people_by_id_number([p.id_number for p in people])
    times = [now - timedelta(hours=h) for h in (0, 5, 30, 60, 120)]
    states = lookup.as_of((current[p.id_number], at) for p in people for at in times)
    for person in people:
        for at in times:
            then = (
                Declaration.objects.filter(person=person, identity_verified=True, declared_at__lte=at)
                .order_by("-declared_at", "-id")
                .first()
            )
            state = states.get((person.pk, at), current[person.id_number])
            assert state.status == (then.status if then else None), (person.name, at)
            assert state.reasons == (then.reasons if then else [])
            assert state.valid_until == (then.valid_until if then else None)
