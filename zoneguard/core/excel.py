"""Excel in and out, the way zone officers exchange lists.

Out: every value reaches a sheet through `cell()`, which writes user text as text (the table
exports' streamed workbooks, `core.xlsx`, follow the same rules through `sheet_value`). A name such as
`=HYPERLINK(...)` typed by one enterprise must stay a name in the commander's or an auditor's Excel,
never become a formula there (OWASP, CSV and formula injection).

In: `read_rows()` reads an uploaded workbook within limits checked before openpyxl opens it (the
upload's size, what its zip unpacks to, how many rows and elements its XML holds) and while it reads
(rows of the first sheet), so a small file that unpacks to millions of rows is refused at once
instead of holding a worker."""

from __future__ import annotations

import io
import posixpath
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from xml.parsers import expat

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import InvalidInput

__all__ = [
    "XLSX_CONTENT_TYPE",
    "SpreadsheetRefused",
    "Workbook",
    "add_sheet",
    "append_row",
    "build_workbook",
    "cell",
    "read_rows",
    "sheet_value",
    "spreadsheet_size_check",
    "stream",
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


def sheet_value(value: Any) -> Any:
    """A value as every export writes it: dates and times in zone time without a zone, decimals as
    numbers, anything else but a number as text a workbook can hold."""
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
    value = sheet_value(value)
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
    column's index to the format of its data and totals.

    The sheet may be write-only (rows go to a temporary file as they come, so a million rows cost
    what one does): the column widths are set first, from the headers, and rows are never read back."""
    for i, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(len(str(header)) * 2 + 2, 12), 60)
    sheet.freeze_panes = "A3"
    sheet.append([cell(sheet, title, font=TITLE_FONT)])
    if len(headers) > 1 and hasattr(sheet, "merge_cells"):
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append([cell(sheet, h, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for h in headers])

    def line(values: Sequence[Any], font: Font | None = None) -> list[Cell]:
        return [cell(sheet, value, font=font, number_format=number_formats.get(i)) for i, value in enumerate(values)]

    def data(values: Sequence[Any]) -> list[Any]:
        # A plain value costs openpyxl half what a styled cell does (a large export spends most of
        # its time here); a cell only where a format or text that Excel would misread needs one.
        out = []
        for i, value in enumerate(values):
            value = sheet_value(value)
            if i in number_formats or (isinstance(value, str) and _misread(value)):
                out.append(cell(sheet, value, number_format=number_formats.get(i)))
            else:
                out.append(value)
        return out

    for row in rows:
        sheet.append(data(row))
    if totals is not None:
        sheet.append(line(totals, BOLD))


def _misread(text: str) -> bool:
    """Text that openpyxl would store as a formula or an error value, or that Excel would read as
    a formula once edited: `cell` writes it as text."""
    return text.startswith(FORMULA_PREFIXES) or text in ERROR_CODES


def stream(rows: Iterable[Any], chunk_size: int = 500) -> Iterable[Any]:
    """A queryset read a chunk at a time instead of cached whole (an export of a million rows);
    any other iterable as it is.

    A chunk's prefetched foreign keys (the entry log's people and sites) are fetched by their ids,
    which Django writes for SQLite as one `id = …` term per id joined by OR, and SQLite refuses an
    expression deeper than 1,000 terms: chunks stay well below it."""
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=chunk_size)
    return rows


def build_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_name: str | None = None,
    totals: Sequence[Any] | None = None,
    number_formats: Mapping[int, str] | None = None,
    write_only: bool = True,
) -> Workbook:
    """One sheet: a title row, a header row, the data, and an optional bold totals row. Written in
    openpyxl's write-only (streaming) mode unless the sheet is edited afterwards (a template)."""
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet((sheet_name or "Sheet1")[:31]) if write_only else workbook.active
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


def content_disposition(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def save_workbook(workbook: Workbook) -> Any:
    """The workbook written to a temporary file (deleted when closed), positioned at its start."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(spool)
    spool.seek(0)
    return spool


def workbook_response(workbook: Workbook, filename: str) -> FileResponse:
    """The workbook as a download, sent from a temporary file rather than held in memory."""
    response = FileResponse(save_workbook(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# --- In -----------------------------------------------------------------------------------------


class SpreadsheetRefused(InvalidInput):
    """An uploaded spreadsheet that is not read: not an .xlsx, or larger than a list to import."""

    default_code = "spreadsheet_refused"


MAX_COLUMNS = 100
MAX_PARTS = 1000
MAX_SHEETS = 255
MAX_CHILDREN = 16_384  # as many cells as a row of Excel's has columns
# Elements of the cell data (sheet rows, shared strings, the calculation chain, pivot cache records),
# which openpyxl reads as a stream, and of everything else, which it builds into objects in memory.
MAX_DATA_ELEMENTS = 400_000
MAX_OTHER_ELEMENTS_PER_PART = 20_000
MAX_OTHER_ELEMENTS = 100_000
# Root element → its children whose subtrees are cell data.
_DATA_CHILDREN = {"worksheet": "sheetData", "sst": "si", "calcChain": "c", "pivotCacheRecords": "r"}
_DATA_TYPES = ("/worksheet", "/sharedStrings", "/calcChain", "/pivotCacheRecords")
_DATA_CONTENT_TYPES = (
    ".worksheet+xml",
    ".sharedStrings+xml",
    ".calcChain+xml",
    ".pivotCacheRecords+xml",
)
# Parts openpyxl finds by their name and parses whole (the workbook when the content types do not
# say where it is).
_WHOLE_PARTS = {
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/styles.xml",
    "docProps/core.xml",
    "docProps/custom.xml",
}
MB = 1024 * 1024


def _mb(size: int) -> int:
    return max(size // MB, 1)


def _not_xlsx() -> SpreadsheetRefused:
    return SpreadsheetRefused(_("The file is not an Excel workbook (.xlsx)."), code="not_xlsx")


def _too_complex() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The workbook is too large or too complex to read. Copy the list into a new workbook, "
            "one sheet without pictures or charts, and upload that."
        ),
        code="too_complex",
    )


def _runs_on(sheet_rows: int, max_rows: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The sheet runs on for more than %(rows)d rows, and at most %(max)d rows can be imported at once. "
            "Delete the rows below the list, empty ones included, and upload it again."
        )
        % {"rows": sheet_rows, "max": max_rows},
        code="too_many_rows",
    )


def _sheet_rows(max_rows: int) -> int:
    """How many rows, empty ones included, a sheet may run to: empty rows are skipped, but each costs
    a read, and a used range formatted far below the list must not cost a worker."""
    return 2 * max_rows + 1000


def spreadsheet_size_check(size: int) -> None:
    """Refuse an upload larger than a list to import, before it is read."""
    if size > settings.SPREADSHEET_MAX_BYTES:
        raise SpreadsheetRefused(
            _("The file is larger than %(mb)d MB, the most a list to import may be.")
            % {"mb": _mb(settings.SPREADSHEET_MAX_BYTES)},
            code="file_too_large",
        )


def _part_of(rels_name: str, target: str) -> str:
    # As openpyxl resolves a relationship's target (packaging.relationship.get_dependents).
    if target.startswith("/"):
        return target[1:]
    parent = posixpath.split(posixpath.dirname(rels_name))[0]
    return posixpath.normpath(posixpath.join(parent, target))


class _PackageScan:
    """Counts what openpyxl would build from each XML part, refusing as soon as a count runs over.

    Cell data is read by openpyxl as a stream, one row at a time, so it may be large; anything else
    is built whole, so it must stay small. The cell data found must therefore be in parts openpyxl
    streams: worksheets, shared strings, never the workbook or the styles."""

    def __init__(self, *, max_rows: int) -> None:
        self.max_rows = max_rows
        self.sheet_rows = _sheet_rows(max_rows)
        self.data = 0
        self.other = 0
        self.sheets = 0
        self.data_parts: set[str] = set()
        self.content_types: dict[str, str] = {}
        self.references: list[tuple[str, str]] = []

    def part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        name = info.filename
        parser = expat.ParserCreate(namespace_separator=" ")
        stack: list[list[Any]] = []  # the open elements: local name, children so far
        data_from = 0  # depth of the element whose subtree is cell data; 0 outside
        root = ""
        other = 0

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal data_from, root, other
            local = tag.rpartition(" ")[2]
            parent = stack[-1] if stack else None
            if parent is not None:
                parent[1] += 1
            stack.append([local, 0])
            depth = len(stack)
            if depth == 1:
                root = local
            elif depth == 2 and _DATA_CHILDREN.get(root) == local:
                data_from = 2
                self.data_parts.add(name)
            if data_from:
                self.data += 1
                if self.data > MAX_DATA_ELEMENTS:
                    raise _too_complex()
                # openpyxl keeps the children of an element until the element ends: the rows of
                # the sheet data, the cells of a row.
                if parent is not None and depth > data_from:
                    if depth == 3 and root == "worksheet":
                        if parent[1] > self.sheet_rows:
                            raise _runs_on(self.sheet_rows, self.max_rows)
                    elif parent[1] > MAX_CHILDREN:
                        raise _too_complex()
                return
            other += 1
            self.other += 1
            if other > MAX_OTHER_ELEMENTS_PER_PART or self.other > MAX_OTHER_ELEMENTS:
                raise _too_complex()
            if local == "sheet" and parent is not None and parent[0] == "sheets":
                # openpyxl opens every sheet of the workbook, whatever the root element is called.
                self.sheets += 1
                if self.sheets > MAX_SHEETS:
                    raise _too_complex()
            elif name == "[Content_Types].xml" and local == "Override":
                self.content_types[attrs.get("PartName", "").lstrip("/")] = attrs.get("ContentType", "")
            elif name.endswith(".rels") and local == "Relationship" and attrs.get("TargetMode") != "External":
                self.references.append((_part_of(name, attrs.get("Target", "")), attrs.get("Type", "")))

        def end(tag: str) -> None:
            nonlocal data_from
            if data_from == len(stack):
                data_from = 0
            stack.pop()

        def doctype(*args: Any) -> None:
            # No part of a workbook has a document type; its entities could expand past every count.
            raise _not_xlsx()

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = doctype
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(64 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except SpreadsheetRefused:
            raise
        except expat.ExpatError:
            # Pictures and other binary parts: openpyxl does not parse them as XML either, and
            # fails on an XML part that is broken.
            return
        except Exception as error:
            # A part that does not unpack to what the zip's directory says, is encrypted, or is
            # packed in a way Excel does not use (zipfile and zlib raise many kinds of errors).
            raise _not_xlsx() from error

    def check_roles(self) -> None:
        for name in self.data_parts:
            if name in _WHOLE_PARTS or name.endswith(".rels"):
                raise _too_complex()
            content_type = self.content_types.get(name)
            if content_type is not None and not content_type.endswith(_DATA_CONTENT_TYPES):
                raise _too_complex()
        for target, kind in self.references:
            if target in self.data_parts and not kind.endswith(_DATA_TYPES):
                raise _too_complex()


def _inspect(data: bytes, *, max_rows: int) -> None:
    """Refuse, before openpyxl opens it, a file that is not a zip or would cost far more than a list
    to import: openpyxl's reader builds some parts whole and, in a sheet without a dimension, reads
    every row as it opens the file."""
    # zipfile reads the whole directory as it opens a file, each entry of which starts with this
    # signature: a few megabytes of empty entries would cost far more memory than the upload.
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        raise _too_complex()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # zipfile raises many kinds of errors on a file that is not a zip
        raise _not_xlsx() from error
    with archive:
        infos = archive.infolist()
        # The sizes come from the zip's directory; zipfile stops unpacking a part at its stated size.
        total = sum(info.file_size for info in infos)
        largest = max((info.file_size for info in infos), default=0)
        if total > settings.SPREADSHEET_MAX_UNPACKED_BYTES or largest > settings.SPREADSHEET_MAX_PART_BYTES:
            over_total = total > settings.SPREADSHEET_MAX_UNPACKED_BYTES
            limit = settings.SPREADSHEET_MAX_UNPACKED_BYTES if over_total else settings.SPREADSHEET_MAX_PART_BYTES
            raise SpreadsheetRefused(
                _(
                    "The workbook unpacks to more than %(mb)d MB, the most a list to import may take. "
                    "Copy the list into a new workbook and upload that."
                )
                % {"mb": _mb(limit)},
                code="unpacked_too_large",
            )
        scan = _PackageScan(max_rows=max_rows)
        for info in infos:
            if not info.is_dir():
                scan.part(archive, info)
        scan.check_roles()


def _trimmed(values: Sequence[Any]) -> list[Any]:
    # openpyxl pads every row to the columns asked for; the empty cells at the end say nothing.
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return list(values[:end])


def read_rows(
    data: bytes, *, max_rows: int, header_row: int = 1, max_columns: int = MAX_COLUMNS
) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Headers and (sheet row number, values) for every non-empty row below the header row of the
    first sheet, at most `max_rows` of them and of the first `max_columns` columns.

    Raises SpreadsheetRefused, with a message for the person who uploaded the file, for a file that is
    not an .xlsx or is larger than a list to import; reading stops at the first row past a limit."""
    spreadsheet_size_check(len(data))
    _inspect(data, max_rows=max_rows)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds of errors on a file that is not .xlsx
        raise _not_xlsx() from error
    sheet_rows = _sheet_rows(max_rows)
    headers: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    try:
        if not workbook.worksheets:
            raise _not_xlsx()
        sheet = workbook.worksheets[0]
        # The dimension the file states is not to be trusted: openpyxl would stop reading at a
        # small one and pad up to a large one with empty rows.
        sheet.reset_dimensions()
        for number, padded in enumerate(sheet.iter_rows(max_col=max_columns, values_only=True), start=1):
            if number > header_row + sheet_rows:
                raise _runs_on(sheet_rows, max_rows)
            if number < header_row:
                continue
            values = _trimmed(padded)
            if number == header_row:
                headers = [str(v).strip() if v is not None else "" for v in values]
                continue
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            rows.append((number, values))
            if len(rows) > max_rows:
                raise SpreadsheetRefused(
                    _("The sheet has more than %(max)d rows; at most %(max)d rows can be imported at once.")
                    % {"max": max_rows},
                    code="too_many_rows",
                )
    except SpreadsheetRefused:
        raise
    except Exception as error:  # a cell openpyxl cannot read
        raise _not_xlsx() from error
    finally:
        workbook.close()
    return headers, rows


# --- Lists to import: a header row naming the columns, then a row per record ----------------------


def cell_text(value: Any) -> str:
    """A cell as the text it shows: long digit strings typed as numbers come back as floats, dates
    as dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class ImportTable:
    """The records of a list, each a dict of column key to text, with its sheet row number; or
    the errors that stopped reading it (`problems`)."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _column_key(text: str, columns: Mapping[str, tuple[Any, tuple[str, ...]]]) -> str | None:
    base = text.split("(")[0].split("（")[0].strip().lower()
    return next((key for key, (_label, aliases) in columns.items() if base in aliases), None)


def read_import_table(
    data: bytes, *, columns: Mapping[str, tuple[Any, tuple[str, ...]]], required: Sequence[str], max_rows: int
) -> ImportTable:
    """A list filled in from one of ZoneGuard's templates (a title row above the headers) or a bare
    header row. `columns`: key → (label, header texts recognised, lower case, in both languages)."""
    table = ImportTable()
    try:
        headers, raw_rows = read_rows(data, header_row=2, max_rows=max_rows)
        if not any(_column_key(h, columns) for h in headers):
            headers, raw_rows = read_rows(data, header_row=1, max_rows=max_rows)
    except SpreadsheetRefused as error:  # not an .xlsx, or too many rows: reading stopped there
        table.problems.append(error.message)
        return table
    positions = {key: i for i, h in enumerate(headers) if (key := _column_key(h, columns))}
    missing = [str(columns[key][0]) for key in required if key not in positions]
    if missing:
        table.problems.append(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
        return table
    if not raw_rows:
        table.problems.append(_("The file has no rows to import."))
        return table
    for number, cells in raw_rows:
        table.rows.append(
            (
                number,
                {
                    key: cell_text(cells[positions[key]]) if key in positions and positions[key] < len(cells) else ""
                    for key in columns
                },
            )
        )
    return table


def import_template(
    *, title: str, columns: Mapping[str, tuple[Any, tuple[str, ...]]], sheet_name: str, text_columns: str
) -> Workbook:
    """The empty list to fill in: a header per column in both languages; `text_columns` (letters)
    formatted as text, so that ID numbers and phones keep every digit."""
    # The label in the reader's language beside the name the import reads, unless they are one
    # ("姓名 (姓名)" said nothing twice).
    headers = [
        aliases[0] if str(label).strip().lower() == aliases[0] else f"{aliases[0]} ({label})"
        for label, aliases in columns.values()
    ]
    workbook = build_workbook(title=title, headers=headers, rows=[], sheet_name=sheet_name, write_only=False)
    sheet = workbook.active
    assert sheet is not None
    for column in text_columns:
        for row in range(3, 1003):
            sheet[f"{column}{row}"].number_format = "@"
    return workbook
