"""Shifts and sign-ups: planning, signing up (full, overlapping, over), cancelling before the start,
checking in and out, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.registry.models import Site
from zoneguard.volunteers import selectors, services
from zoneguard.volunteers.models import Shift, SignUpStatus, VolunteerStatus

from .conftest import local


def soon(minutes: int = 0):
    return timezone.now().replace(microsecond=0) + timedelta(minutes=minutes)


def test_a_community_worker_plans_a_shift_at_a_site_of_the_community(corps):
    zone = corps.zone
    shift = services.shift_create(
        actor=zone.community_worker, site=zone.market_site, starts_at=soon(60), ends_at=soon(300), needed=3, note="测温"
    )
    assert (shift.community, shift.needed, shift.note) == (zone.community, 3, "测温")
    assert AuditEvent.objects.filter(object_type="volunteers.shift", organisation_id=zone.community.pk).count() == 1
    # Not at another community's site, nor at a site of no community; not backwards or too long.
    with pytest.raises(Forbidden):
        services.shift_create(
            actor=zone.community_worker, site=corps.other_site, starts_at=soon(60), ends_at=soon(90), needed=1
        )
    with pytest.raises(InvalidInput) as no_community:
        site = Site.objects.create(organisation=zone.project, name="工地入口")  # the project is in no community
        services.shift_create(actor=zone.commander, site=site, starts_at=soon(60), ends_at=soon(90), needed=1)
    assert no_community.value.code == "no_community"
    for starts, ends, needed, code in [
        (soon(60), soon(30), 1, "ends_before_start"),
        (soon(60), soon(60 + 25 * 60), 1, "too_long"),
        (soon(-300), soon(-60), 1, "in_the_past"),
        (soon(400 * 24 * 60), soon(400 * 24 * 60 + 60), 1, "too_far_ahead"),  # a year typed wrong
        (soon(60), soon(120), 0, "needed_range"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            services.shift_create(
                actor=zone.commander, site=zone.market_site, starts_at=starts, ends_at=ends, needed=needed
            )
        assert refused.value.code == code
    assert list(Shift.objects.all()) == [shift]  # the refused ones left nothing
    for outsider in (zone.admin_a, zone.officer_a, zone.volunteer, zone.gate_a):
        with pytest.raises(Forbidden):
            services.shift_create(actor=outsider, site=zone.market_site, starts_at=soon(60), ends_at=soon(90), needed=1)


def test_a_volunteer_signs_up_and_a_full_shift_refuses_more(corps):
    zone = corps.zone
    shift = corps.shift(soon(60), needed=1)
    signup = services.signup_create(actor=zone.volunteer, shift=shift)
    assert (signup.volunteer, signup.status) == (corps.first, SignUpStatus.SIGNED_UP)
    with pytest.raises(Conflict) as again:
        services.signup_create(actor=zone.volunteer, shift=shift)
    assert again.value.code == "already_signed_up"
    with pytest.raises(Conflict) as full:
        services.signup_create(actor=zone.community_worker, shift=shift, volunteer=corps.second)
    assert full.value.code == "shift_full"
    # Cancelled, the place is free again.
    services.signup_cancel(actor=zone.volunteer, signup=signup)
    assert (
        services.signup_create(actor=zone.community_worker, shift=shift, volunteer=corps.second).volunteer
        == corps.second
    )


def test_no_volunteer_stands_on_two_overlapping_shifts(corps):
    zone = corps.zone
    morning = corps.shift(local(1, 7), hours=4)
    overlapping = corps.shift(local(1, 10), hours=4)
    touching = corps.shift(local(1, 11), hours=4)
    services.signup_create(actor=zone.volunteer, shift=morning)
    with pytest.raises(Conflict) as clash:
        services.signup_create(actor=zone.volunteer, shift=overlapping)
    assert clash.value.code == "shift_overlap"
    assert "市场丁 · 入口" in clash.value.message
    assert services.signup_create(actor=zone.volunteer, shift=touching).shift == touching
    # Another volunteer takes the overlapping one.
    services.signup_create(actor=zone.community_worker, shift=overlapping, volunteer=corps.second)


def test_sign_ups_are_for_approved_volunteers_of_the_shifts_community(corps):
    zone = corps.zone
    shift = corps.shift(soon(60))
    with pytest.raises(NotFound):  # another community's volunteer
        services.signup_create(actor=zone.volunteer_b, shift=shift)
    with pytest.raises(Forbidden):  # another community's worker
        services.signup_create(actor=zone.worker_b, shift=shift, volunteer=corps.second)
    with pytest.raises(Forbidden):  # a volunteer signs up themself only
        services.signup_create(actor=zone.volunteer, shift=shift, volunteer=corps.second)
    corps.second.status = VolunteerStatus.SUSPENDED
    corps.second.save()
    with pytest.raises(Conflict) as suspended:
        services.signup_create(actor=zone.community_worker, shift=shift, volunteer=corps.second)
    assert suspended.value.code == "not_approved"
    with pytest.raises(Conflict) as over:
        services.signup_create(actor=zone.volunteer, shift=corps.shift(soon(-300), hours=2))
    assert over.value.code == "shift_over"
    for outsider in (zone.admin_a, zone.officer_a, zone.gate_a):
        with pytest.raises((Forbidden, InvalidInput)):
            services.signup_create(actor=outsider, shift=shift, volunteer=corps.first)


def test_a_place_is_given_back_before_the_shift_starts_only(corps):
    zone = corps.zone
    later = services.signup_create(actor=zone.volunteer, shift=corps.shift(soon(60)))
    running = corps.signup(corps.shift(soon(-30)))
    with pytest.raises(Forbidden):
        services.signup_cancel(actor=zone.volunteer_b, signup=later)
    cancelled = services.signup_cancel(actor=zone.volunteer, signup=later)
    assert cancelled.status == SignUpStatus.CANCELLED and cancelled.cancelled_at is not None
    with pytest.raises(Conflict) as twice:
        services.signup_cancel(actor=zone.volunteer, signup=later)
    assert twice.value.code == "cancelled"
    with pytest.raises(Conflict) as started:
        services.signup_cancel(actor=zone.community_worker, signup=running)
    assert started.value.code == "shift_started"


def test_check_in_and_out_record_the_actual_times(corps):
    zone = corps.zone
    signup = corps.signup(corps.shift(soon(20), hours=2))
    before = timezone.now()
    services.signup_check_in(actor=zone.volunteer, signup=signup)
    signup.refresh_from_db()
    assert signup.checked_in_at >= before
    with pytest.raises(Conflict) as twice:
        services.signup_check_in(actor=zone.volunteer, signup=signup)
    assert twice.value.code == "already_checked_in"
    services.signup_check_out(actor=zone.volunteer, signup=signup)
    signup.refresh_from_db()
    assert signup.checked_out_at >= signup.checked_in_at
    with pytest.raises(Conflict) as out_twice:
        services.signup_check_out(actor=zone.volunteer, signup=signup)
    assert out_twice.value.code == "already_checked_out"
    assert AuditEvent.objects.filter(object_type="volunteers.signup", object_id=str(signup.pk)).count() == 2


def test_check_in_opens_half_an_hour_before_and_closes_at_the_end(corps):
    zone = corps.zone
    early = corps.signup(corps.shift(soon(45)))
    with pytest.raises(Conflict) as closed:
        services.signup_check_in(actor=zone.volunteer, signup=early)
    assert closed.value.code == "check_in_closed"
    over = corps.signup(corps.shift(soon(-180), hours=2))
    with pytest.raises(Conflict):
        services.signup_check_in(actor=zone.volunteer, signup=over)
    with pytest.raises(Conflict) as not_in:
        services.signup_check_out(actor=zone.volunteer, signup=over)
    assert not_in.value.code == "not_checked_in"


def test_a_worker_records_a_forgotten_check_out_with_its_time_and_a_volunteer_cannot(corps):
    zone = corps.zone
    signup = corps.signup(corps.shift(soon(-300), hours=4), checked_in_at=soon(-300))
    with pytest.raises(Forbidden):
        services.signup_check_out(actor=zone.volunteer, signup=signup, at=soon(-100))
    with pytest.raises(InvalidInput):
        services.signup_check_out(actor=zone.community_worker, signup=signup, at=soon(-400))
    with pytest.raises(InvalidInput):
        services.signup_check_out(actor=zone.community_worker, signup=signup, at=soon(60))
    with pytest.raises(Forbidden):
        services.signup_check_out(actor=zone.worker_b, signup=signup, at=soon(-100))
    services.signup_check_out(actor=zone.community_worker, signup=signup, at=soon(-100))
    signup.refresh_from_db()
    assert signup.checked_out_at == soon(-100)
    assert selectors.volunteer_hours(volunteer=corps.first).minutes == 200


def test_suspending_a_volunteer_gives_back_their_places_on_shifts_to_come(corps):
    zone = corps.zone
    later = services.signup_create(actor=zone.volunteer, shift=corps.shift(local(2, 7)))
    past = corps.signup(corps.shift(local(-1, 7)), checked_in_at=local(-1, 7))
    services.volunteer_suspend(actor=zone.community_worker, volunteer=corps.first)
    later.refresh_from_db()
    past.refresh_from_db()
    assert (later.status, past.status) == (SignUpStatus.CANCELLED, SignUpStatus.SIGNED_UP)
    assert selectors.volunteer_of(zone.volunteer) is None
