"""Organisation and site filters are text fields searched as the user types: the suggestions come
from a small JSON view in the user's scope, and without a script the text itself is searched."""

from django.test import Client

from zoneguard.gates.tests.conftest import device_for  # noqa: F401 (fixture)


def labels(response):
    assert response.status_code == 200
    return [item["label"] for item in response.json()["items"]]


def test_it_suggests_organisations_and_sites_in_scope(zone, client_for):
    name = zone.enterprise_a.name
    assert name in labels(client_for("admin_a").get("/registry/organisations/suggest/", {"q": name[:2]}))
    assert name in labels(client_for("commander").get("/registry/organisations/suggest/", {"q": name[:2]}))
    sites = labels(client_for("admin_a").get("/registry/sites/suggest/", {"q": zone.site_a.name}))
    assert f"{name} · {zone.site_a.name}" in sites


def test_an_outsider_gets_nothing(zone, client_for, device_for):  # noqa: F811
    name = zone.enterprise_a.name
    for outsider in ("admin_b", "volunteer"):
        assert name not in labels(client_for(outsider).get("/registry/organisations/suggest/", {"q": name}))
        found = labels(client_for(outsider).get("/registry/sites/suggest/", {"q": name}))
        assert not any(label.startswith(name) for label in found)
    assert Client().get("/registry/organisations/suggest/", {"q": name}).status_code == 302
    assert device_for(zone.site_a).get("/registry/sites/suggest/", {"q": name}).status_code == 302


def test_the_filters_are_text_fields_that_search_without_a_script(zone, client_for):
    client = client_for("commander")
    page = client.get("/registry/people/").content.decode()
    assert 'data-suggest-url="/registry/organisations/suggest/"' in page
    assert "<select" not in page.split('name="organisation"')[0].rsplit("<label", 1)[1]
    staff = zone.staff_a[0]
    filtered = client.get("/registry/people/", {"organisation": zone.enterprise_a.name}).content.decode()
    assert staff.name in filtered and zone.staff_b[0].name not in filtered
    by_part = client.get("/registry/people/", {"organisation": zone.enterprise_b.name[1:3]}).content.decode()
    assert zone.staff_b[0].name in by_part
    log = client.get("/gates/log/").content.decode()
    assert 'data-suggest-url="/registry/sites/suggest/"' in log and "suggest.js" in log


def test_the_people_filter_of_an_outsider_finds_nothing_outside_scope(zone, client_for):
    page = client_for("admin_b").get("/registry/people/", {"organisation": zone.enterprise_a.name}).content.decode()
    assert zone.staff_a[0].name not in page
