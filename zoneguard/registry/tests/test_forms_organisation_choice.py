"""Forms that choose an organisation or a site offer a dropdown when the user may choose among few,
and a typed name with suggestions when among more than a dropdown holds (a district's thousands)."""

import pytest

from zoneguard.registry import forms
from zoneguard.registry.models import Membership, Organisation, OrganisationKind, Person
from zoneguard.testing import valid_id_number

SUGGEST = 'data-suggest-url="/registry/organisations/suggest/"'
SITE_SUGGEST = 'data-suggest-url="/registry/sites/suggest/"'


def _organisation_input(html: str, name: str = "organisation") -> str:
    """The HTML of the form's field (the <select> or the <input>)."""
    tag = html.split(f'name="{name}"')[0].rsplit("<", 1)[1]
    return f"<{tag}" + html.split(f'name="{name}"')[1].split(">")[0]


def test_few_organisations_are_a_dropdown_and_many_are_typed(zone, monkeypatch):
    few = forms.PersonCreateForm(actor=zone.commander)
    assert _organisation_input(str(few["organisation"])).startswith("<select")
    monkeypatch.setattr(forms, "DROPDOWN_LIMIT", 2)
    many = forms.PersonCreateForm(actor=zone.commander)
    assert _organisation_input(str(many["organisation"])).startswith("<input") and SUGGEST in str(many["organisation"])
    # A dropdown posts the id; a typed field the name, or the credit code in any case.
    assert forms.PersonCreateForm({"name": "张三"}, actor=zone.commander).fields["organisation"].typed
    typed = forms.PersonCreateForm(
        {"name": "张三", "id_number": "x", "organisation": zone.enterprise_a.credit_code.lower()}, actor=zone.commander
    )
    typed.is_valid()
    assert typed.cleaned_data["organisation"] == zone.enterprise_a
    monkeypatch.setattr(forms, "DROPDOWN_LIMIT", 100)
    picked = forms.PersonCreateForm({"name": "张三", "organisation": str(zone.enterprise_a.pk)}, actor=zone.commander)
    picked.is_valid()
    assert picked.cleaned_data["organisation"] == zone.enterprise_a


@pytest.mark.parametrize(
    ("username", "url", "name", "suggest"),
    [
        ("commander", "/registry/people/new/", "organisation", SUGGEST),
        ("commander", "/incidents/new/", "organisation", SUGGEST),
        ("commander", "/incidents/new/", "site", SITE_SUGGEST),
        ("commander", "/accounts/invitations/", "organisation", SUGGEST),
        ("commander", "/accounts/tokens/", "site", SITE_SUGGEST),
        ("commander", "/dispatch/new/", "owner", SUGGEST),
        ("admin_a", "/resumption/filings/new/", "organisation", SUGGEST),
    ],
)
def test_the_forms_pages_type_the_choice_when_there_are_many(
    zone, client_for, monkeypatch, username, url, name, suggest
):
    monkeypatch.setattr(forms, "DROPDOWN_LIMIT", 0)
    page = client_for(username).get(url)
    assert page.status_code == 200
    field = _organisation_input(page.content.decode(), name)
    assert field.startswith("<input") and suggest in field
    assert "zoneguard/suggest.js" in page.content.decode()


def test_a_person_is_registered_into_an_organisation_typed_by_name(zone, client_for, monkeypatch):
    monkeypatch.setattr(forms, "DROPDOWN_LIMIT", 0)
    client = client_for("admin_a")  # manages enterprise A and its subsidiary
    data = {"name": "新员工", "id_number": valid_id_number(seq=77), "phone": "", "position": ""}
    refused = client.post("/registry/people/new/", {**data, "organisation": zone.enterprise_b.name})
    assert refused.status_code == 200
    # Another enterprise's name reads as unknown: nothing tells it exists.
    assert refused.context["form"].errors["organisation"] == [f"没有名为“{zone.enterprise_b.name}”的可选单位。"]
    assert not Person.objects.filter(name="新员工").exists()
    registered = client.post("/registry/people/new/", {**data, "organisation": f" {zone.enterprise_a.name} "})
    assert registered.status_code == 302
    person = Person.objects.get(name="新员工")
    assert Membership.objects.filter(person=person, organisation=zone.enterprise_a).exists()


def test_namesakes_are_told_apart_by_credit_code(zone, client_for, monkeypatch):
    monkeypatch.setattr(forms, "DROPDOWN_LIMIT", 0)
    Organisation.objects.create(name=zone.enterprise_a.name, kind=OrganisationKind.ENTERPRISE)
    form = forms.PersonCreateForm(
        {"name": "张三", "id_number": "x", "organisation": zone.enterprise_a.name}, actor=zone.commander
    )
    assert not form.is_valid()
    assert form.errors["organisation"] == [f"有多个单位名为“{zone.enterprise_a.name}”，请填写其统一社会信用代码。"]


def test_a_site_is_typed_as_its_suggestion_names_it(zone, client_for, monkeypatch):
    monkeypatch.setattr(forms, "DROPDOWN_LIMIT", 0)
    client = client_for("commander")
    data = {"kind": "other", "severity": "high", "title": "门岗拥堵", "organisation": zone.enterprise_a.name}
    label = f"{zone.enterprise_a.name} · {zone.site_a.name}"
    unknown = client.post("/incidents/new/", {**data, "site": f"{zone.enterprise_b.name} · 后门"})
    assert unknown.status_code == 200
    assert unknown.context["form"].errors["site"] == [f"没有名为“{zone.enterprise_b.name} · 后门”的可选卡口。"]
    reported = client.post("/incidents/new/", {**data, "site": label})
    assert reported.status_code == 302
    from zoneguard.incidents.models import Incident

    assert Incident.objects.get(title="门岗拥堵").site == zone.site_a
    assert Incident.objects.count() == 1  # the refused report left nothing
