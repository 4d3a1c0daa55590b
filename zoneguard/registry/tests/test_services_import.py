"""Bulk staff import: every row is checked first; nothing is written unless all rows are valid."""

import io

from openpyxl import Workbook, load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.registry.imports import staff_import, staff_template
from zoneguard.registry.models import Membership, Person
from zoneguard.testing import valid_id_number


def xlsx(rows, headers=("姓名 (Name)", "身份证号 (ID number)", "手机号 (Mobile phone)", "岗位 (Position)"), title=True):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["职工名单"])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_imports_every_row_when_all_are_valid(zone):
    rows = [("张一", valid_id_number(), "13800000011", "焊工"), ("张二", valid_id_number(), "", "")]
    report = staff_import(actor=zone.admin_a, organisation=zone.enterprise_a, data=xlsx(rows))
    assert report.written
    assert (report.created, report.linked) == (2, 0)
    assert Membership.objects.filter(organisation=zone.enterprise_a, person__name__in=["张一", "张二"]).count() == 2
    assert AuditEvent.objects.filter(action="import", object_id=str(zone.enterprise_a.pk)).get().detail["rows"] == 2


def test_it_writes_nothing_when_one_row_is_wrong(zone):
    before = (Person.objects.count(), Membership.objects.count())
    rows = [
        ("张一", valid_id_number(), "13800000011", ""),
        ("张二", "110105194912310021", "", ""),  # wrong check digit
        ("", valid_id_number(), "12345", ""),  # no name, bad phone
    ]
    report = staff_import(actor=zone.admin_a, organisation=zone.enterprise_a, data=xlsx(rows))
    assert not report.written
    assert [row.number for row in report.invalid_rows] == [4, 5]
    assert any("校验码" in error for error in report.invalid_rows[0].errors)
    assert len(report.invalid_rows[1].errors) == 2
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_it_reports_the_same_id_number_twice_in_one_file(zone):
    number = valid_id_number()
    report = staff_import(
        actor=zone.admin_a,
        organisation=zone.enterprise_a,
        data=xlsx([("张一", number, "", ""), ("张一", number, "", "")]),
    )
    assert not report.written
    assert report.invalid_rows[0].errors == ["第 3 行的身份证号与此相同。"]


def test_it_links_people_already_registered_elsewhere(zone):
    other = zone.staff_b[0]
    report = staff_import(
        actor=zone.admin_a, organisation=zone.enterprise_a, data=xlsx([(other.name, other.id_number, "", "兼职")])
    )
    assert report.written
    assert (report.created, report.linked) == (0, 1)
    assert other.memberships.count() == 2


def test_it_reads_numbers_typed_as_numbers_and_a_bare_header_row(zone):
    number = valid_id_number(born="19800101")
    rows = [("李四", number, 13800000012, "")]
    report = staff_import(
        actor=zone.admin_a,
        organisation=zone.enterprise_a,
        data=xlsx(rows, headers=("姓名", "身份证号", "手机号", "岗位"), title=False),
    )
    assert report.written, report.invalid_rows
    assert Person.objects.get(id_number=number).phone == "13800000012"


def test_it_refuses_a_file_without_the_required_columns(zone):
    report = staff_import(actor=zone.admin_a, organisation=zone.enterprise_a, data=xlsx([("x",)], headers=("工号",)))
    assert not report.written
    assert report.header_errors


def test_it_refuses_a_file_that_is_not_excel(zone):
    report = staff_import(actor=zone.admin_a, organisation=zone.enterprise_a, data=b"name,id\n")
    assert report.header_errors == ["文件不是 Excel 工作簿（.xlsx）。"]


def test_its_template_round_trips(zone):
    buffer = io.BytesIO()
    staff_template().save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    sheet.append(["王六", valid_id_number(), "13800000013", "电工"])
    out = io.BytesIO()
    sheet.parent.save(out)
    report = staff_import(actor=zone.admin_a, organisation=zone.enterprise_a, data=out.getvalue())
    assert report.written, (report.header_errors, report.invalid_rows)


def test_its_template_says_each_heading_once_in_chinese_and_twice_in_english(zone):
    from django.utils import translation

    def headings(language):
        with translation.override(language):
            buffer = io.BytesIO()
            staff_template().save(buffer)
        sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
        return [cell.value for cell in sheet[2]]  # under the title

    chinese = headings("zh-hans")
    assert chinese[:2] == ["姓名", "身份证号"], chinese
    assert headings("en")[0] == "姓名 (Name)"


def test_it_shows_the_per_row_report_on_the_page(zone, client_for):
    data = xlsx([("张二", "110105194912310021", "", "")])
    upload = io.BytesIO(data)
    upload.name = "staff.xlsx"
    response = client_for("admin_a").post(f"/registry/organisations/{zone.enterprise_a.pk}/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "未导入任何数据" in page
    assert "身份证号校验码错误" in page


def test_it_refuses_an_import_into_another_organisation(zone, client_for):
    upload = io.BytesIO(xlsx([("张一", valid_id_number(), "", "")]))
    upload.name = "staff.xlsx"
    response = client_for("admin_a").post(f"/registry/organisations/{zone.enterprise_b.pk}/import/", {"file": upload})
    assert response.status_code == 404
    assert not Person.objects.filter(name="张一").exists()
