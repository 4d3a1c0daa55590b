"""Declarations and released holds are purged once their keeping time ran out (core.retention);
what still holds a person stays whatever its age."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.retention import purge_cutoff, purge_personal_data
from zoneguard.health.models import Declaration, DeclaredContact, Restriction

KEPT = 40


def declaration(person, days_ago, seconds=0, *, status="green", verified=True):
    at = purge_cutoff() + timedelta(days=KEPT - days_ago, seconds=seconds)
    made = Declaration.objects.create(
        person=person,
        name=person.name,
        phone="13800000000",
        status=status,
        valid_until=at + timedelta(hours=24),
        declared_at=at,
        identity_verified=verified,
    )
    DeclaredContact.objects.create(declaration=made, name="张三", phone="13900000000")
    return made


def hold(person, *, days_ago, released):
    at = timezone.now() - timedelta(days=days_ago)
    return Restriction.objects.create(
        person=person, kind="close_contact", started_at=at, released_at=at if released else None
    )


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_old_declarations_go_with_the_contacts_they_name(zone):
    person = zone.staff_a[0]
    old = declaration(person, KEPT, seconds=-1)  # the last second before the oldest day kept
    kept = declaration(person, KEPT)  # its first second, and the person's current declaration
    assert purge_personal_data(dry_run=True)["health.declaration"] == 1
    assert Declaration.objects.count() == 2
    assert purge_personal_data()["health.declaration"] == 1
    assert list(Declaration.objects.all()) == [kept]
    assert not DeclaredContact.objects.filter(declaration=old.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="health.declaration")
    assert event.detail == {"purged_before": purge_cutoff().isoformat(), "records": 1}


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_a_person_s_current_declaration_stays_whatever_its_age(zone):
    person = zone.staff_a[0]
    superseded = declaration(person, KEPT + 9)
    current = declaration(person, KEPT + 5, status="red")  # holds them until they declare again
    someone_else = declaration(person, KEPT + 2, verified=False)  # a name that did not match: not their status
    never_verified = declaration(zone.staff_a[1], KEPT + 2, verified=False)
    assert purge_personal_data()["health.declaration"] == 3
    assert list(Declaration.objects.all()) == [current]
    assert not Declaration.objects.filter(pk__in=[superseded.pk, someone_else.pk, never_verified.pk]).exists()
    assert current_status(zone, person) == "red"


def current_status(zone, person):
    from zoneguard.health.selectors import current_declaration

    return current_declaration(person_id=person.pk).status


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_a_hold_in_force_stays_whatever_its_age(zone):
    released_long_ago = hold(zone.staff_a[0], days_ago=KEPT + 2, released=True)
    in_force = hold(zone.staff_a[1], days_ago=KEPT + 2, released=False)
    released_lately = hold(zone.staff_a[2], days_ago=3, released=True)
    assert purge_personal_data()["health.restriction"] == 1
    assert set(Restriction.objects.all()) == {in_force, released_lately}
    assert not Restriction.objects.filter(pk=released_long_ago.pk).exists()
