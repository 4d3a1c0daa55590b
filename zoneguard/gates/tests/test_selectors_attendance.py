"""The attendance source the resumption module reads staff on duty from."""

from datetime import timedelta

from django.utils import timezone

from zoneguard.core.attendance import attendance

from .conftest import post


def test_it_counts_distinct_people_let_in_per_organisation_and_day(zone, declare, device_for, item):
    for person in zone.staff_a[:2]:
        declare(person)
    client = device_for(zone.site_a)
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], None, direction="out"))
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[1]))
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[2]))  # refused: no declaration
    today = timezone.localdate()
    assert attendance([zone.enterprise_a.pk, zone.enterprise_b.pk], today) == {zone.enterprise_a.pk: 2}
    assert attendance([zone.enterprise_a.pk], today - timedelta(days=1)) == {}
