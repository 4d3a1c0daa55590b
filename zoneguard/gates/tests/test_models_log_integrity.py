"""The entry log keeps its references: a site or organisation with entries cannot be deleted, and
a deleted device token or user leaves the entries in place without it (Django's on_delete guards
the four references that carry no database constraint)."""

import pytest
from django.db.models import ProtectedError

from zoneguard.accounts.models import ApiToken
from zoneguard.gates.models import CheckIn

from .conftest import post


@pytest.fixture
def entry(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    response = post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    assert response.status_code == 201
    return CheckIn.objects.get(pk=response.json()["checkin_id"])


def test_a_site_or_organisation_with_entries_cannot_be_deleted(zone, entry):
    for parent in (zone.site_a, zone.enterprise_a):
        with pytest.raises(ProtectedError) as refused:
            parent.delete()
        assert entry in set(refused.value.protected_objects)
    entry.refresh_from_db()
    assert (entry.site_id, entry.organisation_id) == (zone.site_a.pk, zone.enterprise_a.pk)


def test_deleting_the_device_keeps_its_entries(zone, entry):
    token = ApiToken.objects.get(pk=entry.token_id)
    device = token.user
    token.delete()
    device.delete()
    entry.refresh_from_db()
    assert entry.token_id is None and entry.recorded_by_id is None
    assert entry.site_id == zone.site_a.pk and entry.person_id == zone.staff_a[0].pk
