"""core/excel.py: text written as text."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from zoneguard.core.excel import build_workbook, cell


def saved(workbook: Workbook) -> list[list]:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return [list(row) for row in load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows()]


# --- Out ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_it_writes_text_as_text_and_numbers_and_dates_as_such(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    values = [
        "=1+2",
        "＝1+2",
        "#N/A",
        "企业甲",
        3,
        2.5,
        Decimal("10.20"),
        date(2020, 2, 21),
        datetime(2020, 2, 21, 2, 0, tzinfo=ZoneInfo("UTC")),
    ]
    sheet.append([cell(sheet, v) for v in values])
    row = saved(workbook)[0]
    assert [c.value for c in row[:4]] == ["=1+2", "＝1+2", "#N/A", "企业甲"]
    assert [c.data_type for c in row[:4]] == ["s", "s", "s", "s"]
    assert [bool(c.quotePrefix) for c in row[:4]] == [True, True, False, False]
    assert [c.value for c in row[4:7]] == [3, 2.5, 10.2] and {c.data_type for c in row[4:7]} == {"n"}
    assert row[7].value == datetime(2020, 2, 21) and row[7].is_date
    assert row[8].value == datetime(2020, 2, 21, 10, 0)  # Asia/Shanghai, as officers read times


def test_it_drops_control_characters_a_workbook_cannot_hold_instead_of_failing_the_export():
    workbook = build_workbook(title="t", headers=["名称"], rows=[["企业\x0b甲"]])
    assert saved(workbook)[2][0].value == "企业甲"


def test_titles_headers_and_totals_are_text_too():
    workbook = build_workbook(title="=标题", headers=["=列", "数"], rows=[["a", 1]], totals=["=合计", 1])
    rows = saved(workbook)
    assert [(rows[0][0].value, rows[0][0].data_type), (rows[1][0].data_type), (rows[3][0].data_type)] == [
        ("=标题", "s"),
        "s",
        "s",
    ]
