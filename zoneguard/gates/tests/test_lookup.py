"""The gate's lookup (hand-written SQL, services/lookup.py) answers as the ORM does: the latest
verified declaration is the status, a fever holds from its reading until its release."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from zoneguard.gates.models import CheckIn, FeverAlert
from zoneguard.gates.services import lookup
from zoneguard.health.models import Declaration, Restriction
from zoneguard.health.selectors import current_declaration
from zoneguard.testing import make_person


def _expected_hold(person, at):
    holding = FeverAlert.objects.filter(person=person, checked_at__lte=at).filter(
        Q(released_at__isnull=True) | Q(released_at__gt=at)
    )
    return max((a.checked_at for a in holding), default=None)


def test_it_agrees_with_the_orm_on_random_people(zone):
    rng = random.Random(20200221)
    now = timezone.now()
    people = [make_person(name=f"测试{i}") for i in range(25)]
    for person in people:
        for k in range(rng.randrange(0, 4)):
            declared_at = now - timedelta(hours=rng.randrange(1, 200), minutes=k)
            Declaration.objects.create(
                person=person,
                name=person.name,
                phone="13800000000",
                status=rng.choice(["green", "yellow", "red"]),
                reasons=rng.choice([[], ["去过风险地区"], ["发热", "咳嗽"]]),
                valid_until=declared_at + timedelta(hours=rng.choice([12, 24, 336])),
                declared_at=declared_at,
                identity_verified=rng.random() > 0.2,
                cleared_at=now if rng.random() < 0.1 else None,
            )
        for k in range(rng.randrange(0, 3)):
            fever_at = now - timedelta(hours=rng.randrange(1, 100), minutes=k)
            checkin = CheckIn.objects.create(
                client_id=f"{rng.getrandbits(128):032x}",
                site=zone.site_a,
                organisation=zone.enterprise_a,
                person=person,
                direction="in",
                temperature="38.0",
                decision="deny",
                checked_at=fever_at,
                received_at=fever_at,
            )
            released = rng.choice([None, fever_at + timedelta(hours=rng.randrange(1, 50))])
            FeverAlert.objects.create(
                checkin=checkin,
                site=zone.site_a,
                organisation=zone.enterprise_a,
                person=person,
                temperature="38.0",
                checked_at=fever_at,
                released_at=released,
            )
        if rng.random() < 0.3:
            restriction = Restriction.objects.create(person=person, kind="close_contact", started_at=now)
            if rng.random() < 0.5:
                Restriction.objects.filter(pk=restriction.pk).update(released_at=now)
    unknown = "110101199001011237"
    numbers = [p.id_number for p in people] + [unknown]
    for at in (now, now - timedelta(hours=30), now - timedelta(hours=90)):
        found = lookup.people_by_id_number(numbers, at=at)
        assert unknown not in found
        for person in people:
            state = found[person.id_number]
            declaration = current_declaration(person_id=person.pk)
            assert (state.person_id, state.name) == (person.pk, person.name)
            assert state.status == (declaration.status if declaration else None)
            assert state.reasons == (declaration.reasons if declaration else [])
            assert state.valid_until == (declaration.valid_until if declaration else None)
            assert state.cleared_at == (declaration.cleared_at if declaration else None)
            assert state.declared_at == (declaration.declared_at if declaration else None)
            assert state.fever_since == _expected_hold(person, at), (person.name, at)
            active = Restriction.objects.filter(person=person, released_at=None).first()
            assert state.restriction == (active.kind if active else None)
    # Without a time, no hold is looked up (a batch reads them all at once).
    assert all(state.fever_since is None for state in lookup.people_by_id_number(numbers).values())
    # By status card: only a verified declaration's card names its person.
    for declaration in Declaration.objects.all():
        by_card = lookup.people_by_card([declaration.card_code], at=now)
        if declaration.identity_verified:
            assert by_card[declaration.card_code][0] == declaration.person.id_number
        else:
            assert by_card == {}


def test_on_postgresql_a_connection_prepares_the_lookup_it_runs_at_every_entry(zone):
    """Planning the lookup was half of PostgreSQL's work for a check-in: a connection plans it once
    (settings: server-side binding with psycopg's prepared statements)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        pytest.skip("turned off here (ZONEGUARD_PG_SERVER_SIDE_BINDING=0)")
    person = make_person(name="张三")
    for _ in range(6):
        found = lookup.people_by_id_number([person.id_number], at=timezone.now())
        assert found[person.id_number].person_id == person.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any(lookup._PERSON in statement and "id_number = $" in statement for statement in prepared)
