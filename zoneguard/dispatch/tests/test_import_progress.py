"""Monthly progress from an Excel list: all rows or none, every bad row reported with its line."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.dispatch import imports, services
from zoneguard.dispatch.models import MonthlyProgress

from .conftest import project_data

pytestmark = pytest.mark.django_db

HEADERS = ("项目名称", "月份", "本月完成投资（万元）", "在岗人数", "备注")


def xlsx(rows: list[tuple[Any, ...]], headers: tuple[str, ...] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_good_list_writes_every_month(zone: Any, dispatch: Any) -> None:
    data = xlsx(
        [
            ("高新区标准厂房三期", "2020-01", "0.10", 30, "节前"),
            ("高新区标准厂房三期", date(2020, 2, 1), 1200.7, "412", ""),
        ]
    )
    report = imports.progress_import(actor=zone.admin_a, data=data)
    assert report.written, [r.errors for r in report.rows] + report.header_errors
    months = MonthlyProgress.objects.filter(project=dispatch.project).order_by("month")
    assert [(m.month, m.invested, m.workers_on_site) for m in months] == [
        (date(2020, 1, 1), Decimal("0.10"), 30),
        (date(2020, 2, 1), Decimal("1200.70"), 412),
    ]
    assert AuditEvent.objects.filter(action="import", object_type="dispatch.monthlyprogress").count() == 1


def test_one_bad_row_writes_nothing_and_every_error_has_its_line(zone: Any, dispatch: Any) -> None:
    services.project_create(actor=zone.commander, data=project_data(zone, name="别家项目", owner=zone.enterprise_b))
    data = xlsx(
        [
            ("高新区标准厂房三期", "2020-01", "5", 30, ""),
            ("高新区标准厂房三期", "2020年1月", "6", 30, ""),  # same month again
            ("别家项目", "2020-02", "1", 1, ""),  # not admin A's
            ("高新区标准厂房三期", "二月", "-1", "很多", ""),
            ("高新区标准厂房三期", "2020-03", "1.001", "", ""),
        ]
    )
    report = imports.progress_import(actor=zone.admin_a, data=data)
    assert not report.written
    assert [row.number for row in report.invalid_rows] == [3, 4, 5, 6]
    assert len(report.invalid_rows[2].errors) == 3
    assert not MonthlyProgress.objects.exists()


def test_a_future_month_refused_while_writing_writes_nothing(zone: Any, dispatch: Any) -> None:
    data = xlsx([("高新区标准厂房三期", "2020-01", "5", 30, ""), ("高新区标准厂房三期", "2099-01", "5", 30, "")])
    report = imports.progress_import(actor=zone.commander, data=data)
    assert not report.written
    assert report.invalid_rows[0].number == 3
    assert not MonthlyProgress.objects.exists()


def test_missing_columns_are_named(zone: Any, dispatch: Any) -> None:
    report = imports.progress_import(actor=zone.commander, data=xlsx([("x",)], headers=("项目名称",)))
    assert report.header_errors and not report.written


def test_the_template_reads_back_as_an_empty_list(zone: Any, dispatch: Any) -> None:
    buffer = io.BytesIO()
    imports.progress_template().save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["A2"].value.startswith("项目名称")
    report = imports.progress_import(actor=zone.commander, data=buffer.getvalue())
    assert report.header_errors and not report.written
