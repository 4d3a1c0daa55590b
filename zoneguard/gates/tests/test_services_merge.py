"""Merging two people who both have declarations, check-ins, alerts and face photos."""

from zoneguard.gates.models import CheckIn, FacePhoto, FeverAlert
from zoneguard.gates.services import face_enrol
from zoneguard.health.models import Declaration
from zoneguard.registry.services import person_merge

from .conftest import post


def test_merging_people_moves_their_gate_and_health_records(zone, declare, device_for, item, fake_faces):
    keep, duplicate = zone.staff_a[0], zone.staff_a[1]
    client = device_for(zone.site_a)
    for person in (keep, duplicate):
        declare(person)
        post(client, "/api/v1/checkins", item(zone.site_a, person, 38.0))
        face_enrol(actor=zone.commander, person=person, organisation_id=zone.enterprise_a.pk, image=b"face:x")
    person_merge(actor=zone.commander, keep=keep, duplicate=duplicate)
    assert Declaration.objects.filter(person=keep).count() == 2
    assert CheckIn.objects.filter(person=keep).count() == 2
    assert FeverAlert.objects.filter(person=keep).count() == 2
    assert FacePhoto.objects.filter(person=keep).count() == 2
