"""The rates page's charts: resumption rate by sector and of building projects, and over the last
14 days, on the small known zone, through the same scope as the page.

Zone: enterprise A (manufacturing), enterprise B (manufacturing), project 丙 (construction, of A's
group), market 丁 (no sector). A resumes on 02-20, 丙 on 02-25, B waits for review, 丁 has not filed."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneguard.registry.models import Organisation, OrganisationKind
from zoneguard.resumption import selectors
from zoneguard.resumption.models import FilingStatus, ResumptionFiling
from zoneguard.testing import data_queries, valid_credit_code

from .test_selectors_rates import filings  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("filings")

SECTORS = "/resumption/rates/chart/sectors/"
DAYS = "/resumption/rates/chart/days/"


def chart(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def figures(data):
    """{category: label} of a chart's one series."""
    (series,) = data["series"]
    return dict(zip(data["categories"], series["labels"], strict=True))


def test_it_draws_each_sector_and_the_building_projects(zone, client_for):
    data = chart(client_for("commander"), SECTORS, day="2020-02-21")
    assert data["title"] == "2020-02-21 各行业及在建项目复工率"
    assert data["unit"] == "%"
    assert data["categories"] == ["建筑业", "制造业", "未分行业", "在建项目"]  # sectors by pinyin, then the rest
    assert data["series"][0]["name"] == "复工率"
    assert data["series"][0]["data"] == [0.0, 50.0, 0.0, 0.0]
    assert figures(data) == {
        "建筑业": "0%（0/1）",
        "制造业": "50%（1/2）",
        "未分行业": "0%（0/1）",
        "在建项目": "0%（0/1）",
    }
    after = chart(client_for("commander"), SECTORS, day="2020-02-25")
    assert figures(after)["在建项目"] == "100%（1/1）"


def test_it_follows_the_page_s_filters(zone, client_for):
    data = chart(client_for("commander"), SECTORS, day="2020-02-21", kind="enterprise")
    assert figures(data) == {"制造业": "50%（1/2）"}
    today = chart(client_for("commander"), SECTORS, day="not a day")  # as the page: today
    assert today["title"].startswith(timezone.localdate().isoformat())


def test_the_line_holds_the_overall_rate_of_each_of_the_last_14_days(zone, client_for):
    data = chart(client_for("commander"), DAYS, day="2020-02-26")
    assert data["title"] == "近14日复工率"
    assert data["categories"] == [f"02-{d:02d}" for d in range(13, 27)]
    (series,) = data["series"]
    assert series["data"] == [0.0] * 7 + [25.0] * 5 + [50.0] * 2  # A from 02-20, 丙 from 02-25, of 4
    assert series["labels"][-1] == "50%"
    # The same figures as the page gives for each of those days.
    for i, day in enumerate(date(2020, 2, 13) + timedelta(days=n) for n in range(14)):
        rate = selectors.resumption_rates(actor=zone.commander, day=day).overall.resumption_rate
        assert series["data"][i] == round(rate * 100, 1)


def test_an_organisation_admin_sees_only_its_own_organisations(zone, client_for):
    own = chart(client_for("admin_a"), SECTORS, day="2020-02-26")
    assert figures(own) == {"建筑业": "100%（1/1）", "制造业": "100%（1/1）", "在建项目": "100%（1/1）"}
    assert chart(client_for("admin_a"), DAYS, day="2020-02-26")["series"][0]["data"][-1] == 100.0
    other = chart(client_for("admin_b"), SECTORS, day="2020-02-26")
    assert figures(other) == {"制造业": "0%（0/1）"}  # B alone: nothing of A, its project or the market
    assert set(chart(client_for("admin_b"), DAYS, day="2020-02-26")["series"][0]["data"]) == {0.0}


def test_outsiders_get_nothing(zone, client_for, client):
    for url in (SECTORS, DAYS):
        data = chart(client_for("volunteer"), url, day="2020-02-26")
        assert data["categories"] == [] and data["series"][0]["data"] == []
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_last_14_days_cost_two_queries_however_many_organisations(zone, client_for, django_assert_num_queries):
    days = [date(2020, 2, 13) + timedelta(days=n) for n in range(14)]
    with django_assert_num_queries(2):
        selectors.resumption_history(actor=zone.commander, days=days)
    client = client_for("commander")
    with CaptureQueriesContext(connection) as few:
        chart(client, DAYS, day="2020-02-26")
    for n in range(6):
        organisation = Organisation.objects.create(
            name=f"新企业{n}", kind=OrganisationKind.ENTERPRISE, credit_code=valid_credit_code(500 + n)
        )
        ResumptionFiling.objects.create(
            organisation=organisation,
            status=FilingStatus.APPROVED,
            planned_date=days[n],
            resumed_on=days[n],
            staff_expected=1,
            staff_local=1,
            staff_other_provinces=0,
            responsible_name="彭琪",
            responsible_phone="13800138000",
            submitted_at=timezone.now(),
        )
    with CaptureQueriesContext(connection) as many:
        data = chart(client, DAYS, day="2020-02-26")
    assert len(data_queries(many)) == len(data_queries(few)) == 2
    assert data["series"][0]["labels"][-1] == "80%"  # 8 of 10
