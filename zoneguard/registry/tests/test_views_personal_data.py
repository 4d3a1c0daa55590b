"""Personal data: masked in every list and export, in full only on the detail page for those
allowed, and every such read recorded in the audit log."""

import io

from openpyxl import load_workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.testing import response_bytes


def test_it_masks_id_numbers_and_phones_in_the_people_list(zone, client_for):
    person = zone.staff_a[0]
    page = client_for("commander").get("/registry/people/").content.decode()
    assert person.masked_id_number in page
    assert person.id_number not in page
    assert person.phone not in page
    assert "138****0000" in page


def test_it_masks_personal_data_in_the_members_table(zone, client_for):
    page = client_for("admin_a").get(f"/registry/organisations/{zone.enterprise_a.pk}/").content.decode()
    for person in zone.staff_a:
        assert person.id_number not in page
        assert person.masked_id_number in page


def test_it_masks_personal_data_in_exports(zone, client_for):
    response = client_for("commander").get("/registry/people/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    person = zone.staff_a[0]
    assert person.masked_id_number in values
    assert person.id_number not in values
    assert person.phone not in values
    assert AuditEvent.objects.filter(action="export", object_type="registry.person", actor=zone.commander).exists()


def test_it_masks_personal_data_in_the_members_export(zone, client_for):
    response = client_for("admin_a").get(f"/registry/organisations/{zone.enterprise_a.pk}/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response_bytes(response))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sorted(r[0] for r in rows) == ["甲员工0", "甲员工1", "甲员工2"]
    assert {r[1] for r in rows} == {p.masked_id_number for p in zone.staff_a}
    assert AuditEvent.objects.filter(action="export", object_type="registry.membership").exists()


def test_it_shows_the_full_values_to_the_employer_and_audits_the_read(zone, client_for):
    person = zone.staff_a[0]
    response = client_for("admin_a").get(f"/registry/people/{person.pk}/")
    page = response.content.decode()
    assert person.id_number in page
    assert person.phone in page
    event = AuditEvent.objects.get(action="read_personal", object_type="registry.person", object_id=str(person.pk))
    assert event.actor == zone.admin_a
    assert event.detail["fields"] == ["id_number", "phone"]
    assert event.detail["purpose"] == "person_detail"


def test_it_shows_an_officer_only_masks_and_records_nothing(zone, client_for):
    person = zone.staff_a[0]
    page = client_for("officer_a").get(f"/registry/people/{person.pk}/").content.decode()
    assert person.id_number not in page
    assert person.masked_id_number in page
    assert not AuditEvent.objects.filter(action="read_personal").exists()


def test_it_audits_personal_reads_through_the_api(zone, api_for):
    person = zone.staff_a[0]
    body = api_for("admin_a").get(f"/api/v1/people/{person.pk}").json()
    assert body == {
        "id": person.pk,
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "masked": False,
    }
    masked = api_for("officer_a").get(f"/api/v1/people/{person.pk}").json()
    assert masked["masked"] is True
    assert masked["id_number"] == person.masked_id_number
    assert AuditEvent.objects.filter(action="read_personal").count() == 1


def test_it_never_writes_personal_values_into_the_audit_log(zone, api_for):
    person = zone.staff_a[0]
    api_for("admin_a").patch(f"/api/v1/people/{person.pk}", {"phone": "13711112222"}, content_type="application/json")
    event = AuditEvent.objects.get(action="update", object_type="registry.person")
    assert event.detail["changes"]["phone"] == ["138****0000", "137****2222"]


def test_it_lets_only_the_responsible_edit_a_person(zone, api_for):
    person = zone.staff_a[0]
    response = api_for("officer_a").patch(
        f"/api/v1/people/{person.pk}", {"name": "改"}, content_type="application/json"
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name == "甲员工0"
