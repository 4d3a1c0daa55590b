from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneguard.accounts import selectors
from zoneguard.accounts.models import ApiToken
from zoneguard.accounts.services import token_create, users
from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Forbidden, InvalidInput, NotFound
from zoneguard.core.roles import Role
from zoneguard.testing import make_user, second_factor_device


def visible(actor):
    return set(selectors.user_list(actor=actor).values_list("username", flat=True))


def test_each_manager_sees_the_accounts_of_their_scope(zone):
    assert visible(zone.commander) >= set(zone.users)
    assert visible(zone.officer_a) == {"officer_a", "admin_a", "admin_b", "gate_a"}
    assert visible(zone.officer_b) == {"officer_b"}
    assert visible(zone.admin_a) == {"admin_a", "gate_a"}
    assert visible(zone.admin_b) == {"admin_b"}
    assert visible(zone.community_worker) == {"community_worker", "admin_a", "admin_b", "gate_a"}
    assert visible(zone.gate_a) == visible(zone.volunteer) == set()


def test_out_of_scope_is_not_found(zone):
    with pytest.raises(NotFound):
        selectors.user_access(actor=zone.admin_b, pk=zone.gate_a.pk)
    with pytest.raises(NotFound):
        selectors.user_access(actor=zone.officer_b, pk=zone.admin_a.pk)
    with pytest.raises(NotFound):
        selectors.user_access(actor=zone.gate_a, pk=zone.gate_a.pk)


def test_a_manager_changes_a_role_only_to_one_they_may_grant_and_never_above_their_own(zone):
    user = users.user_update(actor=zone.admin_a, user=zone.gate_a, role=Role.ORGANISATION_ADMIN)
    assert user.role == Role.ORGANISATION_ADMIN
    gate = make_user("gate_a2", Role.GATE_OFFICER, organisation=zone.enterprise_a)
    with pytest.raises(InvalidInput):
        users.user_update(actor=zone.admin_a, user=gate, role=Role.COMMANDER)
    with pytest.raises(InvalidInput):
        users.user_update(actor=zone.admin_a, user=gate, role=Role.DEPARTMENT_OFFICER)
    with pytest.raises(Forbidden):  # the officer may not grant a gate officer's role
        users.user_update(actor=zone.officer_a, user=gate, role=Role.ORGANISATION_ADMIN)
    with pytest.raises(Forbidden):  # nobody changes the commander, or themself
        users.user_update(actor=zone.officer_a, user=zone.commander, is_active=False)
    with pytest.raises(Forbidden):
        users.user_update(actor=zone.admin_a, user=zone.admin_a, is_active=False)
    gate.refresh_from_db()
    assert gate.role == Role.GATE_OFFICER
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(zone.gate_a.pk)).exists()


def test_deactivating_ends_the_tokens_and_reactivating_restores_the_account(zone):
    token_create(actor=zone.admin_a, user=zone.admin_a, name="x")
    users.user_update(actor=zone.officer_a, user=zone.admin_a, is_active=False)
    assert not ApiToken.objects.filter(user=zone.admin_a, revoked_at__isnull=True).exists()
    users.user_update(actor=zone.officer_a, user=zone.admin_a, is_active=True)
    zone.admin_a.refresh_from_db()
    assert zone.admin_a.is_active


def test_resetting_the_second_factor_deletes_the_devices_and_ends_the_sessions(zone, client_for):
    officer = make_user("officer_c", Role.DEPARTMENT_OFFICER, department=zone.department_a)
    zone.users["officer_c"] = officer
    client = client_for("officer_c")
    assert client.get("/").status_code == 200
    StaticDevice.objects.create(user=officer, name="recovery")
    users.user_second_factor_reset(actor=zone.commander, user=officer)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert client.get("/").status_code == 302  # signed out
    with pytest.raises(Forbidden):
        users.user_second_factor_reset(actor=zone.officer_a, user=zone.officer_b)


def test_a_temporary_password_must_be_changed_at_the_next_sign_in(zone):
    users.user_password_set(actor=zone.admin_a, user=zone.gate_a, password="Temp-pass-2020!")
    zone.gate_a.refresh_from_db()
    assert zone.gate_a.must_change_password
    client = Client()
    response = client.post("/accounts/login/", {"username": "gate_a", "password": "Temp-pass-2020!"})
    assert client.get("/").url.startswith("/accounts/password/change/")
    assert client.get("/gates/").status_code == 302
    assert client.get("/api/v1/auth/me").status_code == 401
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "Temp-pass-2020!", "new_password1": "My-own-pass-2020", "new_password2": "My-own-pass-2020"},
    )
    assert response.status_code == 302
    zone.gate_a.refresh_from_db()
    assert not zone.gate_a.must_change_password
    assert client.get("/").status_code == 200


def test_a_user_second_factor_device_is_listed(zone):
    second_factor_device(zone.officer_a)
    listed = {u.username: u.has_second_factor for u in selectors.user_list(actor=zone.commander)}
    assert listed["officer_a"] and not listed["admin_a"]
