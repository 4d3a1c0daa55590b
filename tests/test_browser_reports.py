"""An enterprise administrator files today's daily prevention report in Chinese; the officer's
page shows it filed and the late filers; the Excel export holds the right totals."""

from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from zoneguard.registry.models import CompetenceRule
from zoneguard.resumption import services as resumption
from zoneguard.resumption.models import FilingReviewRule
from zoneguard.resumption.tests.conftest import backdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resumed(zone, settings):
    settings.REPORT_DEADLINE = "00:00"  # today's missing reports are late whenever the test runs
    for rule in CompetenceRule.objects.all():
        FilingReviewRule.objects.create(competence_rule=rule)
    for admin, organisation, staff in ((zone.admin_a, zone.enterprise_a, 10), (zone.admin_b, zone.enterprise_b, 5)):
        filing = resumption.filing_submit(
            actor=admin,
            organisation=organisation,
            data={
                "planned_date": timezone.localdate(),
                "staff_expected": staff,
                "staff_local": staff,
                "staff_other_provinces": 0,
                "responsible_name": "彭琪",
                "responsible_phone": "13800138000",
            },
        )
        backdate(resumption.filing_decide(actor=zone.officer_a, filing=filing, approve=True), date(2020, 2, 20))


def test_an_admin_files_today_s_report_and_the_officer_exports_the_day(
    zone, resumed, live_server, page, sign_in, screenshot, tmp_path
):
    page.set_viewport_size({"width": 390, "height": 844})  # the administrator is on a phone
    sign_in(page, "admin_a")
    page.get_by_role("link", name="防控日报", exact=True).first.click()
    page.get_by_role("link", name="填报 企业甲 今日日报").click()
    expect(page.get_by_role("heading", name="企业甲 防控日报")).to_be_visible()
    page.get_by_label("在岗人数").fill("9")
    page.get_by_label("隔离人数").fill("1")
    page.get_by_label("发现体温异常").fill("0")
    page.get_by_label("已完成消毒").check()
    page.get_by_label("口罩库存").fill("3000")
    page.get_by_label("消毒液库存（升）").fill("20.5")
    page.get_by_label("存在问题及需求").fill("酒精库存不足，请协调。")
    screenshot(page, "reports-file-today-zh")
    page.get_by_role("button", name="提交日报").click()
    page.wait_for_url(f"{live_server.url}/reports/*/")
    expect(page.get_by_text("今日日报已填报。")).to_be_visible()
    expect(page.get_by_test_id("on-duty")).to_have_text("9 / 10")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "officer_a")
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_test_id("filed-count")).to_have_text("1")
    expect(page.get_by_test_id("late-count")).to_have_text("1")
    expect(page.get_by_test_id("filed")).to_contain_text("企业甲")
    expect(page.get_by_test_id("missing")).to_contain_text("企业乙")
    expect(page.get_by_test_id("missing")).to_contain_text("逾期未报")
    screenshot(page, "reports-officer-day")

    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    path = tmp_path / "day.xlsx"
    download.value.save_as(path)
    workbook = load_workbook(path)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0].startswith("防控日报表 ")
    column = {name: i for i, name in enumerate(rows[1])}
    assert [r[column["单位"]] for r in rows[2:-1]] == ["企业甲", "企业乙"]  # by pinyin: jia, yi
    totals = rows[-1]
    assert totals[column["日报"]] == "已填报 1 / 2"
    assert (totals[column["职工总数"]], totals[column["在岗人数"]], totals[column["隔离人数"]]) == (15, 9, 1)
    assert (totals[column["口罩库存"]], totals[column["消毒液库存（升）"]]) == (3000, 20.5)
    summary = {r[0]: r for r in workbook.worksheets[1].iter_rows(min_row=3, values_only=True)}
    assert summary["全区合计"][1:3] == (3, 2)  # enterprises A and B resumed, market 丁 not
