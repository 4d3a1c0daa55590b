"""The gates pages: gate page, entry log (masked, Excel), on site now, today's counts, alerts, posters."""

import io

from openpyxl import load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.gates.models import FeverAlert, SiteGate
from zoneguard.health.models import HealthStatus
from zoneguard.testing import response_bytes

from .conftest import post


def test_the_gate_page_offers_the_officer_s_sites_only(zone, client_for):
    page = client_for("gate_a").get("/gates/gate/").content.decode()
    assert f'value="{zone.site_a.pk}"' in page
    assert f'value="{zone.site_b.pk}"' not in page
    assert client_for("officer_a").get("/gates/gate/").status_code == 404
    assert client_for("volunteer").get("/gates/gate/").status_code == 404


def test_the_gate_page_s_session_may_post_check_ins_with_its_csrf_token(zone, declare, item):
    from django.test import Client

    declare(zone.staff_a[0])
    client = Client(enforce_csrf_checks=True)
    client.force_login(zone.gate_a)
    page = client.get("/gates/gate/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content
    refused = client.post("/api/v1/checkins", item(zone.site_a, zone.staff_a[0]), content_type="application/json")
    assert refused.status_code == 403  # the session without its CSRF token


def test_the_entry_log_masks_people_and_exports_masked(zone, declare, device_for, item, client_for):
    person = zone.staff_a[0]
    declare(person)
    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, person, 36.8))
    post(device_for(zone.site_b), "/api/v1/checkins", item(zone.site_b, zone.staff_b[0], 36.8))
    page = client_for("admin_a").get("/gates/log/").content.decode()
    assert "甲**0" in page and person.masked_id_number in page
    assert person.id_number not in page
    assert "乙**0" not in page
    response = client_for("admin_a").get("/gates/log/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert person.masked_id_number in cells and person.id_number not in cells
    # The health status as a reader says it, not as it is stored.
    assert str(HealthStatus.GREEN.label) in cells and "green" not in cells
    assert AuditEvent.objects.filter(action="export", object_type="gates.checkin").exists()
    assert "甲**0" not in client_for("admin_b").get("/gates/log/").content.decode()


def test_person_log_and_on_site_now(zone, declare, device_for, item, client_for):
    person = zone.staff_a[0]
    declare(person)
    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, person, 36.8))
    assert "甲**0" in client_for("admin_a").get("/gates/onsite/").content.decode()
    assert "甲**0" not in client_for("admin_b").get("/gates/onsite/").content.decode()
    assert client_for("admin_a").get(f"/gates/people/{person.pk}/").status_code == 200
    assert client_for("admin_b").get(f"/gates/people/{person.pk}/").status_code == 404


def test_today_counts_entries_refusals_and_fevers(zone, declare, device_for, item, client_for):
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[1], 38.1))
    from zoneguard.gates.selectors import site_counts, site_counts_attention_first

    sites = list(site_counts_attention_first(actor=zone.admin_a))
    counts = {c.site.pk: c for c in site_counts(sites=sites)}
    assert (counts[zone.site_a.pk].entries, counts[zone.site_a.pk].denied, counts[zone.site_a.pk].fevers) == (1, 1, 1)
    assert counts[zone.site_a.pk].on_site == 1
    assert zone.site_b.pk not in counts
    assert client_for("admin_a").get("/gates/").status_code == 200


def test_alerts_pages_acknowledge_and_close(zone, device_for, item, client_for):
    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], 38.0))
    alert = FeverAlert.objects.get()
    assert "38.0" in client_for("admin_a").get("/gates/alerts/").content.decode()
    assert client_for("admin_b").get(f"/gates/alerts/{alert.pk}/").status_code == 404
    client = client_for("admin_a")
    client.post(f"/gates/alerts/{alert.pk}/acknowledge/")
    client.post(f"/gates/alerts/{alert.pk}/close/", {"note": "复测正常"})
    alert.refresh_from_db()
    assert alert.status == "closed" and alert.note == "复测正常"


def test_posters_carry_the_site_code(zone, client_for):
    png = client_for("admin_a").get(f"/gates/sites/{zone.site_a.pk}/poster.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    pdf = client_for("admin_a").get(f"/gates/sites/{zone.site_a.pk}/poster.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content
    assert client_for("admin_b").get(f"/gates/sites/{zone.site_a.pk}/poster.pdf").status_code == 404
    page = client_for("admin_a").get(f"/gates/sites/{zone.site_a.pk}/").content.decode()
    assert f"/health/d/{zone.site_a.code}/" in page


def test_site_gate_settings_are_changed_by_its_managers_only(zone, client_for):
    data = {"require_declaration": "on", "admit_yellow": "on"}
    assert client_for("gate_a").post(f"/gates/sites/{zone.site_a.pk}/", data).status_code == 404
    assert client_for("admin_a").post(f"/gates/sites/{zone.site_a.pk}/", data).status_code == 302
    gate = SiteGate.objects.get(site=zone.site_a)
    assert gate.admit_yellow and gate.require_declaration and not gate.face_check
    assert AuditEvent.objects.filter(object_type="gates.sitegate").exists()


def test_the_sites_api_lists_the_code_of_sites_in_scope(zone, api_for):
    items = api_for("admin_a").get("/api/v1/sites").json()["items"]
    assert {i["code"] for i in items} == {zone.site_a.code}
    assert {"id", "name", "kind", "organisation_id", "code"} <= set(items[0])


def test_a_community_worker_finds_fever_alerts_in_the_menu(zone, client_for):
    # A community's own checkpoints raise alerts; the home page counts them, the menu leads there.
    assert 'href="/gates/alerts/"' in client_for("community_worker").get("/").content.decode()
    assert client_for("community_worker").get("/gates/alerts/").status_code == 200


def test_several_reasons_read_as_sentences_not_joined_by_a_semicolon(zone, declare, device_for, item, client_for):
    """Each reason ends with its own full stop; joined by "；" the log read "不得进入。；复测正常前…"."""
    person = zone.staff_a[0]
    declare(person)
    client = device_for(zone.site_a)
    post(client, "/api/v1/checkins", item(zone.site_a, person, 38.0))
    post(client, "/api/v1/checkins", item(zone.site_a, person, 38.2))  # the fever and the hold
    admin = client_for("admin_a")
    page = admin.get("/gates/log/").content.decode()
    assert "38.2 °C" in page and "。；" not in page
    alert = FeverAlert.objects.order_by("-pk").first()
    detail = admin.get(f"/gates/alerts/{alert.pk}/").content.decode()
    assert "。；" not in detail
    sheet = load_workbook(io.BytesIO(response_bytes(admin.get("/gates/log/?export=xlsx")))).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("38.2 °C" in c for c in cells)
    assert not any("。；" in c for c in cells)


def test_the_gate_choice_names_the_gate_first_so_a_phone_does_not_cut_it_off(zone, client_for):
    """On a 390 px phone the select showed "企业…集团有限公司 · 大" and hid which gate it was."""
    page = client_for("gate_a").get("/gates/gate/").content.decode()
    assert f'<option value="{zone.site_a.pk}">大门 · 企业甲</option>' in page
