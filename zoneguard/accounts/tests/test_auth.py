"""Sign-in with lockout, password hashing, and API tokens."""

import pytest
from django.test import Client

from zoneguard.accounts.models import ApiToken, hash_token
from zoneguard.accounts.services import token_authenticate, token_create, token_revoke
from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Forbidden


@pytest.fixture(autouse=True)
def _fresh_axes_limits(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_it_hashes_passwords_with_argon2(settings):
    from django.contrib.auth.hashers import make_password

    import zoneguard.settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("correct horse battery").startswith("argon2$")


def test_it_signs_in_and_records_it(zone):
    client = Client()
    response = client.post("/accounts/login/", {"username": "admin_a", "password": "pw-admin_a"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=zone.admin_a).exists()


def test_it_locks_out_after_repeated_failures(zone):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "admin_a", "password": "wrong"})
    assert response.status_code == 429
    assert "失败次数过多" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post("/accounts/login/", {"username": "admin_a", "password": "pw-admin_a"})
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="login_failed", object_repr="admin_a").count() >= 5


def test_it_does_not_lock_out_another_user(zone):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "admin_a", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "admin_b", "password": "pw-admin_b"}).status_code == 302


def test_it_issues_a_token_for_good_credentials(zone):
    client = Client()
    response = client.post(
        "/api/v1/auth/token", {"username": "admin_a", "password": "pw-admin_a"}, content_type="application/json"
    )
    assert response.status_code == 200
    raw = response.json()["token"]
    token = ApiToken.objects.get(user=zone.admin_a)
    assert token.token_hash == hash_token(raw)
    assert raw not in (token.token_hash, token.hint)
    me = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/auth/me").json()
    assert me["username"] == "admin_a"
    assert me["organisation_id"] == zone.enterprise_a.pk


def test_it_answers_401_for_wrong_credentials(zone):
    response = Client().post(
        "/api/v1/auth/token", {"username": "admin_a", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json() == {"code": "invalid_credentials", "message": "用户名或密码错误。", "errors": {}}
    assert not ApiToken.objects.exists()


def test_it_locks_out_token_requests_too(zone):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "admin_a", "password": "nope"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token", {"username": "admin_a", "password": "pw-admin_a"}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_it_refuses_revoked_and_unknown_tokens(zone):
    token, raw = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/organisations").status_code == 200
    token_revoke(actor=zone.admin_a, token=token)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/organisations").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer zg_not-a-token").get("/api/v1/organisations").status_code == 401
    assert AuditEvent.objects.filter(action="token_revoke", object_id=str(token.pk)).exists()


@pytest.mark.parametrize(
    ("header", "status"),
    [("Bearer {raw}", 200), ("bearer {raw}", 200), ("Token {raw}", 401), ("Bearer", 401), ("{raw}", 401), ("", 401)],
)
def test_it_reads_the_token_only_from_a_bearer_authorization_header(zone, header, status):
    _token, raw = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    client = Client(HTTP_AUTHORIZATION=header.format(raw=raw))
    assert client.get("/api/v1/organisations").status_code == status


def test_it_refuses_tokens_of_disabled_users(zone):
    _token, raw = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    zone.admin_a.is_active = False
    zone.admin_a.save()
    assert token_authenticate(raw) is None


def test_it_lets_only_the_commander_create_personal_tokens_for_others(zone):
    from zoneguard.core.errors import InvalidInput

    with pytest.raises(Forbidden):
        token_create(actor=zone.users["officer_a"], user=zone.gate_a, name="gate")
    # An organisation admin, who issues their gates' device tokens, is told which kind to choose.
    with pytest.raises(InvalidInput) as refused:
        token_create(actor=zone.admin_a, user=zone.gate_a, name="gate")
    assert list(refused.value.errors) == ["user"]
    with pytest.raises(InvalidInput):
        token_create(actor=zone.admin_a, user=zone.admin_a, name="gate", kind="device")
    _token, raw = token_create(actor=zone.commander, user=zone.gate_a, name="东门闸机", kind="device", site=zone.site_a)
    assert token_authenticate(raw).site == zone.site_a


def test_it_restricts_a_device_token_to_a_site_of_its_user_s_organisation(zone):
    from zoneguard.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        token_create(actor=zone.commander, user=zone.gate_a, name="x", kind="device", site=zone.site_b)


def test_it_shows_a_new_token_once_on_the_tokens_page(zone, client_for):
    client = client_for("admin_a")
    page = client.post("/accounts/tokens/", {"name": "我的脚本"}).content.decode()
    token = ApiToken.objects.get(user=zone.admin_a)
    assert "zg_" in page and "只显示这一次" in page
    later = client.get("/accounts/tokens/").content.decode()
    assert token.hint in later
    raw_in_first = page.split('data-testid="raw-token">')[1].split("<")[0]
    assert raw_in_first not in later
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_keeps_other_users_tokens_private(zone, client_for):
    token, _raw = token_create(actor=zone.admin_b, user=zone.admin_b, name="b")
    assert client_for("admin_a").post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_personal_tokens_expire_after_the_configured_days(zone, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.API_TOKEN_DAYS = 90
    token, raw = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    assert timezone.now() + timedelta(days=89) < token.expires_at <= timezone.now() + timedelta(days=90)
    # A longer expiry than the configured one is shortened to it.
    longer, _raw = token_create(
        actor=zone.admin_a, user=zone.admin_a, name="x", expires_at=timezone.now() + timedelta(days=400)
    )
    assert longer.expires_at <= timezone.now() + timedelta(days=90)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    from zoneguard.core.hotcache import clear_all

    clear_all()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/organisations").status_code == 401


def test_a_password_change_revokes_the_user_s_personal_tokens(zone):
    personal, raw = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    device, device_raw = token_create(
        actor=zone.commander, user=zone.admin_a, name="闸机", kind="device", site=zone.site_a
    )
    other, _ = token_create(actor=zone.admin_b, user=zone.admin_b, name="b")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/organisations").status_code == 200
    zone.admin_a.set_password("a-new-password-2026")
    zone.admin_a.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/organisations").status_code == 401
    personal.refresh_from_db(), device.refresh_from_db(), other.refresh_from_db()
    assert personal.revoked_at is not None
    # The gate's token is the device's credential, not the person's: it keeps working.
    assert device.revoked_at is None and token_authenticate(device_raw) is not None
    assert other.revoked_at is None
    assert AuditEvent.objects.filter(action="token_revoke", detail__reason="password_changed").exists()


def test_a_password_change_through_the_sign_in_form_path_revokes_too(zone):
    from django.contrib.auth.forms import SetPasswordForm

    token, _raw = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    form = SetPasswordForm(zone.admin_a, {"new_password1": "Qz7-lantern-river", "new_password2": "Qz7-lantern-river"})
    assert form.is_valid(), form.errors
    form.save()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_stronger_hash_of_the_same_password_at_sign_in_keeps_the_tokens(zone, settings):
    from django.contrib.auth.hashers import make_password

    token, _raw = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    # Stored with an older hasher: signing in re-hashes it with the first one configured.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ]
    type(zone.admin_a).objects.filter(pk=zone.admin_a.pk).update(
        password=make_password("pw-admin_a", hasher="pbkdf2_sha1")
    )
    assert Client().post("/accounts/login/", {"username": "admin_a", "password": "pw-admin_a"}).status_code == 302
    zone.admin_a.refresh_from_db()
    assert zone.admin_a.password.startswith("md5$")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_deactivating_a_user_revokes_all_their_tokens(zone):
    personal, _ = token_create(actor=zone.admin_a, user=zone.admin_a, name="laptop")
    device, _ = token_create(actor=zone.commander, user=zone.admin_a, name="闸机", kind="device", site=zone.site_a)
    zone.admin_a.is_active = False
    zone.admin_a.save()
    personal.refresh_from_db(), device.refresh_from_db()
    assert personal.revoked_at is not None and device.revoked_at is not None
    assert AuditEvent.objects.filter(action="token_revoke", detail__reason="deactivated").exists()


def test_behind_an_untrusted_proxy_a_forwarded_address_does_not_escape_the_lockout(zone, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        client = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        client.post("/accounts/login/", {"username": "admin_a", "password": "wrong"})
    client = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert client.post("/accounts/login/", {"username": "admin_a", "password": "pw-admin_a"}).status_code == 429


def test_behind_a_trusted_proxy_one_client_does_not_lock_out_another(zone, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "admin_a", "password": "wrong"})
    assert attacker.post("/accounts/login/", {"username": "admin_a", "password": "pw-admin_a"}).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert colleague.post("/accounts/login/", {"username": "admin_a", "password": "pw-admin_a"}).status_code == 302
    token = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").post(
        "/api/v1/auth/token", {"username": "admin_a", "password": "pw-admin_a"}, content_type="application/json"
    )
    assert token.status_code == 200


def test_spraying_user_names_from_one_address_is_refused(zone, rate_clock):
    def token(client, username, password):
        return client.post(
            "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
        )

    sprayer = Client(REMOTE_ADDR="203.0.113.5")
    statuses = []
    for n in range(300):  # one guess per user name: the lockout of a user name and address never trips
        statuses.append(token(sprayer, f"user{n}", "Spring2020!").status_code)
        rate_clock[0] += 1
    assert statuses == [401] * 30 + [429] * 270
    refused = token(sprayer, "admin_a", "pw-admin_a")
    assert refused.status_code == 429
    assert refused.json() == {
        "code": "rate_limited",
        "message": "短时间内请求次数过多，请在 10:10 之后再试。",
        "errors": {},
    }
    assert not ApiToken.objects.exists()
    # Someone at another address is not held up; the sprayer is let in again in the next window.
    assert token(Client(REMOTE_ADDR="198.51.100.9"), "admin_b", "pw-admin_b").status_code == 200
    rate_clock[0] += 600
    assert token(sprayer, "admin_a", "pw-admin_a").status_code == 200
