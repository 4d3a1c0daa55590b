"""The daily-reports overview counts in the database and pages its two lists: the totals are the
full counts, and the pages together hold every missing and every filed report."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.paginator import Paginator
from django.test import override_settings
from django.utils import timezone

from zoneguard.reports import selectors, services
from zoneguard.reports.tests.conftest import report_data
from zoneguard.resumption.tests.conftest import review_rules  # noqa: F401 (fixture)

DAY = date(2020, 2, 21)
LATE = datetime(2020, 2, 21, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def filed_one(zone, resumed, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DAY)
    services.report_file(actor=zone.admin_b, organisation=zone.enterprise_b, data=report_data(temperature_anomalies=2))


def test_the_totals_are_the_full_counts(zone, filed_one):
    for actor in (zone.commander, zone.admin_a, zone.admin_b, zone.officer_a):
        full = selectors.day_overview(actor=actor, day=DAY, now=LATE)
        summary = selectors.day_summary(actor=actor, day=DAY, now=LATE)
        assert (summary.due, summary.filed, summary.late) == (len(full.rows), len(full.filed), len(full.late))
        assert summary.staff_on_duty == full.total_staff_on_duty
        missing = Paginator(selectors.missing_reports(actor=actor, day=DAY), 1)
        filed = Paginator(selectors.filed_reports(actor=actor, day=DAY), 1)
        assert missing.count == len(full.missing) and filed.count == len(full.filed)
        paged = [o.pk for n in missing.page_range for o in missing.page(n)]
        assert sorted(paged) == sorted(r.organisation.pk for r in full.missing)


@override_settings(PAGE_SIZE=1)
def test_the_overview_shows_a_page_of_late_filers_and_the_totals_of_all(zone, filed_one, client_for):
    page = client_for("commander").get(f"/reports/?day={DAY:%Y-%m-%d}").content.decode()
    assert 'data-testid="due-count">3<' in page and 'data-testid="filed-count">1<' in page
    assert "?day=2020-02-21&amp;page=2" in page or "page=2" in page
    missing = page.split('data-testid="missing"')[1].split("</table>")[0]
    assert missing.count("<tr>") == 2  # the header and one organisation


def test_an_outsider_sees_nothing_of_another_organisations_reports(zone, filed_one, client_for):
    page = client_for("admin_a").get(f"/reports/?day={DAY:%Y-%m-%d}").content.decode()
    assert zone.enterprise_b.name not in page
