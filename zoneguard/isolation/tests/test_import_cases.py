"""Cases from an Excel list: all rows or none, every bad row reported with its line."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from zoneguard.isolation import imports
from zoneguard.isolation.models import IsolationCase
from zoneguard.registry.models import Person
from zoneguard.testing import make_person, valid_id_number

HEADERS = ("姓名", "身份证号", "手机号", "社区", "地址", "原因", "开始日期")


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_good_list_opens_every_case_and_registers_the_unknown_as_residents(zone):
    known = make_person(name="王芳", organisation=zone.community)
    start = timezone.localdate() - timedelta(days=2)
    data = xlsx(
        [
            ("王芳", known.id_number, "13912345678", "祥光社区", "祥光小区1栋", "密切接触者", start),
            ("李四", valid_id_number(), "13700000001", "", "祥光小区2栋", "risk_area", ""),
        ]
    )
    report = imports.cases_import(actor=zone.community_worker, data=data)
    assert report.written, [r.errors for r in report.rows] + report.header_errors
    cases = {c.person.name: c for c in IsolationCase.objects.select_related("person")}
    assert (cases["王芳"].reason, cases["王芳"].start_date, cases["王芳"].source) == ("close_contact", start, "import")
    assert cases["李四"].reason == "risk_area" and cases["李四"].community == zone.community
    assert Person.objects.get(name="李四").memberships.get().organisation == zone.community


def test_a_list_with_bad_rows_opens_nothing_and_names_every_bad_row(zone):
    known = make_person(name="王芳", organisation=zone.community)
    imports.cases_import(actor=zone.community_worker, data=xlsx([("王芳", known.id_number, "", "", "", "其他", "")]))
    number = valid_id_number()
    data = xlsx(
        [
            ("李四", number, "", "", "", "其他", ""),
            ("", "123", "", "", "", "其他", ""),  # row 3: no name, a bad ID number
            ("张三", valid_id_number(), "", "别的社区", "", "其他", ""),  # row 4: not a community followed
            ("赵六", valid_id_number(), "", "", "", "感冒", "2020-13-45"),  # row 5: reason, date
            ("李四", number, "", "", "", "其他", ""),  # row 6: the same person twice
            ("王芳", known.id_number, "", "", "", "其他", ""),  # row 7: already isolating
        ]
    )
    report = imports.cases_import(actor=zone.community_worker, data=data)
    assert not report.written
    assert [r.number for r in report.invalid_rows] == [3, 4, 5, 6, 7]
    assert len(report.rows[3].errors) == 2
    assert IsolationCase.objects.count() == 1
    assert not Person.objects.filter(name="李四").exists()


def test_the_template_reads_back_and_a_file_without_the_columns_is_refused(zone):
    buffer = io.BytesIO()
    imports.cases_template().save(buffer)
    headers = [c.value for c in load_workbook(buffer).active[2]]
    assert headers[0].startswith("姓名") and headers[5].startswith("原因")
    report = imports.cases_import(actor=zone.community_worker, data=xlsx([("x",)], headers=("姓名",)))
    assert report.header_errors and not report.written


def test_the_import_page_reports_and_outsiders_get_none(zone, client_for):
    client = client_for("community_worker")
    data = xlsx([("", "123", "", "", "", "其他", "")])
    page = client.post("/isolation/import/", {"file": io.BytesIO(data)}, format="multipart")
    assert page.status_code == 200 and 'data-testid="import-report"' in page.content.decode()
    assert client.get("/isolation/import/template.xlsx").status_code == 200
    assert client_for("admin_a").get("/isolation/import/").status_code == 403
