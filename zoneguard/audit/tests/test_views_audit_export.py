"""The audit log's export: the commander's only, every event the filters select (never cut short),
written at once when small and by run_exports when large; audited either way."""

from __future__ import annotations

import csv
import io
import json
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from zoneguard.audit.exports import audit_events_table
from zoneguard.audit.models import AuditAction, AuditEvent
from zoneguard.audit.services import audit_record
from zoneguard.core.errors import Forbidden
from zoneguard.core.exports import export_request, export_run
from zoneguard.core.models import ExportJob
from zoneguard.testing import response_bytes


def _xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(response_bytes(response))).active.iter_rows(min_row=3, values_only=True))


def _csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response_bytes(response).decode("utf-8-sig"))))[2:]


@pytest.fixture
def updates(zone):
    """Three updates by admin_a, one by admin_b."""
    for n in range(3):
        audit_record(actor=zone.admin_a, action=AuditAction.UPDATE, object_type="registry.organisation", object_id=n)
    audit_record(
        actor=zone.admin_b,
        action=AuditAction.UPDATE,
        object_type="registry.site",
        object_id=9,
        detail={"changes": {"is_active": [True, False]}},
    )


def test_it_s_export_links_carry_the_page_s_filters_but_not_its_page(zone, client_for):
    today = timezone.localdate().isoformat()
    query = {"action": "update", "actor": "admin_a", "date_from": today, "page": "1"}
    page = client_for("commander").get("/audit/", query).content.decode()
    for fmt in ("xlsx", "csv"):
        link = unescape(page.split(f"export={fmt}")[0].rsplit('href="', 1)[1])
        assert "action=update" in link and "actor=admin_a" in link and f"date_from={today}" in link
        assert "page=" not in link


def test_a_small_export_is_written_at_once_with_the_filtered_events_in_either_format(zone, client_for, updates):
    client = client_for("commander")
    rows = _xlsx_rows(client.get("/audit/", {"action": "update", "actor": "admin_a", "export": "xlsx"}))
    assert sorted(row[4] for row in rows) == ["0", "1", "2"] and {row[1] for row in rows} == {"admin_a"}
    rows = _csv_rows(client.get("/audit/", {"action": "update", "object_type": "registry.site", "export": "csv"}))
    assert [(row[1], row[3], row[4]) for row in rows] == [("admin_b", "卡口", "9")]
    # The detail as its readers say it, and as it was stored.
    assert rows[0][7] == "启用: 是 → 否", rows[0][7]
    assert json.loads(rows[0][8]) == {"changes": {"is_active": [True, False]}}
    audited = AuditEvent.objects.filter(action="export", object_type="audit.auditevent").order_by("id")
    assert [(e.detail["rows"], e.detail["format"], e.detail["masked"]) for e in audited] == [
        (3, "xlsx", False),
        (1, "csv", False),
    ]
    assert audited[0].detail["filters"] == {"action": "update", "actor": "admin_a"}
    assert "background" not in audited[0].detail and not ExportJob.objects.exists()


def test_a_large_export_is_queued_and_written_whole_for_the_commander(zone, client_for, updates, settings, tmp_path):
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.EXPORT_DIR = tmp_path
    today = timezone.localdate().isoformat()
    client = client_for("commander")
    response = client.get("/audit/", {"action": "update", "date_from": today, "date_to": today, "export": "xlsx"})
    assert response.status_code == 302 and response.url == "/exports/"
    job = ExportJob.objects.get()
    assert (job.kind, job.requested_by_id, job.status) == ("audit.events", zone.commander.pk, "pending")
    assert job.params == {
        "q": "",
        "action": "update",
        "object_type": "",
        "actor": "",
        "date_from": today,
        "date_to": today,
    }
    asked = AuditEvent.objects.get(action="export", object_type="audit.auditevent")
    assert asked.detail["background"] == job.pk and asked.detail["rows"] == 4

    call_command("run_exports", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.rows) == ("done", 4)
    for outsider in ("admin_a", "officer_a"):
        assert client_for(outsider).get(f"/exports/{job.pk}/download/").status_code == 404
    rows = _xlsx_rows(client.get(f"/exports/{job.pk}/download/"))
    assert sorted((row[1], row[4]) for row in rows) == [
        ("admin_a", "0"),
        ("admin_a", "1"),
        ("admin_a", "2"),
        ("admin_b", "9"),
    ]
    downloaded = AuditEvent.objects.get(object_type="core.exportjob")
    assert downloaded.actor_id == zone.commander.pk and downloaded.detail["kind"] == "audit.events"


def test_others_get_no_export_and_a_job_of_theirs_is_refused(zone, client_for, updates, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path
    assert Client().get("/audit/", {"export": "xlsx"}).status_code == 302  # to sign in
    for outsider in ("admin_a", "officer_a", "gate_a", "volunteer"):
        assert client_for(outsider).get("/audit/", {"export": "csv"}).status_code == 404
    with pytest.raises(Forbidden):
        audit_events_table(zone.admin_a, {})
    job = export_request(actor=zone.officer_a, kind="audit.events", title="audit", params={}, fmt="csv")
    export_run(job)
    job.refresh_from_db()
    assert (job.status, job.file_name) == ("failed", "")
    assert list(tmp_path.iterdir()) == []


def test_user_text_that_starts_like_a_formula_stays_text_in_the_csv(zone, client_for):
    audit_record(actor=zone.admin_a, action=AuditAction.UPDATE, object_type="x", object_repr="=1+1")
    rows = _csv_rows(client_for("commander").get("/audit/", {"object_type": "x", "export": "csv"}))
    assert [row[5] for row in rows] == ["'=1+1"]
