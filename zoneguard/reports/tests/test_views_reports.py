"""The report pages: file and amend today's report, the officer's day page, the Excel export."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zoneguard.reports import services
from zoneguard.reports.models import DailyReport
from zoneguard.reports.tests.conftest import report_data
from zoneguard.resumption.tests.conftest import review_rules  # noqa: F401 (fixture)
from zoneguard.testing import response_bytes


@pytest.fixture
def filed(zone, resumed):
    services.report_file(actor=zone.admin_a, organisation=zone.enterprise_a, data=report_data())
    services.report_file(
        actor=zone.admin_b,
        organisation=zone.enterprise_b,
        data=report_data(
            staff_on_duty=5, staff_isolating=0, temperature_anomalies=1, masks_in_stock=500, disinfectant_litres="4.5"
        ),
    )


def test_an_admin_files_and_amends_today_s_report(zone, resumed, client_for):
    client = client_for("admin_a")
    page = client.get("/reports/").content.decode()
    assert f"/reports/file/?organisation={zone.enterprise_a.pk}" in page
    assert f"/reports/file/?organisation={zone.project.pk}" in page
    form = {**report_data(), "disinfection_done": "on"}
    response = client.post(f"/reports/file/?organisation={zone.enterprise_a.pk}", form)
    report = DailyReport.objects.get()
    assert response.url == f"/reports/{report.pk}/"
    client.post(f"/reports/file/?organisation={zone.enterprise_a.pk}", {**form, "staff_on_duty": 10})
    report.refresh_from_db()
    assert (report.revision, report.staff_on_duty) == (2, 10)
    detail = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'data-testid="on-duty">10 / 10<' in detail


def test_the_officer_sees_filed_and_late_filers(zone, filed, client_for):
    page = client_for("officer_a").get("/reports/").content.decode()
    assert 'data-testid="filed-count">2<' in page
    assert "项目丙" not in page  # department B's building project
    page = client_for("commander").get("/reports/").content.decode()
    assert 'data-testid="due-count">3<' in page
    missing = page.split('data-testid="missing"')[1].split("</table>")[0]
    assert "项目丙" in missing and "企业甲" not in missing


def test_the_export_holds_one_row_per_organisation_and_the_totals(zone, filed, client_for):
    response = client_for("commander").get("/reports/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response_bytes(response)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"防控日报表 {timezone.localdate().isoformat()}"
    headers = rows[1]
    column = {name: i for i, name in enumerate(headers)}
    body, totals = rows[2:-1], rows[-1]
    assert [r[column["单位"]] for r in body] == ["项目丙", "企业甲", "企业乙"]  # names by pinyin: jia before yi
    assert body[0][column["日报"]] in {"逾期未报", "尚未填报"}
    assert totals[0] == "合计"
    assert (
        totals[column["职工总数"]],
        totals[column["在岗人数"]],
        totals[column["隔离人数"]],
        totals[column["体温异常"]],
        totals[column["口罩库存"]],
        totals[column["消毒液库存（升）"]],
    ) == (23, 8, 1, 1, 3500, 25.0)
    summary = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert summary[0][0].startswith("全区按行业汇总")
    by_sector = {r[0]: r[1:] for r in summary[2:]}
    assert by_sector["制造业"][:8] == (2, 2, 1.0, 2, 2, 15, 8, pytest.approx(8 / 15))
    assert by_sector["建筑业"][:6] == (1, 1, 1.0, 1, 0, 8)
    assert by_sector["全区合计"] == (4, 3, 0.75, 3, 2, 26, 8, pytest.approx(8 / 26), 1, 1)


def test_outsiders_are_refused(zone, filed, client_for):
    report = DailyReport.objects.get(organisation=zone.enterprise_a)
    outsider = client_for("admin_b")
    assert outsider.get(f"/reports/{report.pk}/").status_code == 404
    assert outsider.get(f"/reports/file/?organisation={zone.enterprise_a.pk}").status_code == 404
    assert outsider.post(f"/reports/file/?organisation={zone.enterprise_a.pk}", report_data()).status_code == 404
    workbook = load_workbook(io.BytesIO(response_bytes(client_for("volunteer").get("/reports/export/"))))
    assert len(list(workbook.worksheets[0].iter_rows())) == 3  # title, headers, totals: nothing to see
