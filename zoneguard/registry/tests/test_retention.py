"""People the zone has no reason to know any more go once everything that brought them is purged
(registry.retention): a shopper known from one old declaration, an employee who left long ago.
Anyone a record still points at stays: an entry, a red declaration, a hold, an isolation case, a
volunteer, an incident, a trace that names them as the case."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.retention import purge_personal_data
from zoneguard.gates.tests.test_day_counts import passage
from zoneguard.health.models import Declaration, Restriction
from zoneguard.incidents.models import Incident
from zoneguard.isolation import services as isolation
from zoneguard.registry.models import Membership, Person
from zoneguard.testing import make_person
from zoneguard.volunteers.models import Volunteer, VolunteerStatus

KEPT = 40
LONG_AGO = timedelta(days=KEPT + 5)


def _known_since(person, ago=LONG_AGO):
    Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - ago, updated_at=timezone.now() - ago)
    return person


def _declared(person, *, ago=LONG_AGO, status="green"):
    at = timezone.now() - ago
    return Declaration.objects.create(
        person=person, name=person.name, phone="13800000000", status=status, valid_until=at, declared_at=at
    )


def _stranger(name, **kwargs):
    """Somebody the registry knows from an old green declaration alone."""
    person = make_person(name=name, **kwargs)
    _declared(person)
    return _known_since(person)


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_a_shopper_known_from_an_old_declaration_goes_with_it(zone):
    shopper = _stranger("王芳")
    assert purge_personal_data(dry_run=True)["registry.person"] == 1
    assert Person.objects.filter(pk=shopper.pk).exists()
    assert purge_personal_data()["registry.person"] == 1
    assert not Person.objects.filter(pk=shopper.pk).exists()
    assert not Declaration.objects.filter(person_id=shopper.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="registry.person")
    assert event.detail["records"] == 1 and shopper.id_number not in str(event.detail)
    assert purge_personal_data()["registry.person"] == 0


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_an_employee_goes_long_after_leaving_and_stays_while_working(zone):
    left = make_person(name="李娜", organisation=zone.enterprise_a)
    Membership.objects.filter(person=left).update(ended_on=timezone.localdate() - LONG_AGO)
    switched_off = make_person(name="赵强", organisation=zone.enterprise_a)
    Membership.objects.filter(person=switched_off).update(is_active=False, updated_at=timezone.now() - LONG_AGO)
    left_lately = make_person(name="孙丽", organisation=zone.enterprise_a)
    Membership.objects.filter(person=left_lately).update(ended_on=timezone.localdate() - timedelta(days=3))
    working = make_person(name="周杰", organisation=zone.enterprise_a)
    for person in (left, switched_off, left_lately, working):
        _known_since(person)

    purge_personal_data()

    assert not Person.objects.filter(pk__in=[left.pk, switched_off.pk]).exists()
    assert not Membership.objects.filter(person_id__in=[left.pk, switched_off.pk]).exists()
    assert Person.objects.filter(pk__in=[left_lately.pk, working.pk]).count() == 2


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_anyone_a_record_still_points_at_stays(zone):
    red = make_person(name="刘洋")
    _declared(red, status="red")  # holds them at the gates until they declare again
    declared_lately = make_person(name="陈晨")
    _declared(declared_lately, ago=timedelta(days=2))
    entered = _stranger("杨帆")
    passage(zone.site_a, entered, timezone.now() - timedelta(days=1))
    held = _stranger("黄磊")
    Restriction.objects.create(person=held, kind="close_contact", started_at=timezone.now() - LONG_AGO)
    traced_case = _stranger("吴敏")
    trace = Restriction.objects.create(
        person=zone.staff_a[0], kind="close_contact", source_person=traced_case, started_at=timezone.now()
    )
    isolated = _stranger("郑爽", phone="13912345678")
    isolation.case_open(actor=zone.community_worker, person=isolated, community=zone.community, reason="close_contact")
    volunteer = _stranger("钱坤")
    Volunteer.objects.create(person=volunteer, community=zone.community, name="钱坤", status=VolunteerStatus.APPROVED)
    concerned = _stranger("冯婷")
    Incident.objects.create(
        organisation=zone.enterprise_a,
        kind="fever",
        title="发热",
        person=concerned,
        reported_by=zone.admin_a,
        occurred_at=timezone.now(),
    )
    registered_lately = make_person(name="何静")
    everyone = [red, declared_lately, entered, held, traced_case, isolated, volunteer, concerned, registered_lately]
    for person in everyone[:-1]:
        _known_since(person)  # kept by what points at them, not by being new

    assert purge_personal_data()["registry.person"] == 0
    assert Person.objects.filter(pk__in=[p.pk for p in everyone]).count() == len(everyone)
    assert Restriction.objects.get(pk=trace.pk).source_person_id == traced_case.pk


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_a_released_hold_goes_with_its_person(zone):
    person = _stranger("许可")
    at = timezone.now() - LONG_AGO
    Restriction.objects.create(person=person, kind="close_contact", started_at=at, released_at=at)
    assert purge_personal_data()["registry.person"] == 1
    assert not Restriction.objects.filter(person_id=person.pk).exists()
