"""The entry log is purged once its keeping time ran out (core.retention): whole zone days go,
with the presences and closed fever alerts that hang on them; an open alert keeps its entry; the
day counts of the purged days stay, through a rebuild too. Face photos go once their person has
left the organisation they were enrolled for."""

import io
from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.retention import purge_cutoff, purge_personal_data
from zoneguard.gates.models import CheckIn, FacePhoto, FeverAlert, FeverRetest
from zoneguard.gates.services import face_enrol, face_path, rebuild_day_counts, refresh_day_counts
from zoneguard.registry.models import Membership
from zoneguard.tracing.models import Presence
from zoneguard.tracing.services import refresh_presences

from .test_day_counts import passage, stored

KEPT = 40


def at_day(days_ago, hour=9):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def alert_on(entry, status, *, released=True):
    alert = FeverAlert.objects.create(
        checkin=entry,
        site=entry.site,
        organisation=entry.organisation,
        person=entry.person,
        temperature="38.2",
        checked_at=entry.checked_at,
        status=status,
        released_at=entry.checked_at + timedelta(hours=2) if released else None,
    )
    FeverRetest.objects.create(alert=alert, temperature="36.6", method="ear", measured_at=entry.checked_at)
    return alert


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_old_days_go_with_what_hangs_on_them_and_their_counts_stay(zone):
    worker, other = zone.staff_a[0], zone.staff_a[1]
    old = [passage(zone.site_a, person, at_day(KEPT + 1)) for person in (worker, other)]
    last_purged = passage(zone.site_a, worker, at_day(KEPT + 1, hour=23) + timedelta(minutes=59, seconds=59))
    closed = alert_on(passage(zone.site_a, other, at_day(KEPT + 3)), "closed")
    still_open = alert_on(passage(zone.site_a, worker, at_day(KEPT + 2)), "acknowledged")
    # Closed, but no normal re-test yet: the fever still holds the person at every gate.
    holding = alert_on(passage(zone.site_a, zone.staff_a[2], at_day(KEPT + 4)), "closed", released=False)
    first_kept = passage(zone.site_a, worker, at_day(KEPT))  # 09:00 of the oldest day kept
    recent = passage(zone.site_a, other, at_day(1))
    refresh_day_counts()
    refresh_presences()
    counts = stored()
    assert Presence.objects.filter(checkin__in=[*old, last_purged]).exists()

    assert purge_personal_data(dry_run=True)["gates.checkin"] == 4
    assert CheckIn.objects.count() == 8 and not AuditEvent.objects.filter(action="delete").exists()

    assert purge_personal_data()["gates.checkin"] == 4
    assert set(CheckIn.objects.values_list("pk", flat=True)) == {
        still_open.checkin_id,
        holding.checkin_id,
        first_kept.pk,
        recent.pk,
    }
    assert not Presence.objects.filter(checkin_id__in=[e.pk for e in [*old, last_purged]]).exists()
    assert set(FeverAlert.objects.all()) == {still_open, holding}
    assert not FeverRetest.objects.filter(alert=closed.pk).exists()
    assert stored() == counts  # what the zone counted of those days stays
    rebuild_day_counts()
    assert stored() == counts  # a rebuild recounts the days kept only
    event = AuditEvent.objects.get(action="delete", object_type="gates.checkin")
    assert event.actor is None and event.detail == {"purged_before": purge_cutoff().isoformat(), "records": 4}
    assert purge_personal_data()["gates.checkin"] == 0  # the next run has nothing to do
    assert AuditEvent.objects.filter(action="delete", object_type="gates.checkin").count() == 1


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_the_command_says_what_it_deleted(zone):
    passage(zone.site_a, zone.staff_a[0], at_day(KEPT + 5))
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "gates.checkin: 1" in out.getvalue() and f"({KEPT} days kept)" in out.getvalue()
    assert CheckIn.objects.count() == 1
    call_command("purge_personal_data", stdout=io.StringIO())
    assert not CheckIn.objects.exists()


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_the_face_of_someone_who_left_long_ago_goes_with_its_file(zone, fake_faces, django_capture_on_commit_callbacks):
    left, stays, left_lately = zone.staff_a[0], zone.staff_a[1], zone.staff_a[2]
    photos = {
        person: face_enrol(actor=zone.admin_a, person=person, organisation_id=zone.enterprise_a.pk, image=b"face:x")
        for person in (left, stays, left_lately)
    }
    FacePhoto.objects.update(created_at=timezone.now() - timedelta(days=KEPT + 30))
    cutoff_day = purge_cutoff().date()
    Membership.objects.filter(person=left).update(is_active=True, ended_on=cutoff_day - timedelta(days=1))
    Membership.objects.filter(person=left_lately).update(ended_on=cutoff_day)
    gone = face_path(photos[left])
    assert gone.exists()
    assert purge_personal_data(dry_run=True)["gates.facephoto"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_personal_data()["gates.facephoto"] == 1
    assert set(FacePhoto.objects.values_list("person", flat=True)) == {stays.pk, left_lately.pk}
    assert not gone.exists() and face_path(photos[stays]).exists()
    assert AuditEvent.objects.get(action="delete", object_type="gates.facephoto").detail["records"] == 1


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_a_face_enrolled_lately_stays_whoever_it_is(zone, fake_faces):
    visitor = zone.staff_b[0]  # works for enterprise B, enrolled by the commander for enterprise A
    face_enrol(actor=zone.commander, person=visitor, organisation_id=zone.enterprise_a.pk, image=b"face:v")
    assert purge_personal_data()["gates.facephoto"] == 0
    assert FacePhoto.objects.filter(person=visitor).exists()
