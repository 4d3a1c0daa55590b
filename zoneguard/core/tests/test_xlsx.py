"""core/xlsx.py: the table exports' streamed workbook reads back as the workbook openpyxl builds for
the same table, keeps user text as text, splits at Excel's row limit and holds no more than a chunk
of rows in memory."""

from __future__ import annotations

import io
import tempfile
import tracemalloc
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from zoneguard.core import xlsx
from zoneguard.core.excel import build_workbook, read_rows
from zoneguard.core.xlsx import write_xlsx

HEADERS = ["时间", "日期", "单位", "体温（°C）", "人数", "金额", "已核实", "备注"]
ROWS = [
    [
        datetime(2020, 2, 21, 0, 30, 15, tzinfo=ZoneInfo("UTC")),
        date(2020, 2, 21),
        "衡阳金化科技有限公司",
        36.5,
        12,
        Decimal("10.20"),
        True,
        None,
    ],
    ['=HYPERLINK("http://evil.example/","详情")', "", "＋1", "#N/A", -3, 0.1, False, "  两端有空格  "],
    ["a & b < c > d", "第一行\r\n第二行", "\t=1+2", "企业\x0b甲", "@SUM(1)", "-2+3", "'引号'", '"双引号"'],
]


def streamed(rows=ROWS, headers=HEADERS, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(
        buffer, title="出入记录（2020-02-21）", headers=headers, rows=iter(rows), sheet_name="出入记录", **kwargs
    )
    return buffer.getvalue()


def built(rows=ROWS, headers=HEADERS) -> bytes:
    buffer = io.BytesIO()
    build_workbook(title="出入记录（2020-02-21）", headers=headers, rows=rows, sheet_name="出入记录").save(buffer)
    return buffer.getvalue()


def cells(content: bytes) -> list[list]:
    """Every cell but those the title's merge covers."""
    return [
        [c for c in row if c.coordinate == "A1" or c.row > 1]
        for row in load_workbook(io.BytesIO(content)).active.iter_rows()
    ]


def test_it_reads_back_as_the_workbook_openpyxl_builds_for_the_same_table():
    ours, theirs = cells(streamed()), cells(built())
    assert len(ours) == len(theirs) == 2 + len(ROWS)
    for mine, reference in zip(ours, theirs, strict=True):
        for a, b in zip(mine, reference, strict=False):
            where = f"{b.coordinate}: {b.value!r}"
            # openpyxl writes an empty text as an empty text cell where this writer leaves the cell out.
            assert a.value == b.value, where
            assert a.data_type == b.data_type or a.value is None, where
            assert (bool(a.quotePrefix), a.is_date) == (bool(b.quotePrefix), b.is_date), where
            assert (a.font.b, a.font.sz or 11, a.fill.fgColor.rgb, a.alignment.horizontal) == (
                b.font.b,
                b.font.sz or 11,
                b.fill.fgColor.rgb,
                b.alignment.horizontal,
            ), where


def test_it_keeps_the_layout_of_a_table_export():
    workbook = load_workbook(io.BytesIO(streamed()))
    sheet = workbook.active
    assert workbook.sheetnames == ["出入记录"]
    assert sheet.freeze_panes == "A3"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:H1"]
    assert sheet["A1"].value == "出入记录（2020-02-21）" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert [c.value for c in sheet[2]] == HEADERS
    # As wide as the heading or the widest of the first rows (a Chinese character counts two).
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["A"] == len('=HYPERLINK("http://evil.example/","详情")') + 2 + 2  # 详情 counts twice
    assert widths["C"] == 2 * len("衡阳金化科技有限公司") + 2
    assert widths["E"] == len("@SUM(1)") + 2


def test_columns_fit_the_first_rows_not_every_row():
    long_late = [["短"] * 8 for _ in range(150)] + [["很" * 40] * 8]
    sheet = load_workbook(io.BytesIO(streamed(rows=long_late))).active
    assert sheet.column_dimensions["H"].width == 8  # the 151st row is past what sizes the columns


def test_values_keep_their_kind_and_user_text_stays_text():
    rows = cells(streamed())
    first, formulas, text = rows[2], rows[3], rows[4]
    assert first[0].value == datetime(2020, 2, 21, 8, 30, 15) and first[0].is_date  # zone time
    assert first[1].value == datetime(2020, 2, 21) and first[1].number_format == "yyyy-mm-dd"
    assert [c.value for c in first[2:7]] == ["衡阳金化科技有限公司", 36.5, 12, 10.2, True]
    assert [c.data_type for c in first[3:7]] == ["n", "n", "n", "b"]
    assert formulas[0].value == '=HYPERLINK("http://evil.example/","详情")'
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in formulas[2:4]] == [
        ("＋1", "s", True),
        ("#N/A", "s", False),
    ]
    assert formulas[7].value == "  两端有空格  "
    assert [c.value for c in text] == [
        "a & b < c > d",
        "第一行\r\n第二行",
        "\t=1+2",
        "企业甲",
        "@SUM(1)",
        "-2+3",
        "'引号'",
        '"双引号"',
    ]
    assert all(c.data_type == "s" for c in text)
    assert [bool(c.quotePrefix) for c in text] == [False, False, True, False, True, True, False, False]


def test_a_text_longer_than_a_cell_holds_is_cut_at_excels_limit():
    rows = cells(streamed([["长" * 40_000, "短"]], headers=["备注", "其他"]))
    assert len(rows[2][0].value) == 32_767 and rows[2][1].value == "短"


def test_zoneguard_reads_its_own_export_back():
    headers, rows = read_rows(streamed(), header_row=2, max_rows=100)
    assert headers[:3] == ["时间", "日期", "单位"]
    assert [number for number, _cells in rows] == [3, 4, 5]


def test_a_table_longer_than_a_sheet_goes_on_over_further_sheets_each_with_its_headers():
    rows = [[i, f"第{i}行"] for i in range(25)]
    content = streamed(rows, headers=["序号", "内容"], sheet_rows=12)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["出入记录", "出入记录 (2)", "出入记录 (3)"]
    read = []
    for sheet in workbook.worksheets:
        values = list(sheet.iter_rows(values_only=True))
        assert values[1] == ("序号", "内容") and len(values) <= 12
        read.extend(values[2:])
    assert read == [(i, f"第{i}行") for i in range(25)]


def test_a_sheet_also_ends_before_its_part_of_the_file_needs_zip64(monkeypatch):
    """Older Excel reads a ZIP64 entry as damage: past SHEET_BYTES of XML a sheet ends, checked
    after each chunk of rows."""
    monkeypatch.setattr(xlsx, "SHEET_BYTES", 1)
    monkeypatch.setattr(xlsx, "_FLUSH_ROWS", 2)
    workbook = load_workbook(io.BytesIO(streamed([[i, "长文本"] for i in range(5)], headers=["序号", "内容"])))
    assert [len(sheet["A"]) - 2 for sheet in workbook.worksheets] == [2, 2, 1]


def test_an_empty_table_is_a_sheet_with_its_title_and_headers():
    assert [[c.value for c in row] for row in cells(streamed([], headers=["序号", "内容"]))] == [
        ["出入记录（2020-02-21）"],
        ["序号", "内容"],
    ]
    assert zipfile.ZipFile(io.BytesIO(streamed([], headers=[]))).testzip() is None


def test_memory_stays_bounded_whatever_the_number_of_rows():
    def rows(n: int):
        start = datetime(2020, 2, 21, 8)
        for i in range(n):
            yield [start + timedelta(seconds=i), f"模拟企业{i:05d}", "一号门", "张*", "430***********123X", 36.5]

    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            with tempfile.TemporaryFile() as file:
                write_xlsx(file, title="t", headers=["a"] * 6, rows=rows(n), sheet_name="s")
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # Twenty times the rows: the same chunk of rows in memory (40,000 rows held would be 30 MB).
    small, large = peak(2_000), peak(40_000)
    assert large < small + 500_000, (small, large)
