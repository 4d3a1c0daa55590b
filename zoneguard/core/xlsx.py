"""The table exports' spreadsheet, written as its rows are read.

A day of a district's entry log is 100,000 rows of ten columns. openpyxl builds an object per cell
and serialises it through its style machinery, some 10 µs a cell: most of a 15-second export. This
writer formats each row straight into the sheet's XML (ECMA-376 SpreadsheetML, the format openpyxl
and Excel write) inside the zip, about a tenth of that, in constant memory. It writes one layout
only, the one `core.excel.build_workbook` gives a table (a title row across the columns, a header
row, the data, the first two rows frozen); workbooks that need more (totals, several tables,
templates to fill in) are built with openpyxl.

Values go through `core.excel.sheet_value`, as every other export's do: numbers, dates and times stay
numbers, dates and times (zone time), and everything else is a text cell holding the text
unchanged, with Excel's text prefix where an edit would turn it into a formula.

A sheet holds at most 1,048,576 rows; a longer table goes on over further sheets, each with the
title and headers."""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import chain, islice
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from .excel import FORMULA_PREFIXES, sheet_value

__all__ = ["SHEET_ROWS", "write_xlsx"]

SHEET_ROWS = 1_048_576  # Excel's limit
# A zip entry over 2 GiB needs ZIP64, which older Excel reads as damage: a sheet stops well before.
SHEET_BYTES = 1_500_000_000
_FLUSH_ROWS = 500
CELL_CHARACTERS = 32_767  # Excel's limit

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell formats (styles.xml's cellXfs), by position.
_DATETIME, _DATE, _TITLE, _HEADING, _QUOTED = 1, 2, 3, 4, 5
_FONT = '<sz val="{}"/><name val="Calibri"/><family val="2"/>'
_FILL = '<fgColor rgb="00DDEBF7"/><bgColor rgb="00DDEBF7"/>'
_XF = 'fontId="{}" fillId="{}" borderId="0" xfId="0"'
_STYLES = "".join(
    (
        f'{_HEADER}<styleSheet xmlns="{_MAIN}">',
        '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss"/>',
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>',
        f'<fonts count="3"><font>{_FONT.format(11)}</font><font><b/>{_FONT.format(11)}</font>',
        f"<font><b/>{_FONT.format(14)}</font></fonts>",
        '<fills count="3"><fill><patternFill patternType="none"/></fill>',
        '<fill><patternFill patternType="gray125"/></fill>',
        f'<fill><patternFill patternType="solid">{_FILL}</patternFill></fill></fills>',
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>',
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
        '<cellXfs count="6">',
        f'<xf numFmtId="0" {_XF.format(0, 0)}/>',
        f'<xf numFmtId="164" {_XF.format(0, 0)} applyNumberFormat="1"/>',  # _DATETIME
        f'<xf numFmtId="165" {_XF.format(0, 0)} applyNumberFormat="1"/>',  # _DATE
        f'<xf numFmtId="0" {_XF.format(2, 0)} applyFont="1"/>',  # _TITLE
        f'<xf numFmtId="0" {_XF.format(1, 2)} applyFont="1" applyFill="1" applyAlignment="1">',  # _HEADING
        '<alignment horizontal="center"/></xf>',
        f'<xf numFmtId="0" {_XF.format(0, 0)} quotePrefix="1"/>',  # _QUOTED
        "</cellXfs>",
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    )
)

_EXCEL_EPOCH = datetime(1899, 12, 30)
_SECONDS_A_DAY = 86_400
WIDTH_SAMPLE_ROWS = 100  # rows read ahead to size the columns
MIN_WIDTH, MAX_WIDTH = 8, 60
# A carriage return stays one (XML would read a bare one as a line break); quotes need no escaping
# in element text.
_ENTITIES = {"\r": "&#13;"}


def write_xlsx(
    stream: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_name: str,
    sheet_rows: int = SHEET_ROWS,
) -> int:
    """Write the table to `stream` as an .xlsx workbook, reading `rows` once; returns how many rows
    it wrote. `sheet_rows` (title and headers included) is lowered by tests only."""
    letters = [get_column_letter(i) for i in range(1, max(len(headers), 1) + 1)]
    names: list[str] = []
    written = 0
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        # The columns are as wide as their heading and the first rows need (an ID number is
        # wider than its heading); the rest stream past without being held.
        iterator = iter(rows)
        sample = list(islice(iterator, WIDTH_SAMPLE_ROWS))
        widths = _widths(headers, sample)
        iterator = chain(sample, iterator)
        pending = next(iterator, None)
        while pending is not None or not names:
            names.append(_sheet_name(sheet_name, len(names) + 1))
            with package.open(f"xl/worksheets/sheet{len(names)}.xml", "w") as part:
                part.write(_sheet_start(title, headers, letters, widths).encode())
                row_number, size, chunk = 3, 0, []
                while pending is not None and row_number <= sheet_rows and size < SHEET_BYTES:
                    chunk.append(_row(row_number, pending, letters))
                    row_number += 1
                    written += 1
                    pending = next(iterator, None)
                    if len(chunk) == _FLUSH_ROWS:
                        size += part.write("".join(chunk).encode())
                        chunk = []
                part.write("".join(chunk).encode())
                part.write(_sheet_end(len(headers), letters).encode())
        _write_package(package, names)
    return written


def _sheet_name(name: str, number: int) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in name).strip() or "Sheet"
    if number == 1:
        return name[:31]
    suffix = f" ({number})"
    return name[: 31 - len(suffix)] + suffix


def _display_width(value: Any) -> int:
    """How many character cells the value takes in a sheet: a Chinese character two."""
    value = sheet_value(value)
    if isinstance(value, datetime):
        return 16  # 2020-02-21 08:30
    if isinstance(value, date):
        return 10
    if value is None:
        return 0
    text = str(value)[:MAX_WIDTH]
    return sum(2 if ord(character) > 0x2E7F else 1 for character in text)


def _widths(headers: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[int]:
    widths = []
    for index, heading in enumerate(headers):
        widest = max([_display_width(heading), *(_display_width(row[index]) for row in sample if index < len(row))])
        widths.append(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
    return widths


def _sheet_start(title: str, headers: Sequence[str], letters: list[str], column_widths: Sequence[int]) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, width in enumerate(column_widths, start=1)
    )
    heading = "".join(_text_cell(f"{letters[i]}2", str(h), _HEADING) for i, h in enumerate(headers))
    return (
        f'{_HEADER}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A3" sqref="A3"/></sheetView></sheetViews>'
        f"{f'<cols>{widths}</cols>' if widths else ''}<sheetData>"
        f'<row r="1">{_text_cell("A1", title, _TITLE)}</row><row r="2">{heading}</row>'
    )


def _sheet_end(columns: int, letters: list[str]) -> str:
    merge = f'<mergeCells count="1"><mergeCell ref="A1:{letters[columns - 1]}1"/></mergeCells>' if columns > 1 else ""
    return f"</sheetData>{merge}</worksheet>"


def _row(number: int, values: Sequence[Any], letters: list[str]) -> str:
    cells = []
    for letter, value in zip(letters, values, strict=False):
        value = sheet_value(value)
        if value is None or value == "":
            continue
        ref = f"{letter}{number}"
        if isinstance(value, str):
            cells.append(_text_cell(ref, value, _QUOTED if value.startswith(FORMULA_PREFIXES) else 0))
        elif isinstance(value, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                cells.append(_text_cell(ref, str(value), 0))
            else:
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        elif isinstance(value, datetime):
            delta = value - _EXCEL_EPOCH
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / _SECONDS_A_DAY
            cells.append(f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>')
        elif isinstance(value, date):
            cells.append(f'<c r="{ref}" s="{_DATE}"><v>{(value - _EXCEL_EPOCH.date()).days}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _text_cell(ref: str, text: str, style: int) -> str:
    # Excel repairs (empties) a workbook with a longer cell.
    text = text[:CELL_CHARACTERS]
    # Leading or trailing spaces are part of the text only when the element says so.
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text, _ENTITIES)}</t></is></c>'


def _write_package(package: zipfile.ZipFile, names: list[str]) -> None:
    numbers = range(1, len(names) + 1)
    sheets = "".join(
        f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>' for i, n in zip(numbers, names, strict=True)
    )
    package.writestr(
        "[Content_Types].xml",
        f'{_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in numbers
        )
        + "</Types>",
    )
    package.writestr(
        "_rels/.rels",
        f'{_HEADER}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    )
    package.writestr(
        "xl/workbook.xml",
        f'{_HEADER}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>",
    )
    package.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{_HEADER}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
        + "".join(
            f'<Relationship Id="rId{i}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in numbers
        )
        + f'<Relationship Id="rId{len(names) + 1}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>',
    )
    package.writestr("xl/styles.xml", _STYLES)
