"""The people export: the page's filters in its links, written at once when small, queued when
large (settings.EXPORT_BACKGROUND_ROWS) and then written by run_exports in the requester's scope;
masked and audited either way."""

from __future__ import annotations

import csv
import io
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.core.exports import export_request, export_run
from zoneguard.core.models import ExportJob
from zoneguard.registry.models import Membership, Person
from zoneguard.testing import response_bytes


def _xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    """The rows under the title and the headers."""
    return list(load_workbook(io.BytesIO(response_bytes(response))).active.iter_rows(min_row=3, values_only=True))


def _csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response_bytes(response).decode("utf-8-sig"))))[2:]


def _link(page: str, fmt: str) -> str:
    return unescape(page.split(f"export={fmt}")[0].rsplit('href="', 1)[1] + f"export={fmt}")


@pytest.fixture
def background(settings, tmp_path):
    """Every export larger than one row is queued; the files go to a temporary directory."""
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.EXPORT_DIR = tmp_path


def test_it_s_export_links_carry_the_page_s_filters_but_not_its_page(zone, client_for):
    query = {"q": "甲员工", "organisation": str(zone.enterprise_a.pk), "page": "1"}
    page = client_for("commander").get("/registry/people/", query).content.decode()
    for fmt in ("xlsx", "csv"):
        link = _link(page, fmt)
        assert "q=%E7%94%B2%E5%91%98%E5%B7%A5" in link and f"organisation={zone.enterprise_a.pk}" in link
        assert "page=" not in link


def test_a_small_export_is_written_at_once_with_the_filtered_people_in_either_format(zone, client_for):
    client = client_for("commander")
    query = {"organisation": str(zone.enterprise_a.pk)}
    xlsx = client.get("/registry/people/", {**query, "export": "xlsx"})
    assert xlsx.status_code == 200
    assert sorted(row[0] for row in _xlsx_rows(xlsx)) == ["甲员工0", "甲员工1", "甲员工2"]
    rows = _csv_rows(client.get("/registry/people/", {**query, "q": "甲员工1", "export": "csv"}))
    person = zone.staff_a[1]
    assert rows == [["甲员工1", person.masked_id_number, "138****0001"]]
    assert person.id_number not in str(rows) and person.phone not in str(rows)
    audited = AuditEvent.objects.filter(action="export", object_type="registry.person").order_by("id")
    assert [e.detail for e in audited] == [
        {"filters": query, "masked": True, "rows": 3, "format": "xlsx"},
        {"filters": {**query, "q": "甲员工1"}, "masked": True, "rows": 1, "format": "csv"},
    ]
    assert not ExportJob.objects.exists()


def test_a_large_export_is_queued_and_written_with_the_filtered_people_for_its_requester(zone, client_for, background):
    client = client_for("commander")
    response = client.get("/registry/people/", {"q": "甲员工", "export": "csv"})
    assert response.status_code == 302 and response.url == "/exports/"
    job = ExportJob.objects.get()
    assert (job.kind, job.requested_by_id, job.format, job.status) == (
        "registry.people",
        zone.commander.pk,
        "csv",
        "pending",
    )
    assert job.params == {"q": "甲员工", "organisation": ""}
    asked = AuditEvent.objects.get(action="export", object_type="registry.person")
    assert asked.detail == {
        "filters": {"q": "甲员工"},
        "masked": True,
        "rows": 3,
        "format": "csv",
        "background": job.pk,
    }

    call_command("run_exports", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.rows) == ("done", 3)
    for outsider in ("admin_a", "admin_b", "officer_a"):
        assert client_for(outsider).get(f"/exports/{job.pk}/download/").status_code == 404
    assert Client().get(f"/exports/{job.pk}/download/").status_code == 302  # to sign in

    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert sorted(row[0] for row in _csv_rows(download)) == ["甲员工0", "甲员工1", "甲员工2"]
    downloaded = AuditEvent.objects.get(object_type="core.exportjob")
    assert downloaded.actor_id == zone.commander.pk and downloaded.detail["downloaded"]


def test_an_enterprise_admin_s_export_holds_their_own_people_only_even_in_the_background(zone, client_for, background):
    client = client_for("admin_b")
    assert client.get("/registry/people/", {"export": "xlsx"}).status_code == 302
    everyone = ExportJob.objects.get()
    # A job naming another enterprise is built in the requester's scope, where it names nothing.
    named_a = export_request(
        actor=zone.admin_b,
        kind="registry.people",
        title="people",
        params={"q": "", "organisation": str(zone.enterprise_a.pk)},
        fmt="xlsx",
    )
    assert export_run(everyone) and export_run(named_a)
    everyone.refresh_from_db()
    named_a.refresh_from_db()
    assert (everyone.rows, named_a.rows) == (2, 0)
    rows = _xlsx_rows(client.get(f"/exports/{everyone.pk}/download/"))
    assert sorted(row[0] for row in rows) == ["乙员工0", "乙员工1"]


def test_those_who_see_no_one_export_no_one(zone, client_for):
    assert Client().get("/registry/people/", {"export": "xlsx"}).status_code == 302  # to sign in
    assert _csv_rows(client_for("volunteer").get("/registry/people/", {"export": "csv"})) == []


def test_a_name_that_starts_like_a_formula_stays_text_in_the_csv(zone, client_for):
    Person.objects.filter(pk=zone.staff_a[0].pk).update(name='=HYPERLINK("http://evil.example/")')
    Membership.objects.filter(person=zone.staff_a[0]).update(name='=HYPERLINK("http://evil.example/")')
    rows = _csv_rows(client_for("admin_a").get("/registry/people/", {"export": "csv"}))
    assert ['\'=HYPERLINK("http://evil.example/")', zone.staff_a[0].masked_id_number, "138****0000"] in rows
