"""core/excel.py: text written as text; uploads read within limits checked before and while reading."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from zoneguard.core.excel import (
    MAX_CHILDREN,
    MAX_PARTS,
    MAX_SHEETS,
    SpreadsheetRefused,
    _sheet_rows,
    build_workbook,
    cell,
    read_rows,
)
from zoneguard.testing import raw_xlsx, xlsx_row

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = (
    b'<workbook xmlns="' + MAIN + b'" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
)
SHEETS = b'<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
LIST = [xlsx_row("姓名", "身份证号"), xlsx_row("张三", "430408199001010011")]


def saved(workbook: Workbook) -> list[list]:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return [list(row) for row in load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows()]


def refusal(data: bytes, **kwargs) -> SpreadsheetRefused:
    with pytest.raises(SpreadsheetRefused) as caught:
        read_rows(data, **{"max_rows": 5000, **kwargs})
    return caught.value


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


# --- In -----------------------------------------------------------------------------------------


def test_it_reads_the_list_below_a_header_row():
    headers, rows = read_rows(raw_xlsx([xlsx_row("名单"), *LIST], dimension="A1:B3"), max_rows=10, header_row=2)
    assert headers == ["姓名", "身份证号"]
    assert rows == [(3, ["张三", "430408199001010011"])]


def test_it_reads_past_a_dimension_that_says_the_sheet_is_smaller():
    _headers, rows = read_rows(raw_xlsx([*LIST, xlsx_row("李四", "1")], dimension="A1"), max_rows=10)
    assert [values for _n, values in rows] == [["张三", "430408199001010011"], ["李四", "1"]]


@pytest.mark.parametrize(
    "data",
    [b"name,id\n", b"PK\x03\x04 not really a zip", b""],
    ids=["csv", "broken zip", "empty"],
)
def test_it_refuses_a_file_that_is_not_a_zip(data):
    assert refusal(data).code == "not_xlsx"


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(buffer.getvalue()).code == "not_xlsx"


def test_it_refuses_a_file_larger_than_the_upload_cap(settings):
    settings.SPREADSHEET_MAX_BYTES = 1024 * 1024
    error = refusal(b"PK" + b"\0" * (1024 * 1024))
    assert error.code == "file_too_large"
    assert error.message == "文件超过 1 MB，超出导入文件的大小上限。"


@pytest.mark.parametrize("cap", ["SPREADSHEET_MAX_UNPACKED_BYTES", "SPREADSHEET_MAX_PART_BYTES"])
def test_it_refuses_a_workbook_that_unpacks_past_a_cap_before_unpacking_it(settings, cap):
    setattr(settings, cap, 1024 * 1024)
    data = raw_xlsx([*LIST, *[xlsx_row("x" * 1000)] * 1100])
    assert len(data) < 100_000
    error = refusal(data)
    assert error.code == "unpacked_too_large"
    assert "1 MB" in error.message


def test_it_stops_reading_at_the_row_past_the_limit():
    # A cell openpyxl cannot read follows the row past the limit: reading it would fail the file.
    unreadable = b'<row><c t="n"><v>not a number</v></c></row>'
    data = raw_xlsx([*LIST, *[xlsx_row("王五", "1")] * 10, unreadable], dimension="A1:B13")
    error = refusal(data, max_rows=10)
    assert error.code == "too_many_rows"
    assert error.message == "工作表超过 10 行，一次最多导入 10 行。"
    assert refusal(raw_xlsx([*LIST, unreadable]), max_rows=10).code == "not_xlsx"


def test_it_counts_the_rows_of_a_sheet_without_a_dimension_before_openpyxl_reads_it_whole():
    # openpyxl reads a sheet without a dimension in full as it opens the file; empty rows cost
    # nothing to upload.
    data = raw_xlsx([*LIST, *[b"<row/>"] * 1_000_000])
    assert len(data) < 50_000
    tracemalloc.start()
    try:
        error = refusal(data, max_rows=10)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_many_rows"
    assert f"超过 {_sheet_rows(10)} 行" in error.message
    assert peak < 10 * 1024 * 1024


def test_it_stops_at_empty_rows_a_gap_in_the_row_numbers_makes():
    far = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    data = raw_xlsx([*LIST, far], dimension="A1:XFD1000000")
    assert refusal(data, max_rows=10).code == "too_many_rows"


def test_it_reads_the_first_columns_only():
    wide = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 500 + b"</row>"
    _headers, rows = read_rows(raw_xlsx([*LIST, wide]), max_rows=10, max_columns=20)
    assert len(rows[-1][1]) == 20


def _part(root: bytes, inner: bytes) -> bytes:
    return b"<" + root + b' xmlns="' + MAIN + b'">' + inner + b"</" + root + b">"


ROWS_IN_THE_WORKBOOK_PART = WORKBOOK.replace(b"<workbook", b"<worksheet") + SHEETS + b"<sheetData>"
ROWS_IN_THE_WORKBOOK_PART += b"<row/>" * 100 + b"</sheetData></worksheet>"
MANY_SHEETS = b"".join(b'<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (i, i) for i in range(MAX_SHEETS + 1))


@pytest.mark.parametrize(
    ("part", "content", "code"),
    [
        # Entities could expand past every count.
        ("xl/workbook.xml", b'<!DOCTYPE w [<!ENTITY a "aaaa">]>' + WORKBOOK + SHEETS + b"</workbook>", "not_xlsx"),
        # openpyxl builds the styles whole, one object per format...
        ("xl/styles.xml", _part(b"styleSheet", b"<cellXfs>" + b"<xf/>" * 30_000 + b"</cellXfs>"), "too_complex"),
        # ... opens every sheet the workbook lists...
        ("xl/workbook.xml", WORKBOOK + b"<sheets>" + MANY_SHEETS + b"</sheets></workbook>", "too_complex"),
        # ... and reads the workbook part whole, not as a stream.
        ("xl/workbook.xml", ROWS_IN_THE_WORKBOOK_PART, "too_complex"),
        # ... and keeps the cells of a row until the row ends.
        (
            "xl/worksheets/sheet1.xml",
            _part(b"worksheet", b"<sheetData><row>" + b"<c/>" * (MAX_CHILDREN + 1) + b"</row></sheetData>"),
            "too_complex",
        ),
        # It keeps every shared string in memory.
        ("xl/sharedStrings.xml", _part(b"sst", b"<si><t>a</t></si>" * 200_001), "too_complex"),
    ],
    ids=["doctype", "styles", "sheets", "rows in the workbook part", "cells of a row", "shared strings"],
)
def test_it_refuses_a_workbook_openpyxl_would_spend_far_more_on_than_a_list(part, content, code):
    assert refusal(raw_xlsx(LIST, parts={part: content})).code == code


def test_it_refuses_a_zip_of_more_parts_than_a_workbook_has_before_opening_it():
    data = raw_xlsx(LIST, parts={f"empty/{i}": b"" for i in range(MAX_PARTS + 1)})
    assert refusal(data).code == "too_complex"
