"""The charts of the resumption rates, daily reports, gates' today and deferral summary pages, in
Chromium as the commander: each canvas is drawn (non-blank pixels, the series' colour among them)
on a desktop, on a 390 px phone and for print, with nothing blocked by the Content-Security-Policy."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zoneguard.gates.services.checkins import checkin_record
from zoneguard.health.models import Declaration
from zoneguard.registry.models import CompetenceRule
from zoneguard.reports import services as reports
from zoneguard.reports.models import DailyReport
from zoneguard.resumption import services as resumption
from zoneguard.resumption.models import FilingReviewRule
from zoneguard.resumption.tests.conftest import backdate
from zoneguard.tax import services as tax_services
from zoneguard.tax.tests.builders import build_tax, hardship_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# (page, the charts on it, the screenshots' name)
PAGES = [
    ("/resumption/rates/", ["chart-sectors", "chart-days"], "charts-resumption"),
    ("/reports/", ["chart-reports"], "charts-reports"),
    ("/gates/", ["chart-gates"], "charts-gates"),
    ("/tax/deferrals/summary/", ["chart-tax"], "charts-tax"),
]

# Pixels of the chart's canvas: those drawn at all (not transparent, not white), and those in the
# first series' blue (#1f5fbf, smoothed edges included), which only the figures are drawn in.
PIXELS = """(chart) => {
  const canvas = chart.querySelector("canvas");
  if (!canvas) return {inked: 0, series: 0, width: 0};
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0, series = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (a > 0 && !(r > 240 && g > 240 && b > 240)) inked++;
    if (a > 128 && b > 150 && r < 90 && g > 60 && g < 140) series++;
  }
  const box = canvas.getBoundingClientRect();
  return {inked: inked, series: series, width: box.width, ratio: box.height / box.width,
          drawnRatio: canvas.height / canvas.width};
}"""


@dataclass
class Gate:
    client_id: uuid.UUID
    site_id: int
    checked_at: datetime
    id_number: str
    temperature: Decimal
    direction: str = "in"
    card_code: None = None
    photo: None = None


@pytest.fixture
def figures(zone):
    """Enterprise A open for ten days and project 丙 for three, reports filed on some of those days,
    people let in and one refused with a fever at A's gate today, and two approved deferrals."""
    today = timezone.localdate()
    for rule in CompetenceRule.objects.all():
        FilingReviewRule.objects.create(competence_rule=rule)
    for organisation, days in ((zone.enterprise_a, 10), (zone.project, 3)):
        filing = resumption.filing_submit(
            actor=zone.admin_a,
            organisation=organisation,
            data={
                "planned_date": today,
                "staff_expected": 8,
                "staff_local": 8,
                "staff_other_provinces": 0,
                "responsible_name": "彭琪",
                "responsible_phone": "13800138000",
            },
        )
        approved = resumption.filing_decide(actor=zone.commander, filing=filing, approve=True)
        backdate(approved, today - timedelta(days=days))
    for days in (1, 2, 4, 5, 6, 8):
        DailyReport.objects.create(
            organisation=zone.enterprise_a, day=today - timedelta(days=days), staff_on_duty=8, filed_at=timezone.now()
        )
    reports.report_file(
        actor=zone.admin_a,
        organisation=zone.enterprise_a,
        data={"staff_on_duty": 9, "staff_isolating": 0, "temperature_anomalies": 0, "masks_in_stock": 100},
    )
    now = timezone.now()
    for person in zone.staff_a:
        Declaration.objects.create(
            person=person,
            name=person.name,
            phone=person.phone,
            status="green",
            valid_until=now + timedelta(hours=24),
            declared_at=now,
        )
    for person, temperature in [(p, "36.5") for p in zone.staff_a[:2]] + [(zone.staff_a[2], "38.4")]:
        checkin_record(
            actor=zone.gate_a,
            item=Gate(uuid.uuid4(), zone.site_a.pk, now, person.id_number, Decimal(temperature)),
        )
    tax = build_tax(zone)
    for admin, organisation, items in (
        (zone.admin_a, zone.enterprise_a, [("vat", "420000.00"), ("stamp", "39746.00")]),
        (zone.admin_b, zone.enterprise_b, [("vat", "7675607.36")]),
    ):
        deferral = tax_services.deferral_apply(
            actor=admin,
            organisation=organisation,
            months=3,
            reason="疫情冲击",
            items=items,
            evidence=[hardship_evidence()],
        )
        tax_services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True)


def drawn(page, testid):
    chart = page.get_by_test_id(testid)
    expect(chart).to_have_attribute("data-chart-state", "drawn")
    return chart.evaluate(PIXELS)


def test_the_commander_s_chart_pages_draw_their_charts(
    zone, figures, live_server, page, sign_in, screenshot, csp_violations
):
    sign_in(page, "commander")
    for path, charts, name in PAGES:
        for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}{path}")
            for testid in charts:
                pixels = drawn(page, testid)
                assert pixels["inked"] > 2000, (path, testid, pixels)
                assert pixels["series"] > 100, (path, testid, pixels)
                assert pixels["width"] <= viewport["width"], (path, testid, pixels)
                caption = page.get_by_test_id(testid).locator("xpath=..").locator(".chart-title")
                expect(caption).not_to_be_empty()
                # The tooltip, drawn as rich text: an HTML one would write style attributes.
                page.get_by_test_id(testid).hover()
            screenshot(page, f"{name}-{suffix}")
    assert csp_violations == []


def test_charts_follow_the_window_and_the_paper(zone, figures, live_server, page, sign_in, screenshot):
    sign_in(page, "commander")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/resumption/rates/")
    drawn(page, "chart-days")
    chart = page.get_by_test_id("chart-days")
    desktop = int(chart.get_attribute("data-chart-width"))
    page.set_viewport_size(PHONE)  # a phone turned, a window narrowed: redrawn to the new width
    expect(chart).not_to_have_attribute("data-chart-width", str(desktop))
    assert int(chart.get_attribute("data-chart-width")) < PHONE["width"]
    page.set_viewport_size(DESKTOP)
    expect(chart).to_have_attribute("data-chart-width", str(desktop))

    page.emulate_media(media="print")
    expect(chart).to_have_attribute("data-chart-width", "680")  # A4 less 15 mm margins, in CSS pixels
    pixels = drawn(page, "chart-days")
    assert pixels["inked"] > 2000 and pixels["series"] > 100
    # Drawn for the paper, and scaled to the page's width on it without being stretched.
    assert pixels["ratio"] == pytest.approx(pixels["drawnRatio"], rel=0.01)
    screenshot(page, "charts-resumption-print")
    page.emulate_media(media="screen")
    expect(chart).to_have_attribute("data-chart-width", str(desktop))
