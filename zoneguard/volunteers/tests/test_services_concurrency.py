"""Sign-ups at the same moment, in threads, on SQLite and on PostgreSQL (DATABASE_URL): the locks
of services.signup_create hold the two rules, and the loser gets a clean Conflict (never "database
is locked" or a deadlock)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from zoneguard.core.errors import Conflict
from zoneguard.testing import at_once
from zoneguard.volunteers import services
from zoneguard.volunteers.models import Shift, SignUp, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(results):
    return Counter(
        "signed_up" if isinstance(r, SignUp) else r.code if isinstance(r, Conflict) else repr(r) for r in results
    )


def test_one_volunteer_signing_up_for_two_overlapping_shifts_at_once_gets_one(concurrent_db):
    corps = concurrent_db
    start = timezone.now() + timedelta(days=1)
    morning, overlapping = corps.shift(start, hours=4), corps.shift(start + timedelta(hours=2), hours=4)
    user = corps.zone.volunteer

    def sign_up(shift_pk):
        return lambda: services.signup_create(actor=user, shift=Shift.objects.get(pk=shift_pk))

    for _round in range(3):
        SignUp.objects.all().delete()
        results = at_once(sign_up(morning.pk), sign_up(overlapping.pk))
        assert outcome(results) == Counter({"signed_up": 1, "shift_overlap": 1}), results
        assert SignUp.objects.filter(volunteer=corps.first, status="signed_up").count() == 1


def test_two_volunteers_for_the_last_place_of_a_shift_at_once_one_gets_it(concurrent_db):
    corps = concurrent_db
    shift = corps.shift(timezone.now() + timedelta(days=1), needed=1)
    worker = corps.zone.community_worker

    def sign_up(volunteer_pk):
        return lambda: services.signup_create(
            actor=worker, shift=Shift.objects.get(pk=shift.pk), volunteer=Volunteer.objects.get(pk=volunteer_pk)
        )

    for _round in range(3):
        SignUp.objects.all().delete()
        results = at_once(sign_up(corps.first.pk), sign_up(corps.second.pk))
        assert outcome(results) == Counter({"signed_up": 1, "shift_full": 1}), results
        assert SignUp.objects.filter(shift=shift, status="signed_up").count() == 1


def test_many_volunteers_for_a_shift_at_once_fill_exactly_its_places(concurrent_db):
    corps = concurrent_db
    community = corps.zone.community
    extra = [
        Volunteer.objects.create(
            person=corps.first.person.__class__.objects.create(name=f"志愿者{i}", id_number=_id(i)),
            community=community,
            name=f"志愿者{i}",
            status="approved",
        )
        for i in range(6)
    ]
    shift = corps.shift(timezone.now() + timedelta(days=1), needed=3)
    worker = corps.zone.community_worker
    pks = [corps.first.pk, corps.second.pk, *(v.pk for v in extra)]
    results = at_once(
        *(
            (
                lambda pk=pk: services.signup_create(
                    actor=worker, shift=Shift.objects.get(pk=shift.pk), volunteer=Volunteer.objects.get(pk=pk)
                )
            )
            for pk in pks
        )
    )
    assert outcome(results) == Counter({"signed_up": 3, "shift_full": 5}), results
    assert SignUp.objects.filter(shift=shift, status="signed_up").count() == 3


def _id(i: int) -> str:
    from zoneguard.testing import valid_id_number

    return valid_id_number(born="19850505", seq=900 + i)
