"""Excel in and out, the way zone officers exchange lists.

Out: every value reaches a sheet through `cell()`, which writes user text as text. A name such as
`=HYPERLINK(...)` typed by one enterprise must stay a name in the commander's or an auditor's Excel,
never become a formula there (OWASP, CSV and formula injection)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

__all__ = [
    "XLSX_CONTENT_TYPE",
    "Workbook",
    "add_sheet",
    "append_row",
    "build_workbook",
    "cell",
    "read_rows",
    "workbook_response",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center")

# What makes a spreadsheet program read a text as a formula (OWASP's list), and the full-width
# forms Chinese input methods type, which Excel turns into the same when a cell is edited.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


# --- Out ----------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (date, int, float)) or value is None:
        return value
    if isinstance(value, Decimal):
        return float(value)
    # Control characters other than tab and line breaks cannot be stored in the file's XML; left
    # in, they would make openpyxl refuse to write the whole export.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def cell(
    sheet: Any,
    value: Any,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
    number_format: str | None = None,
) -> Cell:
    """The one way ZoneGuard puts a value into a sheet: numbers, dates and times stay numbers, dates
    and times; everything else becomes a text cell holding the text unchanged.

    Append the cell with `sheet.append([...])`, on a normal sheet or on a write-only one."""
    result = WriteOnlyCell(sheet)
    value = _value(value)
    result.value = value
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula and "#N/A" as an error: user text
        # is neither.
        result.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            # Excel's "text" prefix, so that the cell stays text when someone edits it.
            result.quotePrefix = True
    if font is not None:
        result.font = font
    if fill is not None:
        result.fill = fill
    if alignment is not None:
        result.alignment = alignment
    if number_format is not None:
        result.number_format = number_format
    return result


def append_row(sheet: Any, values: Iterable[Any], *, font: Font | None = None) -> None:
    sheet.append([cell(sheet, value, font=font) for value in values])


def _fill_sheet(
    sheet: Any,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    totals: Sequence[Any] | None,
    number_formats: Mapping[int, str],
) -> None:
    """A title row, a header row, the data, and an optional bold totals row; `number_formats` maps a
    column's index to the format of its data and totals."""
    sheet.append([cell(sheet, title, font=TITLE_FONT)])
    if len(headers) > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append([cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for h in headers])
    widths = [max(len(str(h)) * 2, 8) for h in headers]

    def line(values: Sequence[Any], font: Font | None = None) -> list[Cell]:
        cells = [cell(sheet, value, font=font, number_format=number_formats.get(i)) for i, value in enumerate(values)]
        for i, written in enumerate(cells[: len(widths)]):
            widths[i] = min(max(widths[i], len(str(written.value or "")) + 2), 60)
        return cells

    for row in rows:
        sheet.append(line(row))
    if totals is not None:
        sheet.append(line(totals, BOLD))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"


def build_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_name: str | None = None,
    totals: Sequence[Any] | None = None,
    number_formats: Mapping[int, str] | None = None,
) -> Workbook:
    """One sheet: a title row, a header row, the data, and an optional bold totals row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (sheet_name or "Sheet1")[:31]
    _fill_sheet(sheet, title=title, headers=headers, rows=rows, totals=totals, number_formats=number_formats or {})
    return workbook


def add_sheet(
    workbook: Workbook,
    *,
    sheet_name: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    totals: Sequence[Any] | None = None,
    number_formats: Mapping[int, str] | None = None,
) -> None:
    """A further sheet laid out as `build_workbook` lays out the first."""
    sheet = workbook.create_sheet(sheet_name[:31])
    _fill_sheet(sheet, title=title, headers=headers, rows=rows, totals=totals, number_formats=number_formats or {})


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- In -----------------------------------------------------------------------------------------


def read_rows(data: bytes, *, header_row: int = 1) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Headers and (sheet row number, values) for every non-empty row below the header row."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    headers: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number < header_row:
            continue
        if number == header_row:
            headers = [str(v).strip() if v is not None else "" for v in values]
            continue
        cleaned = list(values)
        if all(v is None or str(v).strip() == "" for v in cleaned):
            continue
        rows.append((number, cleaned))
    workbook.close()
    return headers, rows
