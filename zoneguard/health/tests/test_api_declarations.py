"""POST /api/v1/declarations: public, answers status, reasons and validity; GET is for officers."""

import re
from datetime import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zoneguard.health.models import Declaration, DeclaredContact
from zoneguard.registry.models import Person
from zoneguard.testing import valid_id_number


def declare(client, **data):
    return client.post("/api/v1/declarations", data, content_type="application/json")


def payload(zone, **overrides):
    data = {
        "site_code": zone.site_a.code,
        "name": "李明",
        "id_number": valid_id_number(area="110101", seq=501),
        "phone": "13912345678",
        "temperature": 36.5,
    }
    data.update(overrides)
    return data


def test_it_registers_a_newcomer_and_answers_green(zone, rules):
    response = declare(Client(), **payload(zone))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "green"
    assert body["reasons"] == []
    person = Person.objects.get(id_number=payload(zone)["id_number"])
    assert person.name == "李明"
    assert body["card_url"].startswith("http://testserver/health/card/")
    assert Declaration.objects.get(person=person).site == zone.site_a


def test_it_answers_red_with_the_reasons_and_stores_the_contacts(zone, rules, days_ago):
    response = declare(
        Client(),
        **payload(
            zone,
            travel=[{"place": "武汉", "from": str(days_ago(8)), "to": str(days_ago(4))}],
            contact_with_case=True,
            symptoms=["cough"],
            contacts=[
                {"name": "王芳", "phone": "13800000001"},
                {"name": "张三", "phone": "13800000002", "id_number": valid_id_number(area="110101", seq=502)},
            ],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "red"
    assert body["reasons"] == ["与确诊或疑似病例有接触", "14天内有湖北旅居史"]
    assert DeclaredContact.objects.filter(declaration__person__id_number=payload(zone)["id_number"]).count() == 2


def test_a_wrong_site_code_is_404(zone, rules):
    response = declare(Client(), **payload(zone, site_code="not-a-code"))
    assert response.status_code == 404
    assert not Declaration.objects.exists()


def test_a_bad_id_number_is_422_and_records_nothing(zone, rules):
    number = valid_id_number(area="110101", seq=503)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = declare(Client(), **payload(zone, id_number=bad))
    assert response.status_code == 422
    assert response.json()["errors"]["id_number"] == ["身份证号校验码错误，请核对号码。"]
    assert not Declaration.objects.exists()
    assert not Person.objects.filter(id_number=bad).exists()


def test_an_implausible_temperature_is_422_with_a_clear_message(zone, rules):
    response = declare(Client(), **payload(zone, temperature=45.5))
    assert response.status_code == 422
    assert "不是人体体温" in response.json()["errors"]["temperature"][0]
    assert not Declaration.objects.exists()


def test_future_travel_is_refused(zone, rules, today):
    from datetime import timedelta

    later = str(today + timedelta(days=2))
    response = declare(Client(), **payload(zone, travel=[{"place": "武汉", "from": str(today), "to": later}]))
    assert response.status_code == 422
    assert "travel.0.to" in response.json()["errors"]


def test_a_name_not_matching_the_registry_is_answered_alike_but_gives_no_status(zone, rules):
    staff = zone.staff_a[0]
    response = declare(Client(), **payload(zone, name="冒名者", id_number=staff.id_number))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"status", "reasons", "valid_until", "card_url"}
    declaration = Declaration.objects.get(person=staff)
    assert declaration.identity_verified is False
    from zoneguard.health.selectors import current_declaration

    assert current_declaration(person_id=staff.pk) is None
    staff.refresh_from_db()
    assert staff.name == "甲员工0"


def test_it_lists_declarations_masked_in_the_caller_s_scope(zone, rules, api_for):
    declare(Client(), **payload(zone))
    declare(
        Client(),
        **payload(zone, site_code=zone.site_b.code, name="王五", id_number=valid_id_number(area="110101", seq=504)),
    )
    body = api_for("admin_a").get("/api/v1/declarations").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "李*"
    assert item["phone"] == "139****5678"
    # An outsider to enterprise A sees nothing of it.
    other = api_for("admin_b").get("/api/v1/declarations").json()
    assert [i["name"] for i in other["items"]] == ["王*"]
    assert api_for("volunteer").get("/api/v1/declarations").json()["count"] == 0


def test_its_list_costs_a_fixed_number_of_queries(zone, rules, api_for):
    for seq in range(5):
        declare(Client(), **payload(zone, name=f"人{seq}", id_number=valid_id_number(area="110101", seq=510 + seq)))
    client = api_for("commander")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/declarations").json()["count"] == 5
    assert len(queries) <= 4


def test_a_concurrent_first_declaration_is_written_for_the_person_registered_meanwhile(zone, rules, monkeypatch):
    # Two first declarations with one ID number at the same moment: both find nobody registered,
    # the second's insert of the person collides with the first's. Written again, the second
    # finds that person, as a declaration a minute later would.
    from zoneguard.registry import selectors as registry_selectors

    first = declare(Client(), **payload(zone))
    assert first.status_code == 201
    lookup = registry_selectors.person_by_id_number
    lookups = []

    def before_the_first_committed(number):
        lookups.append(number)
        return None if len(lookups) == 1 else lookup(number)

    monkeypatch.setattr(registry_selectors, "person_by_id_number", before_the_first_committed)
    second = declare(Client(), **payload(zone, phone="13911112222", symptoms=["cough"]))
    assert second.status_code == 201, second.content
    assert len(lookups) == 2
    person = Person.objects.get(id_number=payload(zone)["id_number"])
    assert person.phone == "13912345678"  # nothing registered is changed from the public form
    assert sorted(Declaration.objects.filter(person=person).values_list("phone", flat=True)) == [
        "13911112222",
        "13912345678",
    ]


def test_a_collision_that_persists_is_409_and_records_nothing(zone, rules, monkeypatch):
    first = declare(Client(), **payload(zone))
    assert first.status_code == 201
    monkeypatch.setattr("zoneguard.registry.selectors.person_by_id_number", lambda number: None)
    second = declare(Client(), **payload(zone, phone="13911112222"))
    assert second.status_code == 409, second.content
    assert second.json()["code"] == "integrity"
    assert Declaration.objects.count() == 1
    assert Person.objects.filter(id_number=payload(zone)["id_number"]).count() == 1
    assert not Person.objects.filter(phone="13911112222").exists()


def test_a_rotated_site_code_stops_opening_the_form_at_once(zone, rules):
    from zoneguard.registry.services import site_rotate_code

    old_code = zone.site_a.code
    assert declare(Client(), **payload(zone)).status_code == 201
    site_rotate_code(actor=zone.commander, site=zone.site_a)
    assert declare(Client(), **payload(zone, site_code=old_code)).status_code == 404
    assert declare(Client(), **payload(zone, site_code=zone.site_a.code)).status_code == 201


CARD_URL = re.compile(r"^http://testserver/health/card/[A-Za-z0-9_-]{16}/[A-Za-z0-9_-]{43}/$")


def test_a_registered_and_an_unregistered_number_are_answered_alike(zone, rules):
    staff = zone.staff_a[0]
    answers = {"name": "李明", "phone": "13912345678", "temperature": 36.5}
    registered = declare(Client(), **payload(zone, id_number=staff.id_number, **answers))
    registered_right_name = declare(Client(), **payload(zone, id_number=staff.id_number, name=staff.name))
    unregistered = declare(Client(), **payload(zone, id_number=valid_id_number(area="110101", seq=520), **answers))
    bodies = [registered.json(), registered_right_name.json(), unregistered.json()]
    assert [r.status_code for r in (registered, registered_right_name, unregistered)] == [201, 201, 201]
    assert all(CARD_URL.match(body.pop("card_url")) for body in bodies)
    # Valid for the same time from the moment of each declaration.
    assert all(datetime.fromisoformat(body.pop("valid_until")) for body in bodies)
    assert bodies[0] == bodies[1] == bodies[2] == {"status": "green", "reasons": []}
    assert Declaration.objects.get(person=staff, name="李明").identity_verified is False


def test_anonymous_answers_carry_no_id_of_ours(zone, rules):
    response = declare(Client(), **payload(zone))
    declaration = Declaration.objects.get()
    body = response.json()
    assert not [key for key in body if key == "id" or key.endswith("_id")]
    assert not [value for value in body.values() if isinstance(value, int)]
    segments = body["card_url"].removeprefix("http://testserver/").strip("/").split("/")
    assert segments[:2] == ["health", "card"]
    assert segments[2] == declaration.card_code
    assert not any(segment.isdigit() for segment in segments)
    assert str(declaration.pk) not in response.headers.get("Location", "")


def test_the_card_address_is_signed_and_a_changed_one_is_refused_without_a_lookup(zone, rules):
    client = Client()
    card_url = declare(client, **payload(zone)).json()["card_url"]
    path = card_url.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    code, signature = path.strip("/").split("/")[2:]
    other = declare(client, **payload(zone, id_number=valid_id_number(area="110101", seq=521))).json()["card_url"]
    other_signature = other.strip("/").split("/")[-1]
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for changed in (
        f"/health/card/{code}/{flipped}/",
        f"/health/card/{code}/{other_signature}/",
        f"/health/card/{code[:-1]}{'y' if code[-1] == 'x' else 'x'}/{signature}/",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(changed).status_code == 404
        assert len(queries) == 0, changed
    # The unsigned address of earlier versions no longer opens the card.
    assert client.get(f"/health/card/{code}/").status_code == 404


def test_an_officer_s_change_of_the_rules_applies_to_the_next_declaration(zone, rules):
    # The rules in force are cached between declarations; a saved or deleted rule clears them.
    fever = next(rule for rule in rules if rule.reason == "有发热症状")
    first = declare(Client(), **payload(zone, symptoms=["fever"])).json()
    assert first["status"] == "red"
    fever.status = "yellow"
    fever.save()
    second = declare(Client(), **payload(zone, symptoms=["fever"], id_number=valid_id_number(seq=502))).json()
    assert second["status"] == "yellow"
    fever.delete()
    third = declare(Client(), **payload(zone, symptoms=["fever"], id_number=valid_id_number(seq=503))).json()
    assert third["status"] == "green"
