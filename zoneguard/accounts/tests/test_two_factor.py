"""Two-factor sign-in through the real pages: the commander and officers set up and pass a second
factor before any page; recovery codes work once; API tokens for them need the code."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from zoneguard.accounts.models import User
from zoneguard.testing import second_factor_code, second_factor_device


def sign_in(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": f"pw-{username}"})
    assert response.status_code == 302
    return client


def current_code(secret_hex):
    return f"{totp(bytes.fromhex(secret_hex)):06d}"


def test_a_commander_without_a_second_factor_is_sent_to_set_one_up_before_any_page(zone):
    client = sign_in("commander")
    for path in ("/", "/registry/organisations/", "/accounts/users/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/"), path
    assert client.get("/api/v1/users").status_code == 401
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and b"<svg" in page.content
    assert b'class="mainnav"' not in page.content  # no menu of pages it cannot open yet
    assert b'class="inbox"' not in page.content
    device = TOTPDevice.objects.get(user=zone.commander, confirmed=False)
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 200
    # django-otp then makes the device wait before the next try: the test does not.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post("/accounts/two-factor/", {"code": current_code(device.key), "next": "/registry/"})
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/users").status_code == 200


def test_a_second_sign_in_asks_for_the_code_and_a_recovery_code_works_once(zone):
    device = second_factor_device(zone.officer_a)
    client = sign_in("officer_a")
    assert client.get("/").url.startswith("/accounts/two-factor/")
    page = client.get("/accounts/two-factor/")
    assert b'class="mainnav"' not in page.content and b'class="inbox"' not in page.content
    response = client.post("/accounts/two-factor/?next=/registry/", {"code": second_factor_code(device)})
    assert response.url == "/registry/"
    renewed = client.post("/accounts/security/recovery-codes/")
    recovery = re.findall(r"<li><code>(\w+)</code></li>", renewed.content.decode())[0]

    other = sign_in("officer_a")
    assert other.post("/accounts/two-factor/", {"code": recovery}).status_code == 302
    assert other.get("/").status_code == 200
    third = sign_in("officer_a")
    assert third.post("/accounts/two-factor/", {"code": recovery}).status_code == 200  # spent
    assert third.get("/").status_code == 302


def test_optional_roles_sign_in_with_a_password_unless_they_chose_a_second_factor(zone):
    client = sign_in("admin_a")
    assert client.get("/").status_code == 200
    device = second_factor_device(zone.admin_a)
    client = sign_in("admin_a")
    assert client.get("/").url.startswith("/accounts/two-factor/")
    client.post("/accounts/two-factor/", {"code": second_factor_code(device)})
    assert client.get("/").status_code == 200


def test_an_api_token_for_the_commander_needs_the_code(zone):
    device = second_factor_device(zone.commander)
    client = Client()
    body = {"username": "commander", "password": "pw-commander"}
    refused = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (401, "second_factor_required")
    wrong = client.post("/api/v1/auth/token", {**body, "code": "123456"}, content_type="application/json")
    assert wrong.status_code == 401
    token = client.post(
        "/api/v1/auth/token", {**body, "code": second_factor_code(device)}, content_type="application/json"
    )
    assert token.status_code == 200
    me = Client(HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}").get("/api/v1/auth/me")
    assert me.json()["username"] == "commander"
    # Tokens of roles without a second factor work as before.
    admin = client.post(
        "/api/v1/auth/token", {"username": "admin_a", "password": "pw-admin_a"}, content_type="application/json"
    )
    assert admin.status_code == 200


def test_password_reset_end_to_end_through_the_outbox(zone):
    User.objects.filter(pk=zone.admin_a.pk).update(email="admin_a@example.com")
    client = Client()
    assert client.get("/accounts/password/reset/").status_code == 200
    response = client.post("/accounts/password/reset/", {"email": "admin_a@example.com"})
    assert response.url == "/accounts/password/reset/sent/"
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert unknown.url == response.url
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Brand-new-2020", "new_password2": "Brand-new-2020"}
    )
    assert done.url == "/accounts/password/reset/complete/"
    assert User.objects.get(pk=zone.admin_a.pk).check_password("Brand-new-2020")
    # The link works once.
    assert b"new_password1" not in client.get(path, follow=True).content


def test_a_session_that_passed_the_second_factor_may_take_a_token_without_the_code(zone, client_for):
    response = client_for("commander").post(
        "/api/v1/auth/token", {"username": "commander", "password": "pw-commander"}, content_type="application/json"
    )
    assert response.status_code == 200
    # Another user's session does not stand in for the code.
    other = client_for("officer_a").post(
        "/api/v1/auth/token", {"username": "commander", "password": "pw-commander"}, content_type="application/json"
    )
    assert other.status_code == 401


def test_a_password_set_in_the_admin_must_be_changed_by_its_owner(zone, client_for):
    root = User.objects.create_superuser(username="root", password="pw-root-admin")
    admin = Client()
    admin.force_login(root)
    response = admin.post(
        f"/admin/accounts/user/{zone.gate_a.pk}/password/",
        {"password1": "Set-by-admin-2020", "password2": "Set-by-admin-2020", "usable_password": "true"},
    )
    assert response.status_code == 302
    zone.gate_a.refresh_from_db()
    assert zone.gate_a.must_change_password
    added = admin.post(
        "/admin/accounts/user/add/",
        {
            "username": "added",
            "password1": "Set-by-admin-2020",
            "password2": "Set-by-admin-2020",
            "usable_password": "true",
        },
    )
    assert added.status_code == 302
    assert User.objects.get(username="added").must_change_password


def test_the_security_page_warns_when_few_recovery_codes_are_left(zone):
    device = second_factor_device(zone.officer_a)
    client = sign_in("officer_a")
    client.post("/accounts/two-factor/", {"code": second_factor_code(device)})
    assert b'data-testid="few-recovery-codes"' in client.get("/accounts/security/").content
    client.post("/accounts/security/recovery-codes/")
    assert b'data-testid="few-recovery-codes"' not in client.get("/accounts/security/").content
