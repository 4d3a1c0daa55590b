"""Exports stream, carry the page's filters, and above the configured size run in the background:
queued, written by run_exports, downloaded by their user only, every step audited."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.core import exports, xlsx
from zoneguard.core.models import ExportJob
from zoneguard.gates.tests.conftest import device_for, item  # noqa: F401 (fixtures)
from zoneguard.testing import response_bytes


@pytest.fixture
def entries(zone, device_for, item):  # noqa: F811
    client = device_for(zone.site_a)
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    for person, at in ((zone.staff_a[0], None), (zone.staff_a[1], None), (zone.staff_a[2], yesterday)):
        data = item(zone.site_a, person)
        if at:
            data["checked_at"] = at
        response = client.post("/api/v1/checkins", data, content_type="application/json")
        assert response.status_code == 201, response.content


def rows_of(response: Any) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(response_bytes(response))).active.iter_rows(values_only=True))


def test_table_exports_are_written_by_the_streaming_writer(zone, entries, client_for, monkeypatch):
    """core.xlsx holds a chunk of rows at a time (core/tests/test_xlsx.py measures it)."""
    written = []

    def spy(stream: Any, **kwargs: Any) -> int:
        rows = xlsx.write_xlsx(stream, **kwargs)
        written.append(rows)
        return rows

    monkeypatch.setattr(exports, "write_xlsx", spy)
    response = client_for("admin_a").get("/gates/log/?export=xlsx")
    assert response.status_code == 200 and response.streaming
    assert written == [2]  # today's entries
    client_for("commander").get("/registry/people/?export=xlsx")
    assert len(written) == 2 and written[1] > 0


def test_the_export_link_carries_the_filters_of_the_page_the_day_included(zone, entries, client_for):
    client = client_for("admin_a")
    today = timezone.localdate().isoformat()
    page = client.get("/gates/log/").content.decode()
    assert f"day={today}" in page.split('data-testid="export"')[0].rsplit("href=", 1)[1]
    page = client.get(f"/gates/log/?site={zone.site_a.pk}&day={today}&direction=in").content.decode()
    link = page.split('data-testid="export"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert f"site={zone.site_a.pk}" in link and f"day={today}" in link and "direction=in" in link
    exported = rows_of(client.get("/gates/log/" + link.replace("&amp;", "&")))
    assert len(exported) == 2 + 2  # title, headers, today's two entries (not yesterday's)
    all_days = rows_of(client.get("/gates/log/?day=&export=xlsx"))
    assert len(all_days) == 2 + 3


def test_csv_writes_user_text_as_text():
    assert exports.csv_value('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert exports.csv_value("＝1+1") == "'＝1+1"
    assert exports.csv_value("张三") == "张三"
    from datetime import UTC, datetime

    assert exports.csv_value(datetime(2026, 12, 4, 22, 57, 37, 693000, tzinfo=UTC)) == "2026-12-05 06:57:37"
    assert exports.csv_value(36.5) == 36.5


def test_a_small_export_is_csv_on_asking(zone, entries, client_for):
    response = client_for("admin_a").get("/gates/log/?export=csv")
    body = response_bytes(response).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert zone.staff_a[0].masked_id_number in body and zone.staff_a[0].id_number not in body


def test_a_large_export_runs_in_the_background_for_its_user_only(zone, entries, client_for, settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.EXPORT_DIR = tmp_path
    client = client_for("admin_a")
    response = client.get("/gates/log/?export=xlsx")
    assert response.status_code == 302 and response.url == "/exports/"
    job = ExportJob.objects.get()
    assert (job.status, job.requested_by_id, job.kind) == ("pending", zone.admin_a.pk, "gates.entry_log")
    asked = AuditEvent.objects.filter(action="export", object_type="gates.checkin").get()
    assert asked.detail["background"] == job.pk and asked.detail["rows"] == 2
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404  # not written yet

    call_command("run_exports", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.rows) == ("done", 2)
    assert job.download_name.endswith(".xlsx")
    assert "Download" in client_for("admin_a", "en").get("/exports/").content.decode()

    for outsider in ("admin_b", "commander", "officer_a"):
        assert client_for(outsider).get(f"/exports/{job.pk}/download/").status_code == 404
    assert Client().get(f"/exports/{job.pk}/download/").status_code == 302  # to sign in
    assert not AuditEvent.objects.filter(object_type="core.exportjob").exists()

    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert len(rows_of(download)) == 2 + 2
    audited = AuditEvent.objects.get(object_type="core.exportjob")
    assert audited.actor_id == zone.admin_a.pk and audited.detail["downloaded"] and audited.detail["rows"] == 2


def test_a_second_runner_does_not_write_a_job_twice(zone, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path
    job = exports.export_request(actor=zone.admin_a, kind="gates.entry_log", title="log", params={}, fmt="csv")
    assert exports.export_run(job) is True
    assert exports.export_run(job) is False
    job.refresh_from_db()
    assert job.status == "done" and len(list(tmp_path.iterdir())) == 1
