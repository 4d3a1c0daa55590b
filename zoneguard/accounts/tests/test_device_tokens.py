"""A device token is a credential left on a gate in the street: it records check-ins at its own
site and reaches nothing else, whoever its user is."""

import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from zoneguard.accounts.models import ApiToken, ApiTokenKind
from zoneguard.accounts.services import token_actor, token_authenticate, token_create
from zoneguard.audit.models import AuditAction, AuditEvent
from zoneguard.core.roles import Role
from zoneguard.gates.models import CheckIn
from zoneguard.health.models import Declaration
from zoneguard.registry import scoping
from zoneguard.registry.models import Organisation, Person, Site

# The gate's operations: what a device may call. Everything else answers it 404.
GATE_OPERATIONS = {("post", "/api/v1/checkins"), ("post", "/api/v1/checkins/batch"), ("get", "/api/v1/auth/me")}


def _device_client(zone, user):
    _token, raw = token_create(
        actor=zone.commander, user=user, name="东门闸机", kind=ApiTokenKind.DEVICE, site=zone.site_a
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), raw


def _operations():
    schema = Client().get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, bool(operation.get("security"))


def _checkin(site, person):
    return {
        "client_id": str(uuid.uuid4()),
        "site_id": site.pk,
        "id_number": person.id_number,
        "temperature": 36.5,
        "checked_at": timezone.now().isoformat(),
        "direction": "in",
    }


@pytest.mark.parametrize("holder", ["device_user", "admin_a", "commander_user"])
def test_a_device_token_answers_only_the_gate_operations_of_its_site(zone, holder):
    # The token's user may be a device account, an organisation admin (whose own token reads full
    # ID numbers and tax deferrals), or a commander-like user of the organisation: the token reaches
    # the same, the gate of its site.
    users = {
        "device_user": lambda: zone.users["admin_a"].__class__.objects.create_user(
            "gate-device", role=Role.DEVICE, organisation=zone.enterprise_a
        ),
        "admin_a": lambda: zone.admin_a,
        "commander_user": lambda: zone.users["admin_a"].__class__.objects.create_user(
            "boss", role=Role.COMMANDER, organisation=zone.enterprise_a, is_superuser=True
        ),
    }
    client, _raw = _device_client(zone, users[holder]())
    Declaration.objects.all().delete()
    answered = {}
    operations = list(_operations())
    assert len(operations) > 60  # the walk covers the whole API
    for method, path, secured in operations:
        if not secured:
            continue  # anonymous operations (the public declaration, the token endpoint) take no token
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = getattr(client, method)(url, {}, content_type="application/json")
        answered[(method, path)] = response.status_code
        if (method, path) not in GATE_OPERATIONS:
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.json()["code"] == "not_found"
    # The gate operations answer (here with an empty body: a validation error, not a refusal).
    assert {answered[op] for op in GATE_OPERATIONS if op[0] == "post"} == {422}
    assert answered[("get", "/api/v1/auth/me")] == 200
    # At its own site it records; at another site of its organisation, or another's, nothing exists.
    other_site = Site.objects.create(organisation=zone.enterprise_a, name="东门")
    person = zone.staff_a[0]
    assert (
        client.post("/api/v1/checkins", _checkin(zone.site_a, person), content_type="application/json").status_code
        == 201
    )
    for site in (other_site, zone.site_b):
        response = client.post("/api/v1/checkins", _checkin(site, person), content_type="application/json")
        assert response.status_code == 404
    batch = client.post(
        "/api/v1/checkins/batch",
        {"items": [_checkin(zone.site_a, person), _checkin(other_site, person), _checkin(zone.site_b, person)]},
        content_type="application/json",
    ).json()
    assert [item["error"] and item["error"]["code"] for item in batch["items"]] == [
        None,
        "site_not_found",
        "site_not_found",
    ]
    assert CheckIn.objects.count() == 2
    me = client.get("/api/v1/auth/me").json()
    assert (me["role"], me["site_id"]) == ("device", zone.site_a.pk)


def test_the_scoping_gives_a_device_nothing_to_read(zone):
    _token, raw = token_create(actor=zone.commander, user=zone.admin_a, name="闸机", kind="device", site=zone.site_a)
    actor = token_actor(token_authenticate(raw))
    assert actor.role == Role.DEVICE and not actor.is_superuser
    assert not Organisation.objects.filter(scoping.organisation_q(actor)).exists()
    assert not Person.objects.filter(scoping.people_q(actor)).exists()
    assert not Person.objects.filter(scoping.personal_data_q(actor)).exists()
    assert not scoping.is_commander(actor)
    assert list(Site.objects.filter(scoping.gate_site_q(actor))) == [zone.site_a]
    # The token's user, signed in as themself, keeps their own reach.
    assert scoping.organisation_in_scope(zone.admin_a, zone.enterprise_a)
    assert zone.admin_a.role == Role.ORGANISATION_ADMIN


def test_a_request_cannot_change_the_cached_user_of_a_token(zone):
    _token, raw = token_create(actor=zone.commander, user=zone.admin_a, name="闸机", kind="device", site=zone.site_a)
    first = token_actor(token_authenticate(raw))
    first.role = Role.COMMANDER
    first.scratch = "left by a request"
    second = token_actor(token_authenticate(raw))
    assert second.role == Role.DEVICE and not hasattr(second, "scratch")
    assert token_authenticate(raw).user.role == Role.ORGANISATION_ADMIN


def test_gate_site_allowed_agrees_with_gate_site_q(zone):
    _token, raw = token_create(actor=zone.commander, user=zone.admin_a, name="闸机", kind="device", site=zone.site_a)
    device = token_actor(token_authenticate(raw))
    other = Site.objects.create(organisation=zone.enterprise_a, name="东门")
    project_site = Site.objects.create(organisation=zone.project, name="工地大门")
    actors = [*zone.users.values(), device]
    for actor in actors:
        allowed = set(Site.objects.filter(scoping.gate_site_q(actor)).values_list("pk", flat=True))
        for site in Site.objects.select_related("organisation"):
            assert scoping.gate_site_allowed(actor, site) == (site.pk in allowed), (actor.username, site.name)
    assert {s.pk for s in Site.objects.filter(scoping.gate_site_q(zone.admin_a))} == {
        zone.site_a.pk,
        other.pk,
        project_site.pk,
    }


def test_a_device_token_needs_its_site(zone):
    from zoneguard.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        token_create(actor=zone.commander, user=zone.gate_a, name="闸机", kind="device")
    with pytest.raises(InvalidInput):
        token_create(actor=zone.commander, user=zone.gate_a, name="笔记本", kind="personal", site=zone.site_a)


# --- An organisation admin's own gates ---------------------------------------------------------


def test_an_organisation_admin_issues_a_device_token_for_their_own_gate_on_the_tokens_page(zone, client_for):
    admin = client_for("admin_a")
    response = admin.post("/accounts/tokens/", {"name": "东门测温闸机", "kind": "device", "site": zone.site_a.pk})
    assert response.status_code == 200
    raw = re.search(r'data-testid="raw-token">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert (token.kind, token.site, token.user, token.created_by) == ("device", zone.site_a, zone.admin_a, zone.admin_a)
    device = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    checkin = device.post("/api/v1/checkins", _checkin(zone.site_a, zone.staff_a[0]), content_type="application/json")
    assert checkin.status_code == 201
    assert device.get("/api/v1/auth/me").json()["site_id"] == zone.site_a.pk
    assert "东门测温闸机" in admin.get("/accounts/tokens/").content.decode()


def test_an_organisation_admin_cannot_issue_for_another_organisations_site(zone):
    from zoneguard.core.errors import Forbidden

    with pytest.raises(Forbidden):
        token_create(actor=zone.admin_a, user=zone.admin_b, name="x", kind=ApiTokenKind.DEVICE, site=zone.site_b)
    with pytest.raises(Forbidden):
        token_create(actor=zone.admin_a, user=zone.admin_a, name="x", kind=ApiTokenKind.DEVICE, site=zone.site_b)
    assert not ApiToken.objects.exists()


def test_the_tokens_page_offers_an_admin_only_their_organisations_sites_and_accounts(zone, client_for):
    response = client_for("admin_a").post(
        "/accounts/tokens/", {"name": "x", "kind": "device", "site": zone.site_b.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    form = response.context["form"]
    assert "site" in form.errors and not ApiToken.objects.exists()
    assert set(form.fields["site"].queryset) == {zone.site_a}
    assert set(form.fields["user"].queryset) == {zone.admin_a, zone.users["gate_a"]}
    # A personal token is for oneself: said beside the user field.
    mistaken = client_for("admin_a").post(
        "/accounts/tokens/", {"name": "x", "kind": "personal", "user": "gate_a"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert list(mistaken.context["form"].errors) == ["user"] and not ApiToken.objects.exists()


def test_departments_and_gate_officers_issue_no_device_tokens(zone):
    from zoneguard.core.errors import Forbidden

    for username in ("officer_a", "gate_a", "community_worker"):
        user = zone.users[username]
        site = zone.site_a
        with pytest.raises(Forbidden):
            token_create(actor=user, user=zone.admin_a, name="x", kind=ApiTokenKind.DEVICE, site=site)
    assert not ApiToken.objects.exists()


def test_another_organisations_admin_neither_sees_nor_revokes_an_admins_device_token(zone, client_for):
    token, _raw = token_create(
        actor=zone.admin_a, user=zone.users["gate_a"], name="东门闸机", kind=ApiTokenKind.DEVICE, site=zone.site_a
    )
    outsider = client_for("admin_b")
    assert "东门闸机" not in outsider.get("/accounts/tokens/").content.decode()
    assert outsider.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert Client().post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302  # anonymous: sign in
    token.refresh_from_db()
    assert token.revoked_at is None
    # The admin of the organisation sees it and revokes it.
    admin = client_for("admin_a")
    assert "东门闸机" in admin.get("/accounts/tokens/").content.decode()
    assert admin.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATE, actor=zone.admin_a).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKE, actor=zone.admin_a).exists()
