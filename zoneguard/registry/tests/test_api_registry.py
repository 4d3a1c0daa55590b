"""The registry API: create, read, update, list with filters; invalid input is a 422 that writes nothing."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zoneguard.audit.models import AuditEvent
from zoneguard.registry.models import Membership, Organisation, Person, Site
from zoneguard.testing import valid_credit_code, valid_id_number


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


def test_it_creates_reads_and_updates_an_organisation(zone, api_for):
    client = api_for("officer_a")
    code = valid_credit_code(77)
    response = post(
        client,
        "/api/v1/organisations",
        {
            "name": "衡阳新材料有限公司",
            "kind": "enterprise",
            "sector_id": zone.sector_manufacturing.pk,
            "credit_code": code.lower(),
            "contact_name": "李四",
            "contact_phone": "13912345678",
            "total_staff": 40,
            "community_id": zone.community.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_code"] == code
    assert body["sector"] == "制造业"
    assert body["contact_phone"] == "13912345678"
    pk = body["id"]
    assert client.get(f"/api/v1/organisations/{pk}").json()["total_staff"] == 40
    response = patch(client, f"/api/v1/organisations/{pk}", {"total_staff": 42})
    assert response.status_code == 200
    assert Organisation.objects.get(pk=pk).total_staff == 42
    event = AuditEvent.objects.filter(object_type="registry.organisation", object_id=str(pk), action="update").get()
    assert event.detail["changes"] == {"total_staff": [40, 42]}
    assert event.actor == zone.officer_a


def test_it_answers_422_with_a_field_message_and_writes_nothing(zone, api_for):
    before = Organisation.objects.count()
    response = post(
        api_for("officer_a"),
        "/api/v1/organisations",
        {
            "name": "坏代码公司",
            "kind": "enterprise",
            "credit_code": "91350100M000100Y44",
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["credit_code"] == ["统一社会信用代码校验码错误。"]
    assert Organisation.objects.count() == before


def test_it_answers_in_english_when_asked(zone, api_for):
    response = post(
        api_for("officer_a", language="en"),
        "/api/v1/people",
        {
            "name": "Li",
            "id_number": "110105194912310021",
            "organisation_id": zone.enterprise_a.pk,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"]["id_number"] == [
        "The check digit of the ID number is wrong; please check the number."
    ]


def test_it_translates_schema_errors(zone, api_for):
    response = post(api_for("officer_a"), "/api/v1/organisations", {"kind": "spaceship", "total_staff": -1})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["name"] == ["此项为必填项。"]
    assert errors["kind"][0].startswith("请从以下选项中选择")
    assert errors["total_staff"] == ["数值必须大于或等于 0。"]


def test_it_refuses_nul_characters_instead_of_failing_in_the_database(zone, api_for):
    response = post(api_for("commander"), "/api/v1/organisations", {"name": "a\x00b", "kind": "enterprise"})
    assert response.status_code == 422
    assert not Organisation.objects.filter(name__startswith="a").exists()


def test_it_refuses_a_duplicate_credit_code(zone, api_for):
    response = post(
        api_for("commander"),
        "/api/v1/organisations",
        {
            "name": "重复",
            "kind": "enterprise",
            "credit_code": zone.enterprise_a.credit_code,
        },
    )
    assert response.status_code == 422
    assert "credit_code" in response.json()["errors"]


def test_it_filters_and_pages_organisations(zone, api_for):
    client = api_for("commander")
    body = client.get("/api/v1/organisations", {"kind": "enterprise", "limit": 1}).json()
    assert body["count"] == 2
    assert len(body["items"]) == 1
    assert client.get("/api/v1/organisations", {"search": "企业乙"}).json()["items"][0]["name"] == "企业乙"
    by_code = client.get("/api/v1/organisations", {"search": zone.enterprise_a.credit_code.lower()}).json()
    assert [o["name"] for o in by_code["items"]] == ["企业甲"]
    in_community = client.get("/api/v1/organisations", {"community_id": zone.community.pk}).json()
    assert in_community["count"] == 3
    assert client.get("/api/v1/organisations", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/organisations", {"offset": 10**30}).status_code == 422


def test_it_masks_the_contact_phone_in_lists(zone, api_for):
    item = api_for("commander").get("/api/v1/organisations", {"search": "企业甲"}).json()["items"][0]
    assert item["contact_phone"] == "138****8000"


def test_it_lists_organisations_in_a_fixed_number_of_queries(zone, api_for):
    client = api_for("officer_a")
    client.get("/api/v1/organisations")  # the token's first use records its time once
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/organisations")
    for i in range(5):
        Organisation.objects.create(name=f"企业{i}", kind="enterprise", sector=zone.sector_manufacturing)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/organisations").json()["count"] == 8
    assert len(many) == len(few)


def test_it_creates_sites_with_the_default_dwell_time_of_the_organisation_kind(zone, api_for):
    client = api_for("commander")
    market_gate = post(
        client, "/api/v1/sites", {"organisation_id": zone.market.pk, "name": "北门", "kind": "market_entrance"}
    )
    assert market_gate.status_code == 201
    assert market_gate.json()["default_dwell_minutes"] == 60
    factory_gate = post(client, "/api/v1/sites", {"organisation_id": zone.enterprise_a.pk, "name": "西门"})
    assert factory_gate.json()["default_dwell_minutes"] == 480
    assert len(factory_gate.json()["code"]) >= 16
    response = patch(client, f"/api/v1/sites/{factory_gate.json()['id']}", {"default_dwell_minutes": 600})
    assert response.json()["default_dwell_minutes"] == 600
    assert (
        patch(client, f"/api/v1/sites/{factory_gate.json()['id']}", {"default_dwell_minutes": 5000}).status_code == 422
    )


def test_it_lists_only_sites_in_scope_with_their_codes(zone, api_for):
    items = api_for("gate_a").get("/api/v1/sites").json()["items"]
    assert [(s["name"], s["organisation_id"], s["code"]) for s in items] == [
        ("大门", zone.enterprise_a.pk, zone.site_a.code)
    ]


def test_it_refuses_a_duplicate_site_name_in_one_organisation(zone, api_for):
    response = post(api_for("admin_a"), "/api/v1/sites", {"organisation_id": zone.enterprise_a.pk, "name": "大门"})
    assert response.status_code == 422
    assert Site.objects.filter(organisation=zone.enterprise_a).count() == 1


def test_it_registers_people_into_an_organisation(zone, api_for):
    client = api_for("admin_a")
    number = valid_id_number(born="19850505")
    response = post(
        client,
        "/api/v1/people",
        {
            "name": "王五",
            "id_number": number,
            "phone": "+86 139-1234-5678",
            "organisation_id": zone.enterprise_a.pk,
            "position": "焊工",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["masked"] is True
    assert body["id_number"] == number[:6] + "********" + number[-4:]
    person = Person.objects.get(pk=body["id"])
    assert person.phone == "13912345678"
    assert person.birth_date.isoformat() == "1985-05-05"
    assert Membership.objects.get(person=person).position == "焊工"


def test_it_requires_an_organisation_unless_commander(zone, api_for):
    data = {"name": "无单位", "id_number": valid_id_number()}
    assert post(api_for("admin_a"), "/api/v1/people", data).status_code == 403
    assert post(api_for("commander"), "/api/v1/people", data).status_code == 201


def test_it_updates_and_ends_memberships(zone, api_for):
    client = api_for("admin_a")
    membership = zone.staff_a[0].memberships.get()
    response = patch(client, f"/api/v1/memberships/{membership.pk}", {"is_active": False, "ended_on": "2026-01-31"})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert not membership.is_active
    listed = client.get("/api/v1/memberships", {"organisation_id": zone.enterprise_a.pk, "is_active": True}).json()
    assert listed["count"] == 2


def test_it_refuses_an_end_before_the_start(zone, api_for):
    membership = zone.staff_a[0].memberships.get()
    response = patch(
        api_for("admin_a"),
        f"/api/v1/memberships/{membership.pk}",
        {
            "started_on": "2026-02-01",
            "ended_on": "2026-01-31",
        },
    )
    assert response.status_code == 422
    membership.refresh_from_db()
    assert membership.started_on is None


def test_it_adds_a_member_through_the_api(zone, api_for):
    person = Person.objects.create(name="独立", id_number=valid_id_number())
    response = post(
        api_for("commander"),
        "/api/v1/memberships",
        {
            "person_id": person.pk,
            "organisation_id": zone.enterprise_b.pk,
            "position": "司机",
        },
    )
    assert response.status_code == 201
    assert response.json()["organisation_name"] == "企业乙"
    again = post(
        api_for("commander"),
        "/api/v1/memberships",
        {
            "person_id": person.pk,
            "organisation_id": zone.enterprise_b.pk,
        },
    )
    assert again.status_code == 409
    assert again.json()["code"] == "membership_exists"


def test_adding_a_person_seen_masked_to_ones_community_does_not_unmask_them(zone, api_for):
    worker = api_for("community_worker")
    employee = zone.staff_b[0]  # works at enterprise B, which is registered in the worker's community
    assert worker.get(f"/api/v1/people/{employee.pk}").json()["masked"] is True
    added = post(worker, "/api/v1/memberships", {"person_id": employee.pk, "organisation_id": zone.community.pk})
    assert added.status_code == 422 and added.json()["code"] == "register_by_id_number"
    assert list(added.json()["errors"]) == ["person_id"]
    after = worker.get(f"/api/v1/people/{employee.pk}").json()
    assert after["masked"] is True and after["id_number"] != employee.id_number
    # Typing the ID number proves it is known: the community then records the person as its own.
    registered = post(
        worker,
        "/api/v1/people",
        {"name": "乙员工0", "id_number": employee.id_number, "organisation_id": zone.community.pk},
    )
    assert registered.status_code in (200, 201), registered.content


def test_it_documents_the_api(zone, client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/organisations",
        "/api/v1/sites",
        "/api/v1/people",
        "/api/v1/memberships",
        "/api/v1/auth/token",
    } <= set(spec["paths"])
    assert client.get("/api/v1/docs").status_code == 200


def test_an_organisation_admin_keeps_contacts_up_to_date_but_not_what_decides_supervision(zone, api_for, client_for):
    client = api_for("admin_a")
    url = f"/api/v1/organisations/{zone.enterprise_a.pk}"
    escapes = {
        "kind": "building_project",
        "sector_id": zone.sector_construction.pk,
        "is_active": False,
        "size": "large",
        "parent_id": zone.enterprise_b.pk,
        "community_id": None,
        "name": "改名公司",
        "credit_code": valid_credit_code(55),
    }
    for field, value in escapes.items():
        response = patch(client, url, {field: value})
        assert response.status_code == 403, field
        assert response.json()["code"] == "zone_field"
        assert list(response.json()["errors"]) == [field.removesuffix("_id")]
    zone.enterprise_a.refresh_from_db()
    assert (zone.enterprise_a.kind, zone.enterprise_a.is_active, zone.enterprise_a.name) == (
        "enterprise",
        True,
        "企业甲",
    )
    # Its own contact details, and the zone's fields sent back unchanged, go through.
    response = patch(client, url, {"contact_name": "王五", "kind": "enterprise", "total_staff": 12})
    assert response.status_code == 200
    assert (response.json()["contact_name"], response.json()["total_staff"]) == ("王五", 12)
    # The page offers the admin only what they may change; the competent officer everything.
    admin_form = client_for("admin_a").get(f"/registry/organisations/{zone.enterprise_a.pk}/edit/").context["form"]
    assert set(admin_form.fields) == {"address", "contact_name", "contact_phone", "total_staff"}
    officer_form = client_for("officer_a").get(f"/registry/organisations/{zone.enterprise_a.pk}/edit/").context["form"]
    assert {"kind", "sector", "is_active"} <= set(officer_form.fields)
    assert patch(api_for("officer_a"), url, {"size": "large"}).status_code == 200
