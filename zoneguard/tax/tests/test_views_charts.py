"""The deferral summary's chart: the amounts granted by tax type, exact to the fen in its labels,
through the same scope and filters as the page.

Approved: enterprise A's VAT (420,000.00 applied, 400,000.00 granted) and stamp duty 0.10; enterprise
B's VAT 7,675,607.36 and stamp duty 0.20. Not counted: A's refused application and B's waiting one."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneguard.tax import selectors, services
from zoneguard.tax.money import format_amount
from zoneguard.testing import data_queries

from .test_services_deferrals import statement

URL = "/tax/deferrals/summary/chart/"


def period(months_back):
    """The first day of the month `months_back` before this one: a taxpayer applies once a period."""
    first = timezone.localdate().replace(day=1)
    years, month = divmod(first.month - 1 - months_back, 12)
    return date(first.year + years, month + 1, 1)


def apply(tax, admin, organisation, items, decide=None, months_back=1):
    deferral = services.deferral_apply(
        actor=admin,
        organisation=organisation,
        months=3,
        reason="疫情冲击",
        items=items,
        period=period(months_back),
        due_on=timezone.localdate() + timedelta(days=20),  # still ahead, whichever past period
        evidence=[statement()],
    )
    if decide is not None:
        services.deferral_decide(actor=tax.officer, deferral=deferral, **decide)
    return deferral


@pytest.fixture
def deferrals(tax, zone):
    granted = {"vat": "400000.00", "stamp": "0.10"}
    apply(
        tax,
        zone.admin_a,
        zone.enterprise_a,
        [("vat", "420000.00"), ("stamp", "0.10")],
        {"approve": True, "amounts": granted},
    )
    apply(tax, zone.admin_b, zone.enterprise_b, [("vat", "7675607.36"), ("stamp", "0.20")], {"approve": True})
    refused = {"approve": False, "note": "材料不全"}
    apply(tax, zone.admin_a, zone.enterprise_a, [("consumption", "90000.00")], refused, months_back=2)
    apply(tax, zone.admin_b, zone.enterprise_b, [("urban_construction", "35700.00")], months_back=2)


def chart(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def amounts(data):
    """{tax type: label} of the chart's one series."""
    (series,) = data["series"]
    return dict(zip(data["categories"], series["labels"], strict=True))


def test_it_draws_the_granted_amounts_by_tax_type_exactly(deferrals, client_for):
    data = chart(client_for("taxofficer"))
    assert data["title"] == "分税种延期缴纳税款（元）"
    assert data["series"][0]["name"] == "延期税款（元）"
    # Labels to the fen, added up exactly (as floats, 0.1 + 0.2 is not 0.3).
    assert amounts(data) == {"增值税": "8,075,607.36", "印花税": "0.30"}
    assert data["series"][0]["data"] == [pytest.approx(8075607.36), pytest.approx(0.3)]


def test_it_agrees_with_the_page_s_summary(tax, deferrals, client_for):
    data = chart(client_for("commander"))
    summary = selectors.deferral_summary(actor=tax.officer)
    assert amounts(data) == {t.name: format_amount(t.total) for t in summary.by_tax_type}
    page = client_for("commander").get("/tax/deferrals/summary/").content.decode()
    assert 'data-chart-url="/tax/deferrals/summary/chart/"' in page


def test_it_follows_the_page_s_filters(deferrals, client_for):
    today = timezone.localdate()
    assert amounts(chart(client_for("taxofficer"), date_from=today.isoformat())) == {
        "增值税": "8,075,607.36",
        "印花税": "0.30",
    }
    assert chart(client_for("taxofficer"), date_from=f"{today.year + 1}-01-01")["categories"] == []
    page = client_for("taxofficer").get("/tax/deferrals/summary/", {"date_from": today.isoformat()}).content.decode()
    assert f'data-chart-url="/tax/deferrals/summary/chart/?date_from={today.isoformat()}"' in page


def test_an_enterprise_sees_only_its_own_deferrals(deferrals, client_for):
    assert amounts(chart(client_for("admin_a"))) == {"增值税": "400,000.00", "印花税": "0.10"}
    assert amounts(chart(client_for("admin_b"))) == {"增值税": "7,675,607.36", "印花税": "0.20"}


def test_outsiders_get_nothing(deferrals, client_for, client):
    for username in ("volunteer", "officer_a", "gate_a"):  # tax affairs are confidential
        assert client_for(username).get(URL).status_code == 404
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_totals_cost_two_queries_however_many_deferrals(
    tax, zone, deferrals, client_for, django_assert_num_queries
):
    with django_assert_num_queries(2):
        selectors.deferral_totals(actor=zone.commander)
    client = client_for("commander")
    with CaptureQueriesContext(connection) as few:
        chart(client)
    for months_back in range(2, 6):
        apply(tax, zone.admin_a, zone.enterprise_a, [("stamp", "1.00")], {"approve": True}, months_back=months_back)
    with CaptureQueriesContext(connection) as many:
        data = chart(client)
    assert len(data_queries(many)) == len(data_queries(few)) == 2
    assert amounts(data)["印花税"] == "4.30"
