"""The daily reports page's chart: reports filed against reports due on each of the last 14 days,
counted as the page counts them, through the same scope.

Enterprise A, enterprise B and project 丙 resume on 2020-02-20 (conftest `resumed`); market 丁 does
not. A files on 02-20, 02-21 and 02-22, B on 02-21, 丙 never; A's report of 02-18 (before it was
open) and the market's are not owed, so not counted."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneguard.reports import selectors
from zoneguard.reports.models import DailyReport
from zoneguard.resumption.tests.conftest import review_rules  # noqa: F401 (fixture)
from zoneguard.testing import data_queries

URL = "/reports/chart/"
DAYS = [date(2020, 2, 9) + timedelta(days=n) for n in range(14)]  # the 14 days ending 02-22


def report(organisation, day):
    return DailyReport.objects.create(organisation=organisation, day=day, staff_on_duty=1, filed_at=timezone.now())


def reports_filed(zone):
    for day in (18, 20, 21, 22):
        report(zone.enterprise_a, date(2020, 2, day))
    report(zone.enterprise_b, date(2020, 2, 21))
    report(zone.market, date(2020, 2, 21))


def chart(client, **params):
    response = client.get(URL, {"day": "2020-02-22", **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def columns(data):
    """(filed, due) of each day."""
    filed, due = data["series"]
    return list(zip(filed["data"], due["data"], strict=True))


def test_it_counts_reports_filed_and_due_on_each_day(zone, resumed, client_for):
    reports_filed(zone)
    data = chart(client_for("commander"))
    assert data["title"] == "近14日防控日报应报与已报情况"
    assert data["categories"] == [f"02-{d:02d}" for d in range(9, 23)]
    filed, due = data["series"]
    assert (filed["name"], filed["type"], due["name"], due["type"]) == ("已填报", "bar", "应报", "line")
    assert columns(data) == [(0, 0)] * 11 + [(1, 3), (2, 3), (1, 3)]
    assert filed["labels"][-3:] == ["1", "2", "1"]
    # The same figures as the page shows for each of those days.
    for (n_filed, n_due), day in zip(columns(data), DAYS, strict=True):
        overview = selectors.day_overview(actor=zone.commander, day=day)
        assert (n_filed, n_due) == (len(overview.filed), len(overview.rows))


def test_it_follows_the_page_s_day(zone, resumed, client_for):
    reports_filed(zone)
    data = chart(client_for("commander"), day="2020-02-21")
    assert data["categories"][-1] == "02-21"
    assert columns(data)[-2:] == [(1, 3), (2, 3)]
    today = chart(client_for("commander"), day="")
    assert today["categories"][-1] == f"{timezone.localdate():%m-%d}"


def test_each_sees_the_reports_of_its_own_organisations(zone, resumed, client_for):
    reports_filed(zone)
    assert columns(chart(client_for("admin_a")))[-3:] == [(1, 2), (1, 2), (1, 2)]  # A and its project
    assert columns(chart(client_for("admin_b")))[-3:] == [(0, 1), (1, 1), (0, 1)]  # B alone
    assert columns(chart(client_for("officer_b")))[-3:] == [(0, 1), (0, 1), (0, 1)]  # building projects


def test_outsiders_get_nothing(zone, resumed, client_for, client):
    reports_filed(zone)
    assert set(columns(chart(client_for("volunteer")))) == {(0, 0)}
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_fourteen_days_cost_two_queries_however_many_reports(zone, resumed, client_for, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.filing_by_day(actor=zone.commander, days=DAYS)
    client = client_for("commander")
    with CaptureQueriesContext(connection) as few:
        chart(client)
    reports_filed(zone)
    for day in range(10, 18):
        report(zone.enterprise_b, date(2020, 2, day))
    with CaptureQueriesContext(connection) as many:
        chart(client)
    assert len(data_queries(many)) == len(data_queries(few)) == 2
