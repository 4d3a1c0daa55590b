"""Exports that stay bounded whatever their size.

A list is exported as a `Table` (title, headers, rows read as they are written). Up to
`settings.EXPORT_BACKGROUND_ROWS` rows it is written while the user waits, as a streamed workbook
(core.xlsx) or as CSV, into a temporary file sent as a file response. A larger one becomes an `ExportJob`
row that the periodic `run_exports` command writes with the requesting user's scope; only that user
downloads it, from /exports/, and each download is audited (core.events.export_downloaded).

Modules register what they export by kind (`register_export`), so that the command can build a
table from a job's filters without this module knowing any of them. A page sends every such export
through `export_response`, which makes the one decision: write it now, or queue it."""

from __future__ import annotations

import codecs
import csv
import logging
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .errors import NotFound
from .excel import FORMULA_PREFIXES, XLSX_CONTENT_TYPE, content_disposition, sheet_value
from .models import ExportFormat, ExportJob, ExportStatus
from .xlsx import write_xlsx

if TYPE_CHECKING:
    from zoneguard.accounts.models import User

    from .web import AuthedRequest

logger = logging.getLogger(__name__)

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    sheet_name: str
    filename: str  # without its extension


Builder = Callable[["User", dict[str, Any]], Table]
_BUILDERS: dict[str, Builder] = {}


def register_export(kind: str, builder: Builder) -> None:
    """`builder(actor, params)` → the Table of `kind` with those filters, in the actor's scope."""
    _BUILDERS[kind] = builder


def in_background(rows: int) -> bool:
    return rows > settings.EXPORT_BACKGROUND_ROWS


def export_format(request: HttpRequest) -> str:
    """The format a page's export link asks for (`?export=xlsx` or `csv`); "" for the page itself."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in ExportFormat.values else ""


def export_response(
    request: AuthedRequest,
    table: Table,
    *,
    kind: str,
    params: dict[str, str],
    fmt: str,
    rows: int,
    masked: bool,
    audit: Callable[..., Any],
) -> HttpResponseBase:
    """A page's export of `rows` rows: written now, or, above settings.EXPORT_BACKGROUND_ROWS, queued
    as a job of `kind` whose builder rebuilds the table from `params` (the page's filters as text) in
    the user's scope, and the user is sent to their exports.

    Either way the export is audited first, through `audit(detail=...)`: the calling app's
    audit_record with its object type, as this module does not know the audit log."""
    job = None
    with transaction.atomic():
        if in_background(rows):
            job = export_request(actor=request.user, kind=kind, title=table.title, params=params, fmt=fmt)
        audit(
            detail={
                "filters": {key: value for key, value in params.items() if value},
                "masked": masked,
                "rows": rows,
                "format": fmt,
                **({"background": job.pk} if job else {}),
            }
        )
    if job is None:
        return table_response(table, fmt)
    messages.info(
        request,
        _("The export has %(rows)d rows: it is being written, download it from My exports.") % {"rows": rows},
    )
    return redirect("exports:list")


# --- Writing ------------------------------------------------------------------------------------


def csv_value(value: Any) -> Any:
    """A value as a CSV cell: user text stays text in a spreadsheet program (Excel's text prefix
    before what it would read as a formula), as core.excel.cell writes it."""
    value = sheet_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"  # to the second, as people read a time
    return "" if value is None else value


def write_csv(table: Table, stream: Any) -> None:
    """UTF-8 with a byte-order mark, which Excel needs to read Chinese text from a CSV file."""
    stream.write(codecs.BOM_UTF8)
    text = codecs.getwriter("utf-8")(stream)
    writer = csv.writer(text)
    writer.writerow([table.title])
    writer.writerow([csv_value(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_value(v) for v in row])
    text.flush()


def write_table(table: Table, fmt: str, stream: Any) -> None:
    if fmt == ExportFormat.CSV:
        write_csv(table, stream)
        return
    write_xlsx(stream, title=table.title, headers=table.headers, rows=table.rows, sheet_name=table.sheet_name)


def table_response(table: Table, fmt: str = ExportFormat.XLSX) -> FileResponse:
    """The table as a download, written to a temporary file and sent from it."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    write_table(table, fmt, spool)
    spool.seek(0)
    response = FileResponse(spool, content_type=CSV_CONTENT_TYPE if fmt == ExportFormat.CSV else XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{table.filename}.{fmt}")
    return response


# --- Background jobs ------------------------------------------------------------------------------


def export_request(
    *, actor: User, kind: str, title: str, params: dict[str, Any], fmt: str, purpose: str = ""
) -> ExportJob:
    """Queue an export for `run_exports`. The caller audits the request, as for any export."""
    if kind not in _BUILDERS:
        raise ValueError(f"no export registered as {kind!r}")
    return ExportJob.objects.create(
        requested_by=actor,
        kind=kind,
        title=title[:200],
        params=params,
        format=fmt if fmt in ExportFormat.values else ExportFormat.XLSX,
        purpose=purpose[:200],
    )


def _path(job: ExportJob) -> Path:
    return Path(settings.EXPORT_DIR) / job.file_name


def export_run(job: ExportJob) -> bool:
    """Write one waiting job; False when another runner took it first."""
    claimed = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    job.refresh_from_db()
    Path(settings.EXPORT_DIR).mkdir(parents=True, exist_ok=True)
    file_name = f"{job.pk}-{secrets.token_hex(8)}.{job.format}"
    path = Path(settings.EXPORT_DIR) / file_name
    try:
        table = _BUILDERS[job.kind](job.requested_by, job.params)
        counted = _Counted(table.rows)
        table.rows = counted
        with path.open("wb") as stream:
            write_table(table, job.format, stream)
    except Exception as error:
        logger.exception("Export %s failed", job.pk)
        path.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return True
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        rows=counted.n,
        file_name=file_name,
        download_name=f"{table.filename}.{job.format}",
        finished_at=timezone.now(),
    )
    return True


class _Counted:
    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Any:
        for row in self.rows:
            self.n += 1
            yield row


def export_run_pending(*, limit: int = 10) -> int:
    """Write the waiting jobs, oldest first; forget those past their keeping days. Returns how many
    were written."""
    written = 0
    for job in list(ExportJob.objects.filter(status=ExportStatus.PENDING).order_by("id")[:limit]):
        written += int(export_run(job))
    expired = ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS))
    for job in expired.exclude(file_name=""):
        _path(job).unlink(missing_ok=True)
    expired.delete()
    return written


def export_list(*, actor: User) -> Any:
    """The actor's own exports, newest first."""
    return ExportJob.objects.filter(requested_by_id=actor.pk).order_by("-created_at", "-id")


def export_download(*, actor: User, pk: int) -> FileResponse:
    """A written export, for the user who asked for it only (anyone else: not found); audited."""
    job = ExportJob.objects.filter(pk=pk, requested_by_id=actor.pk, status=ExportStatus.DONE).first()
    if job is None or not job.file_name or not _path(job).exists():
        raise NotFound()
    with transaction.atomic():
        events.export_downloaded.send(sender=ExportJob, job=job, actor=actor)
    content_type = CSV_CONTENT_TYPE if job.format == ExportFormat.CSV else XLSX_CONTENT_TYPE
    response = FileResponse(_path(job).open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(job.download_name)
    return response
