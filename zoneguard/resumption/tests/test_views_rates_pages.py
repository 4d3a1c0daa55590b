"""The rates by organisation are paged, those not open for work first."""

from django.test import override_settings

from zoneguard.resumption import selectors
from zoneguard.resumption.tests.test_selectors_rates import filings, gate_counts  # noqa: F401 (fixtures)


def test_the_pages_hold_every_organisation_not_yet_open_first(zone, filings):  # noqa: F811
    rates = selectors.resumption_rates(actor=zone.commander)
    ordered = selectors.attention_first(rates.organisations)
    assert sorted(r.organisation.pk for r in ordered) == sorted(r.organisation.pk for r in rates.organisations)
    open_from = next(i for i, r in enumerate(ordered) if r.resumed) if any(r.resumed for r in ordered) else len(ordered)
    assert not any(r.resumed for r in ordered[:open_from]) and all(r.resumed for r in ordered[open_from:])
    assert rates.overall.registered == len(ordered)


@override_settings(PAGE_SIZE=2)
def test_the_rates_page_shows_a_page_and_the_totals_of_all(zone, filings, client_for):  # noqa: F811
    page = client_for("commander").get("/resumption/rates/").content.decode()
    table = page.split("<h2>")[-1]
    assert table.count("<tr>") == 3  # the header and two organisations
    assert "page=2" in page
