"""The corps' registry: a worker registers volunteers (approved at once), a volunteer-role user
applies and waits for the community's approval; the selectors other modules use."""

from __future__ import annotations

import pytest

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.core.roles import Role
from zoneguard.notifications.models import Notification
from zoneguard.registry.models import Person
from zoneguard.testing import make_user, valid_id_number
from zoneguard.volunteers import selectors, services
from zoneguard.volunteers.models import Volunteer, VolunteerStatus


def register(corps, actor=None, **overrides):
    data = {
        "community": corps.zone.community,
        "name": "刘红梅",
        "id_number": valid_id_number(seq=501),
        "phone": "138 0013 8111",
        "skills": ["driving", "medical"],
        "availability": "每天上午",
    }
    data.update(overrides)
    return services.volunteer_register(actor=actor or corps.zone.community_worker, **data)


def test_a_worker_registers_a_volunteer_who_is_approved_at_once(corps):
    volunteer = register(corps)
    assert (volunteer.status, volunteer.phone, volunteer.skills) == ("approved", "13800138111", ["driving", "medical"])
    assert volunteer.approved_by == corps.zone.community_worker
    assert volunteer.person.name == "刘红梅"
    # The audit keeps the phone masked.
    event = AuditEvent.objects.get(object_type="volunteers.volunteer", object_id=str(volunteer.pk))
    assert event.organisation_id == corps.zone.community.pk
    assert "13800138111" not in str(event.detail)
    with pytest.raises(Conflict) as twice:
        register(corps)
    assert twice.value.code == "already_volunteer"


def test_a_person_already_registered_is_joined_and_nothing_of_theirs_is_changed(corps):
    person = corps.zone.staff_a[0]
    volunteer = register(corps, name="别名", id_number=person.id_number, phone="")
    person.refresh_from_db()
    assert volunteer.person == person and volunteer.name == "别名" and person.name == "甲员工0"
    assert Person.objects.filter(id_number=person.id_number).count() == 1


def test_registration_refuses_bad_input_and_outsiders(corps):
    zone = corps.zone
    with pytest.raises(InvalidInput) as bad_number:
        register(corps, id_number="430408199001011235")
    assert "id_number" in bad_number.value.errors
    with pytest.raises(InvalidInput) as bad_skill:
        register(corps, skills=["juggling"])
    assert bad_skill.value.code == "unknown_skill"
    with pytest.raises(InvalidInput):
        register(corps, community=zone.enterprise_a)
    for outsider in (zone.worker_b, zone.admin_a, zone.officer_a, zone.volunteer, zone.gate_a):
        with pytest.raises(Forbidden):
            register(corps, actor=outsider)
    assert register(corps, actor=zone.commander).approved_by == zone.commander


def test_a_volunteer_applies_and_the_community_worker_approves(corps):
    zone = corps.zone
    user = make_user("newcomer", Role.VOLUNTEER)
    volunteer = services.volunteer_apply(
        actor=user, community=zone.community, name="陈艳", id_number=valid_id_number(seq=502), skills=["language"]
    )
    assert (volunteer.status, volunteer.user) == ("pending", user)
    assert selectors.volunteer_of(user) is None
    told = Notification.objects.get(recipient=zone.community_worker)
    assert "陈艳" in told.title and told.link == f"/volunteers/{volunteer.pk}/"
    with pytest.raises(Forbidden):
        services.volunteer_approve(actor=zone.worker_b, volunteer=volunteer)
    with pytest.raises(Conflict):
        services.volunteer_apply(actor=user, community=zone.community, name="陈艳", id_number=valid_id_number(seq=503))
    services.volunteer_approve(actor=zone.community_worker, volunteer=volunteer)
    assert selectors.volunteer_of(user) == volunteer
    assert Notification.objects.filter(recipient=user, link="/volunteers/my/").exists()
    assert AuditEvent.objects.filter(action="approve", object_id=str(volunteer.pk)).count() == 1


def test_applying_for_a_record_a_worker_made_links_the_account_and_asks_for_approval_again(corps):
    zone = corps.zone
    registered = register(corps)
    user = make_user("liuhongmei", Role.VOLUNTEER)
    applied = services.volunteer_apply(
        actor=user, community=zone.community, name="刘红梅", id_number=registered.person.id_number, skills=["phones"]
    )
    assert applied.pk == registered.pk
    assert (applied.user, applied.status, applied.skills) == (user, "pending", ["driving", "medical", "phones"])
    # A record with an account already is no one else's to claim.
    other = make_user("impostor", Role.VOLUNTEER)
    with pytest.raises(Conflict):
        services.volunteer_apply(
            actor=other, community=zone.community, name="刘红梅", id_number=registered.person.id_number
        )


def test_only_volunteer_role_users_apply(corps):
    zone = corps.zone
    for actor in (zone.community_worker, zone.admin_a, zone.commander):
        with pytest.raises(Forbidden):
            services.volunteer_apply(
                actor=actor, community=zone.community, name="某人", id_number=valid_id_number(seq=504)
            )


def test_the_selectors_errands_use(corps):
    zone = corps.zone
    assert selectors.volunteer_of(zone.volunteer) == corps.first
    assert selectors.volunteer_of(zone.community_worker) is None
    assert list(selectors.community_volunteers(community_id=zone.community.pk)) == [
        corps.first
    ]  # 胡柏林 has no account
    corps.first.status = VolunteerStatus.SUSPENDED
    corps.first.save()
    assert selectors.volunteer_of(zone.volunteer) is None
    assert list(selectors.community_volunteers(community_id=zone.community.pk)) == []


def test_volunteers_are_read_in_scope_and_in_full_only_by_those_allowed(corps):
    zone = corps.zone
    assert set(selectors.volunteer_list(actor=zone.community_worker)) == {corps.first, corps.second}
    assert set(selectors.volunteer_list(actor=zone.commander)) == {corps.first, corps.second, corps.outsider}
    assert list(selectors.volunteer_list(actor=zone.volunteer)) == [corps.first]
    for outsider in (zone.admin_a, zone.gate_a):
        assert not selectors.volunteer_list(actor=outsider).exists()
    read = selectors.volunteer_read(actor=zone.community_worker, pk=corps.second.pk, purpose="page")
    assert read.personal_data_read
    assert AuditEvent.objects.filter(action="read_personal", object_id=str(corps.second.pk)).count() == 1
    own = selectors.volunteer_read(actor=zone.volunteer, pk=corps.first.pk, purpose="page")
    assert own.personal_data_read
    assert not Volunteer.objects.filter(
        pk__in=[v.pk for v in selectors.volunteer_list(actor=zone.worker_b)], community=zone.community
    ).exists()
