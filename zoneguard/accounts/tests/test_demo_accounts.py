from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneguard.accounts.demo import DEMO_INVITATION_TOKEN, DEMO_TOTP_SECRET
from zoneguard.accounts.models import Invitation, OrganisationApplication
from zoneguard.demo.builder import load_demo_zone


def test_the_demo_has_a_pending_application_an_open_invitation_and_a_known_authenticator_key(db):
    zone = load_demo_zone(password="demo-pass-2020")
    load_demo_zone(password="demo-pass-2020")  # a second load adds nothing
    assert list(OrganisationApplication.objects.values_list("status", flat=True)) == ["pending"]
    assert [i.state for i in Invitation.objects.all()] == ["open"]
    assert any(DEMO_TOTP_SECRET in line for line in zone.log)
    device = TOTPDevice.objects.get(user__username="commander")
    assert TOTPDevice.objects.filter(user__username__in=["officer", "taxofficer", "tracer"]).count() == 3
    client = Client()
    client.post("/accounts/login/", {"username": "commander", "password": "demo-pass-2020"})
    response = client.post("/accounts/two-factor/", {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get("/accounts/applications/").status_code == 200
    assert Client().get(f"/accounts/invitations/accept/{DEMO_INVITATION_TOKEN}/").status_code == 200
