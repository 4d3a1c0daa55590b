"""The gates overview is paged, sites with fevers and refusals first; its totals, summed in the
database, are what every page's rows add up to."""

from django.core.paginator import Paginator
from django.test import override_settings

from zoneguard.gates import selectors
from zoneguard.registry.models import Site

from .conftest import post


def fill(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    declare(zone.staff_a[2])
    quiet = Site.objects.create(organisation=zone.enterprise_a, name="东门")
    client = device_for(zone.site_a)
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[1], 38.1))  # a fever
    post(device_for(quiet), "/api/v1/checkins", item(quiet, zone.staff_a[2]))
    post(device_for(quiet), "/api/v1/checkins", item(quiet, zone.staff_a[2], direction="out"))
    post(device_for(zone.site_b), "/api/v1/checkins", item(zone.site_b, zone.staff_b[0]))
    return quiet


def test_the_pages_add_up_to_the_totals_and_to_the_full_counts(zone, declare, device_for, item):
    fill(zone, declare, device_for, item)
    for actor in (zone.commander, zone.admin_a):
        full = selectors.site_counts(sites=list(selectors.site_counts_attention_first(actor=actor)))
        paginator = Paginator(selectors.site_counts_attention_first(actor=actor), 1)
        paged = [c for n in paginator.page_range for c in selectors.site_counts(sites=list(paginator.page(n)))]
        assert paginator.count == len(full)
        totals = selectors.site_totals(actor=actor)
        for name in ("entries", "exits", "denied", "fevers", "on_site"):
            assert sum(getattr(c, name) for c in paged) == sum(getattr(c, name) for c in full) == getattr(totals, name)
        assert {c.site.pk: c.on_site for c in paged} == {c.site.pk: c.on_site for c in full}


def test_sites_with_fevers_come_first(zone, declare, device_for, item):
    fill(zone, declare, device_for, item)
    first = selectors.site_counts_attention_first(actor=zone.admin_a).first()
    assert first is not None and first.pk == zone.site_a.pk and first.fevers == 1


@override_settings(PAGE_SIZE=1)
def test_the_overview_shows_one_page_and_the_totals_of_all(zone, declare, device_for, item, client_for):
    quiet = fill(zone, declare, device_for, item)
    page = client_for("admin_a").get("/gates/").content.decode()
    assert zone.site_a.name in page and quiet.name not in page.split("<tbody>")[1]
    assert "?page=2" in page
    second = client_for("admin_a").get("/gates/?page=2").content.decode()
    assert quiet.name in second.split("<tbody>")[1]
    assert zone.site_b.name not in client_for("admin_a").get("/gates/?page=3").content.decode().split("<tbody>")[1]


def test_an_outsider_sees_none_of_the_sites(zone, declare, device_for, item, client_for):
    fill(zone, declare, device_for, item)
    page = client_for("admin_b").get("/gates/").content.decode()
    assert zone.site_a.name not in page.split("<tbody>")[1] or zone.site_a.name == zone.site_b.name
    assert selectors.site_totals(actor=zone.admin_b).fevers == 0
