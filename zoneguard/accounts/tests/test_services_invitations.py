from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from zoneguard.accounts import access
from zoneguard.accounts.models import Invitation, User
from zoneguard.accounts.services import invitations
from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import InvalidInput, NotFound
from zoneguard.core.roles import Role

from .conftest import invite

R = Role
PLACES = ["dept_a", "dept_b", "enterprise_a", "enterprise_b", "project", "market", "community", "none"]
WORKPLACES = ["enterprise_a", "enterprise_b", "project", "market"]
ALLOWED = {
    *[("commander", R.DEPARTMENT_OFFICER, p) for p in ("dept_a", "dept_b")],
    *[("commander", R.ORGANISATION_ADMIN, p) for p in WORKPLACES],
    *[("commander", R.GATE_OFFICER, p) for p in WORKPLACES],
    ("commander", R.COMMUNITY_WORKER, "community"),
    ("commander", R.VOLUNTEER, "none"),
    # 经发局 supervises enterprises and markets; 建设局 building projects.
    *[("officer_a", R.ORGANISATION_ADMIN, p) for p in ("enterprise_a", "enterprise_b", "market")],
    ("officer_b", R.ORGANISATION_ADMIN, "project"),
    # Enterprise A's admin: their own organisation only (not the group's building project).
    ("admin_a", R.ORGANISATION_ADMIN, "enterprise_a"),
    ("admin_a", R.GATE_OFFICER, "enterprise_a"),
    ("admin_b", R.ORGANISATION_ADMIN, "enterprise_b"),
    ("admin_b", R.GATE_OFFICER, "enterprise_b"),
    ("community_worker", R.VOLUNTEER, "none"),
}
INVITERS = ["commander", "officer_a", "officer_b", "admin_a", "admin_b", "gate_a", "community_worker", "volunteer"]


def place(zone, name):
    departments = {"dept_a": zone.department_a, "dept_b": zone.department_b}
    organisations = {p: getattr(zone, p) for p in (*WORKPLACES, "community")}
    return {"department": departments.get(name), "organisation": organisations.get(name)}


def test_each_inviter_may_invite_exactly_the_roles_and_places_the_rules_allow(zone):
    for inviter, role, where in itertools.product(INVITERS, Role.values, PLACES):
        allowed = access.may_invite(zone.users[inviter], role=role, **place(zone, where))
        assert allowed == ((inviter, role, where) in ALLOWED), (inviter, role, where)


@pytest.mark.parametrize(("inviter", "role", "where"), sorted(ALLOWED))
def test_an_allowed_invitation_is_made_and_taken_up_in_its_place(zone, inviter, role, where):
    invitation, raw = invite(zone, inviter, role, **place(zone, where))
    user = invitations.invitation_accept(raw=raw, username=f"new-{inviter}-{role}", password="Xq7!long-enough")
    expected = place(zone, where)
    assert (user.role, user.organisation, user.department) == (role, expected["organisation"], expected["department"])
    assert Invitation.objects.get(pk=invitation.pk).state == "accepted"


def test_a_refused_place_is_not_found_and_a_role_without_its_place_is_invalid(zone):
    with pytest.raises(NotFound):
        invite(zone, "officer_a", R.ORGANISATION_ADMIN, organisation=zone.project)
    with pytest.raises(NotFound):
        invite(zone, "admin_a", R.GATE_OFFICER, organisation=zone.enterprise_b)
    with pytest.raises(NotFound):
        invite(zone, "gate_a", R.GATE_OFFICER, organisation=zone.enterprise_a)
    with pytest.raises(InvalidInput):
        invite(zone, "commander", R.ORGANISATION_ADMIN)
    with pytest.raises(InvalidInput):
        invite(zone, "commander", R.VOLUNTEER, organisation=zone.enterprise_a)
    assert not Invitation.objects.exists()


def test_it_mails_the_invitee_in_their_language_with_the_link_and_audits(zone, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = invite(
            zone, "admin_a", R.GATE_OFFICER, organisation=zone.enterprise_a, email="g@example.com", language="en"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["g@example.com"]
    assert "Gate officer" in message.subject
    assert invitations.invitation_link(raw) in message.body
    assert "72 hours" in message.body
    assert raw not in Invitation.objects.values_list("token_hash", flat=True)
    assert AuditEvent.objects.filter(object_type="accounts.invitation", object_id=str(invitation.pk)).exists()


def test_an_invitation_used_twice_expired_or_revoked_is_refused(zone):
    _invitation, raw = invite(zone, "admin_a", R.GATE_OFFICER, organisation=zone.enterprise_a)
    invitations.invitation_accept(raw=raw, username="gate2", password="Xq7!long-enough")
    with pytest.raises(NotFound):
        invitations.invitation_accept(raw=raw, username="gate3", password="Xq7!long-enough")

    expired, raw = invite(zone, "admin_a", R.GATE_OFFICER, organisation=zone.enterprise_a)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotFound):
        invitations.invitation_accept(raw=raw, username="gate4", password="Xq7!long-enough")

    revoked, raw = invite(zone, "admin_a", R.GATE_OFFICER, organisation=zone.enterprise_a)
    invitations.invitation_revoke(actor=zone.admin_a, invitation=revoked)
    with pytest.raises(NotFound):
        invitations.invitation_accept(raw=raw, username="gate5", password="Xq7!long-enough")
    with pytest.raises(NotFound):
        invitations.invitation_accept(raw="inv_made-up", username="gate6", password="Xq7!long-enough")
    assert not User.objects.filter(username__in=["gate3", "gate4", "gate5", "gate6"]).exists()


def test_it_expires_after_the_configured_hours(zone, settings):
    settings.INVITATION_HOURS = 2
    invitation, _raw = invite(zone, "commander", R.COMMUNITY_WORKER, organisation=zone.community)
    assert timedelta(hours=1, minutes=59) < invitation.expires_at - timezone.now() <= timedelta(hours=2)


def test_the_password_goes_through_djangos_validators_and_the_name_must_be_free(zone):
    _invitation, raw = invite(zone, "admin_a", R.GATE_OFFICER, organisation=zone.enterprise_a)
    with pytest.raises(InvalidInput) as short:
        invitations.invitation_accept(raw=raw, username="gate2", password="short")
    assert "password" in short.value.errors
    with pytest.raises(InvalidInput) as numeric:
        invitations.invitation_accept(raw=raw, username="gate2", password="12345678901234")
    assert "password" in numeric.value.errors
    with pytest.raises(InvalidInput) as taken:
        invitations.invitation_accept(raw=raw, username="ADMIN_A", password="Xq7!long-enough")
    assert "username" in taken.value.errors
    # Refusals leave the invitation open.
    assert invitations.invitation_accept(raw=raw, username="gate2", password="Xq7!long-enough").pk


def test_the_contacts_of_selected_organisations_are_invited_once(zone):
    result = invitations.invitations_for_organisations(
        actor=zone.officer_a, organisations=[zone.enterprise_a, zone.enterprise_b, zone.project]
    )
    assert result.created == []  # no contact person recorded
    zone.enterprise_a.contact_name = "甲联系人"
    zone.enterprise_a.save()
    result = invitations.invitations_for_organisations(
        actor=zone.officer_a, organisations=[zone.enterprise_a, zone.enterprise_b, zone.project]
    )
    assert [(i.organisation, i.full_name, i.phone) for i, _raw in result.created] == [
        (zone.enterprise_a, "甲联系人", "13800138000")
    ]
    assert {o for o, _reason in result.skipped} == {zone.enterprise_b, zone.project}
    again = invitations.invitations_for_organisations(actor=zone.officer_a, organisations=[zone.enterprise_a])
    assert again.created == []


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_account(zone, concurrent_db):
    from zoneguard.testing import at_once

    for round_ in range(3):
        _invitation, raw = invite(zone, "admin_a", R.GATE_OFFICER, organisation=zone.enterprise_a)

        def accept(name, raw=raw):
            return lambda: invitations.invitation_accept(raw=raw, username=name, password="Xq7!long-enough")

        results = at_once(accept(f"first{round_}"), accept(f"second{round_}"))
        assert sum(isinstance(r, User) for r in results) == 1, results
        assert sum(isinstance(r, NotFound) for r in results) == 1, results
        assert User.objects.filter(username__in=[f"first{round_}", f"second{round_}"]).count() == 1


def test_only_who_sent_an_invitation_or_could_send_it_revokes_it(zone, client_for):
    from zoneguard.accounts.selectors import invitation_list
    from zoneguard.accounts.services.invitations import invitation_revoke, may_revoke
    from zoneguard.core.errors import Forbidden

    invitation, _raw = invite(zone, "admin_a", "gate_officer", organisation=zone.enterprise_a)
    onlooker = zone.users["officer_a"]  # sees enterprise A's invitations, grants no gate officers
    assert invitation_list(actor=onlooker, state="").filter(pk=invitation.pk).exists()
    assert not may_revoke(onlooker, invitation)
    with pytest.raises(Forbidden):
        invitation_revoke(actor=onlooker, invitation=invitation)
    page = client_for("officer_a").get("/accounts/invitations/").content.decode()
    assert f"invitations/{invitation.pk}/revoke/" not in page
    assert client_for("officer_a").post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    # Another organisation's admin does not see it at all; the commander and its sender revoke it.
    assert client_for("admin_b").post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 404
    assert may_revoke(zone.commander, invitation)
    invitation_revoke(actor=zone.admin_a, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
