"""An organisation that registers a person already registered elsewhere (by ID number) joins them,
and learns nothing from it: not whether the number was known, not what another organisation or
the person recorded elsewhere. Only the commander and the registering organisation change the
registry's record; an ID number only the commander."""

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook

from zoneguard.audit.models import AuditEvent
from zoneguard.health.models import Declaration
from zoneguard.registry.models import Membership, Person
from zoneguard.testing import valid_id_number


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


def _register(client, zone, name, id_number, phone=""):
    return post(
        client,
        "/api/v1/people",
        {"name": name, "id_number": id_number, "phone": phone, "organisation_id": zone.enterprise_a.pk},
    )


def _shape(response):
    body = dict(response.json())
    body.pop("id")
    return response.status_code, body


@pytest.fixture
def employee_of_b(zone):
    """乙员工0: registered by enterprise B with a phone, declared at B's gate."""
    person = zone.staff_b[0]
    Declaration.objects.create(
        person=person,
        site=zone.site_b,
        name=person.name,
        phone=person.phone,
        status="yellow",
        reasons=["去过风险地区"],
        valid_until=timezone.now() + timezone.timedelta(days=1),
        declared_at=timezone.now(),
    )
    return person


@pytest.mark.parametrize("name_given", ["the registered name", "another name"])
def test_joining_answers_as_registering_someone_new(zone, api_for, employee_of_b, name_given):
    client = api_for("admin_a")
    name = employee_of_b.name if name_given == "the registered name" else "冒名者"
    joined = _register(client, zone, name, employee_of_b.id_number, "13911112222")
    new = _register(client, zone, name, valid_id_number(born="19880808"), "13911112222")
    assert _shape(joined)[0] == _shape(new)[0] == 201
    assert _shape(joined)[1] == {**_shape(new)[1], "id_number": joined.json()["id_number"]}
    assert joined.json()["name"] == name and joined.json()["phone"] == "139****2222"
    # The registry keeps its own record; the membership holds what enterprise A entered.
    employee_of_b.refresh_from_db()
    assert (employee_of_b.name, employee_of_b.phone) == ("乙员工0", "13900000000")
    membership = Membership.objects.get(person=employee_of_b, organisation=zone.enterprise_a)
    assert (membership.name, membership.phone) == (name, "13911112222")


def test_the_joining_organisation_sees_only_its_own_record(zone, api_for, employee_of_b):
    client = api_for("admin_a")
    person_id = _register(client, zone, "冒名者", employee_of_b.id_number).json()["id"]
    full = client.get(f"/api/v1/people/{person_id}").json()
    assert full == {
        "id": person_id,
        "name": "冒名者",
        "id_number": employee_of_b.id_number,
        "phone": "",
        "masked": False,
    }
    listed = client.get("/api/v1/people", {"search": employee_of_b.id_number}).json()["items"]
    assert [(p["name"], p["phone"]) for p in listed] == [("冒名者", "")]
    assert client.get("/api/v1/people", {"search": "乙员工0"}).json()["items"] == []
    # What the person declared at enterprise B's gate stays with enterprise B.
    assert client.get("/api/v1/declarations", {"person_id": person_id}).json()["items"] == []
    assert api_for("admin_b").get("/api/v1/declarations", {"person_id": person_id}).json()["count"] == 1
    # The pages say no more than the API.
    page = client.__class__()
    page.force_login(zone.admin_a)
    detail = page.get(f"/registry/people/{person_id}/").content.decode()
    assert "冒名者" in detail and "乙员工0" not in detail and "13900000000" not in detail
    members = page.get(f"/registry/organisations/{zone.enterprise_a.pk}/").content.decode()
    assert "冒名者" in members and "乙员工0" not in members


def test_the_page_and_the_import_answer_the_same_for_known_and_new_numbers(zone, client_for, employee_of_b):
    client = client_for("admin_a")
    url = f"/registry/organisations/{zone.enterprise_a.pk}/members/new/"
    answers = []
    for id_number in (employee_of_b.id_number, valid_id_number(born="19770707")):
        response = client.post(url, {"name": "冒名者", "id_number": id_number, "phone": ""}, follow=True)
        answers.append((response.status_code, [str(m) for m in response.context["messages"]]))
    assert answers[0] == answers[1]
    imported = []
    for id_number in (zone.staff_b[1].id_number, valid_id_number(born="19660606")):
        workbook = Workbook()
        workbook.active.append(["姓名", "身份证号", "手机号", "岗位"])
        workbook.active.append(["另一个名字", id_number, "", ""])
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        buffer.name = "staff.xlsx"
        response = client.post(f"/registry/organisations/{zone.enterprise_a.pk}/import/", {"file": buffer}, follow=True)
        imported.append((response.status_code, [str(m) for m in response.context["messages"]]))
    assert imported[0] == imported[1]
    assert Membership.objects.get(person=zone.staff_b[1], organisation=zone.enterprise_a).name == "另一个名字"


def test_a_joining_organisation_cannot_change_the_registry_or_the_id_number(zone, api_for, employee_of_b):
    client = api_for("admin_a")
    person_id = _register(client, zone, "冒名者", employee_of_b.id_number).json()["id"]
    refused = patch(client, f"/api/v1/people/{person_id}", {"id_number": valid_id_number(born="19550505")})
    assert refused.status_code == 403
    changed = patch(client, f"/api/v1/people/{person_id}", {"name": "张改名", "phone": "13722223333"})
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["phone"]) == ("张改名", "137****3333")
    employee_of_b.refresh_from_db()
    assert (employee_of_b.name, employee_of_b.phone, employee_of_b.id_number) == (
        "乙员工0",
        "13900000000",
        employee_of_b.id_number,
    )
    record_b = Membership.objects.get(person=employee_of_b, organisation=zone.enterprise_b)
    assert (record_b.name, record_b.phone) == ("乙员工0", "13900000000")
    assert AuditEvent.objects.filter(action="update", object_type="registry.membership").exists()


def test_the_registering_organisation_keeps_the_registry_up_to_date(zone, api_for, employee_of_b):
    response = patch(api_for("admin_b"), f"/api/v1/people/{employee_of_b.pk}", {"phone": "13633334444"})
    assert response.status_code == 200
    employee_of_b.refresh_from_db()
    assert employee_of_b.phone == "13633334444"
    assert AuditEvent.objects.filter(action="update", object_type="registry.person").exists()
    # The ID number is the commander's to correct.
    assert (
        patch(api_for("admin_b"), f"/api/v1/people/{employee_of_b.pk}", {"id_number": valid_id_number()}).status_code
        == 403
    )
    new_number = valid_id_number(born="19440404")
    assert (
        patch(api_for("commander"), f"/api/v1/people/{employee_of_b.pk}", {"id_number": new_number}).status_code == 200
    )
    employee_of_b.refresh_from_db()
    assert employee_of_b.id_number == new_number


def test_the_commander_alone_is_told_whether_a_number_was_registered(zone, api_for):
    known = zone.staff_a[0]
    data = {"name": known.name, "id_number": known.id_number}
    assert post(api_for("commander"), "/api/v1/people", data).status_code == 200
    assert post(api_for("commander"), "/api/v1/people", {**data, "id_number": valid_id_number()}).status_code == 201
    assert Person.objects.filter(id_number=known.id_number).count() == 1
