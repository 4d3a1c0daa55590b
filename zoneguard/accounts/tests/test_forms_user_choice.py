"""The commander gives a token to any account: a dropdown of accounts while they are few, a
username typed with suggestions past that (a district has thousands)."""

from django.test import Client

from zoneguard.accounts.models import ApiToken
from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (fixture)
from zoneguard.registry import forms as registry_forms
from zoneguard.testing import make_user

SUGGEST = 'data-suggest-url="/accounts/users/suggest/"'


def suggested(client, text):
    response = client.get("/accounts/users/suggest/", {"q": text})
    assert response.status_code == 200
    return [item["label"] for item in response.json()["items"]]


def test_the_token_form_types_the_user_when_there_are_many(zone, client_for, monkeypatch):
    client = client_for("commander")
    assert 'name="user"' in client.get("/accounts/tokens/").content.decode().split("<select", 2)[1]
    monkeypatch.setattr(registry_forms, "DROPDOWN_LIMIT", 0)
    page = client.get("/accounts/tokens/").content.decode()
    field = page.split('name="user"')[0].rsplit("<", 1)[1] + page.split('name="user"')[1].split(">")[0]
    assert field.startswith("input") and SUGGEST in field

    refused = client.post("/accounts/tokens/", {"name": "三号闸机", "user": "nobody", "kind": "personal"})
    assert refused.context["form"].errors["user"] == ["没有名为“nobody”的可选用户。"]
    assert not ApiToken.objects.filter(name="三号闸机").exists()

    client.post("/accounts/tokens/", {"name": "三号闸机", "user": " gate_a ", "kind": "personal"})
    assert ApiToken.objects.get(name="三号闸机").user == zone.users["gate_a"]


def test_an_inactive_account_is_neither_suggested_nor_chosen(zone, client_for, monkeypatch):
    make_user("gate_retired", "gate_officer", organisation=zone.enterprise_a, is_active=False)
    client = client_for("commander")
    assert suggested(client, "gate_") == ["gate_a"]
    monkeypatch.setattr(registry_forms, "DROPDOWN_LIMIT", 0)
    refused = client.post("/accounts/tokens/", {"name": "旧闸机", "user": "gate_retired", "kind": "personal"})
    assert refused.context["form"].errors["user"] == ["没有名为“gate_retired”的可选用户。"]


def test_suggestions_come_from_the_managers_scope(zone, client_for):
    assert "admin_b" in suggested(client_for("commander"), "admin")
    assert suggested(client_for("admin_a"), "admin") == ["admin_a"]
    assert "gate_a" in suggested(client_for("admin_a"), "gate")


def test_an_outsider_gets_no_suggestion(zone, client_for, device_for):  # noqa: F811
    assert suggested(client_for("admin_b"), "gate_a") == []
    assert suggested(client_for("volunteer"), "admin") == []
    assert Client().get("/accounts/users/suggest/", {"q": "admin"}).status_code == 302
    assert device_for(zone.site_a).get("/accounts/users/suggest/", {"q": "admin"}).status_code == 302
