"""Excel in and out, the way zone officers exchange lists."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (date, int, float)) or value is None:
        return value
    return str(value)


def build_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_name: str | None = None,
    totals: Sequence[Any] | None = None,
) -> Workbook:
    """One sheet: a title row, a header row, the data, and an optional bold totals row."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = (sheet_name or "Sheet1")[:31]
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    if len(headers) > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(list(headers))
    for column, _header in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    widths = [max(len(str(h)) * 2, 8) for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        for i, value in enumerate(values[: len(widths)]):
            widths[i] = min(max(widths[i], len(str(value or "")) + 2), 60)
    if totals is not None:
        sheet.append([_cell(v) for v in totals])
        for column in range(1, len(headers) + 1):
            sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"
    return workbook


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


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
