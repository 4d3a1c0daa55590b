"""POST /api/v1/checkins: the decision, the 37.3 boundary, implausible readings, idempotent retries,
and who may record entries where."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zoneguard.gates.models import CheckIn, SiteGate
from zoneguard.testing import valid_id_number

from .conftest import post


def test_37_2_is_let_in_and_37_3_is_refused(zone, declare, device_for, item):
    person = zone.staff_a[0]
    declare(person)
    client = device_for(zone.site_a)
    allowed = post(client, "/api/v1/checkins", item(zone.site_a, person, 37.2))
    assert allowed.status_code == 201, allowed.content
    assert allowed.json()["decision"] == "allow"
    assert allowed.json()["status"] == "green"
    assert allowed.json()["person"] == "甲**0"
    denied = post(client, "/api/v1/checkins", item(zone.site_a, person, 37.3))
    assert denied.status_code == 201
    body = denied.json()
    assert body["decision"] == "deny"
    assert body["reason_codes"] == ["fever"]
    assert body["reasons"] == ["体温 37.3 °C：37.3 °C 及以上不得进入。"]


def test_readings_outside_34_to_43_are_422_and_record_nothing(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    for reading in (33.9, 43.1, 0, 100):
        response = post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], reading))
        assert response.status_code == 422, reading
        assert "temperature" in response.json()["errors"]
    assert not CheckIn.objects.exists()


def test_the_messages_follow_the_request_language(zone, device_for, item):
    response = post(device_for(zone.site_a, "en"), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], 50))
    assert response.json()["errors"]["temperature"] == [
        "50.0 °C is not a body temperature: measure again (readings from 34.0 to 43.0 °C are accepted)."
    ]


def test_entering_needs_a_temperature_but_leaving_does_not(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    assert post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], None)).status_code == 422
    response = post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], None, direction="out"))
    assert response.status_code == 201
    assert response.json()["decision"] == "allow"


def test_unknown_red_expired_and_undeclared_people_are_refused_with_the_reason(zone, declare, device_for, item):
    client = device_for(zone.site_a)
    staff = zone.staff_a
    declare(staff[0], "red")
    declare(staff[1], valid_hours=-1)

    def codes(person=None, **kw):
        return post(client, "/api/v1/checkins", item(zone.site_a, person, 36.5, **kw)).json()["reason_codes"]

    assert codes(id_number=valid_id_number(area="110101", seq=901)) == ["unknown_person"]
    assert codes(staff[0]) == ["status_red"]
    assert codes(staff[1]) == ["declaration_expired"]
    assert codes(staff[2]) == ["no_declaration"]
    red = post(client, "/api/v1/checkins", item(zone.site_a, staff[0], 36.5)).json()
    assert red["reasons"] == ["红码：与确诊或疑似病例有接触"]


def test_yellow_is_refused_unless_the_site_admits_it(zone, declare, device_for, item):
    declare(zone.staff_a[0], "yellow", reasons=["14天内有湖北旅居史"])
    client = device_for(zone.site_a)
    assert post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).json()["decision"] == "deny"
    SiteGate.objects.create(site=zone.site_a, admit_yellow=True)
    assert post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).json()["decision"] == "allow"


def test_a_market_without_declarations_checks_only_the_temperature(zone, declare, device_for, item):
    SiteGate.objects.create(site=zone.market_site, require_declaration=False)
    client = device_for(zone.market_site)
    shopper = valid_id_number(area="110101", seq=902)
    assert post(client, "/api/v1/checkins", item(zone.market_site, id_number=shopper)).json()["decision"] == "allow"
    refused = post(client, "/api/v1/checkins", item(zone.market_site, id_number=shopper, temperature=38.0)).json()
    assert refused["reason_codes"] == ["fever"]
    declare(zone.staff_b[0], "red")
    red = post(client, "/api/v1/checkins", item(zone.market_site, zone.staff_b[0])).json()
    assert red["reason_codes"] == ["status_red"]


def test_the_status_card_identifies_the_person(zone, declare, device_for, item):
    declaration = declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    url = f"http://testserver/health/card/{declaration.card_code}/"
    response = post(client, "/api/v1/checkins", item(zone.site_a, None, card_code=url))
    assert response.json()["decision"] == "allow"
    assert CheckIn.objects.get().person == zone.staff_a[0]
    batch = post(
        client, "/api/v1/checkins/batch", {"items": [item(zone.site_a, None, card_code=declaration.card_code)]}
    )
    assert batch.json()["items"][0]["decision"] == "allow"
    assert CheckIn.objects.filter(person=zone.staff_a[0]).count() == 2


def test_a_retry_returns_the_first_answer_and_records_nothing_new(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    first = item(zone.site_a, zone.staff_a[0], 36.6)
    answer = post(client, "/api/v1/checkins", first)
    assert answer.status_code == 201
    # Meanwhile the person turned red: the retry still answers what the gate was told first.
    declare(zone.staff_a[0], "red")
    again = post(client, "/api/v1/checkins", first)
    assert again.status_code == 200
    assert again.json()["decision"] == "allow"
    assert again.json()["replayed"] is True
    assert again.json()["checkin_id"] == answer.json()["checkin_id"]
    assert CheckIn.objects.count() == 1


def test_a_client_id_used_at_another_site_is_a_conflict(zone, declare, api_for, item):
    client = api_for("commander")
    first = item(zone.site_a, zone.staff_a[0])
    post(client, "/api/v1/checkins", first)
    response = post(client, "/api/v1/checkins", {**first, "site_id": zone.site_b.pk})
    assert response.status_code == 409
    assert CheckIn.objects.count() == 1


def test_a_client_id_reused_for_another_person_is_a_conflict_not_the_first_answer(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    first = item(zone.site_a, zone.staff_a[0])
    assert post(client, "/api/v1/checkins", first).status_code == 201
    response = post(client, "/api/v1/checkins", {**first, "id_number": zone.staff_a[1].id_number})
    assert response.status_code == 409 and response.json()["code"] == "client_id_used"
    assert CheckIn.objects.get().person == zone.staff_a[0]


def test_a_device_may_record_only_at_its_own_site(zone, declare, device_for, item):
    client = device_for(zone.site_a)
    other_site_same_org = zone.site_a.organisation.sites.create(name="东门")
    # Another site, of its own organisation or another, does not exist for the device.
    response = post(client, "/api/v1/checkins", item(other_site_same_org, zone.staff_a[0]))
    assert response.status_code == 404
    assert response.json()["code"] == "site_not_found" and "site_id" in response.json()["errors"]
    # The same answer for a site of another organisation and for no site at all: nothing disclosed.
    other_org = post(client, "/api/v1/checkins", item(zone.site_b, zone.staff_b[0]))
    nowhere = post(client, "/api/v1/checkins", {**item(zone.site_b, zone.staff_b[0]), "site_id": 10**6})
    assert other_org.status_code == nowhere.status_code == 404 and other_org.json() == nowhere.json()
    assert not CheckIn.objects.exists()
    assert post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 201


def test_gate_officers_and_admins_record_at_their_own_organisation_only(zone, declare, api_for, item):
    declare(zone.staff_a[0])
    assert post(api_for("gate_a"), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 201
    assert post(api_for("admin_a"), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 201
    # Outside their organisation the site does not exist for them.
    assert post(api_for("admin_b"), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 404
    assert post(api_for("gate_a"), "/api/v1/checkins", item(zone.site_b, zone.staff_b[0])).status_code == 404
    # Roles that do not run gates are refused.
    for username in ("officer_a", "volunteer", "community_worker"):
        assert post(api_for(username), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 403
    assert CheckIn.objects.count() == 2


def test_anonymous_callers_are_refused(zone, item):
    from django.test import Client

    response = post(Client(), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    assert response.status_code == 401


def _statements(queries):
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "SELECT 1"))]


def test_a_check_in_costs_four_queries_and_then_two(zone, declare, device_for, item):
    """First: token, site with its gate settings, person with their status, the insert (and the
    token's last use, written once). Then the device's token and site are known for a couple of
    seconds (core/hotcache.py): person and insert only. Never an audit row."""
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    with CaptureQueriesContext(connection) as first:
        assert post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 201
    statements = _statements(first)
    assert len(statements) == 5, statements
    assert "last_used_at" in statements[1]
    with CaptureQueriesContext(connection) as queries:
        response = post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    assert response.status_code == 201
    statements = _statements(queries)
    assert len(statements) == 2, statements
    assert "registry_person" in statements[0] and statements[1].startswith("INSERT")
    assert not any("audit" in sql for sql in statements)


def test_a_closed_site_refuses_check_ins_at_once_in_the_same_process(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    assert post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 201
    zone.site_a.is_active = False
    zone.site_a.save()
    assert post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).status_code == 404


def test_it_lists_the_entry_log_masked_and_scoped(zone, declare, device_for, item, api_for):
    declare(zone.staff_a[0])
    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    post(device_for(zone.site_b), "/api/v1/checkins", item(zone.site_b, zone.staff_b[0]))
    body = api_for("admin_a").get("/api/v1/checkins").json()
    assert body["count"] == 1
    entry = body["items"][0]
    assert entry["person"] == "甲**0"
    assert entry["id_number"] == zone.staff_a[0].masked_id_number
    assert api_for("volunteer").get("/api/v1/checkins").json()["count"] == 0
    client = api_for("commander")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/checkins").json()["count"] == 2
    # The page, its count, and the page's sites, organisations and people read by their ids (a
    # join would make SQLite sort the whole log, gates/selectors.checkin_list): as many for any page.
    assert len(queries) <= 7


def test_random_client_ids_never_collide_with_other_sites(zone, declare, device_for, item):
    client = device_for(zone.site_a)
    ids = {post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0])).json()["checkin_id"] for _ in range(3)}
    assert len(ids) == 3
    assert uuid.UUID(str(CheckIn.objects.first().client_id))


def test_a_card_from_a_declaration_under_someone_else_s_number_identifies_nobody(zone, declare, device_for, item):
    from django.test import Client

    declare(zone.staff_a[0])
    response = Client().post(
        "/api/v1/declarations",
        {
            "site_code": zone.site_a.code,
            "name": "冒名者",
            "id_number": zone.staff_a[0].id_number,
            "phone": "13912345678",
        },
        content_type="application/json",
    )
    card_url = response.json()["card_url"]
    client = device_for(zone.site_a)
    single = post(client, "/api/v1/checkins", item(zone.site_a, None, card_code=card_url)).json()
    assert single["reason_codes"] == ["unknown_person"]
    batch = post(client, "/api/v1/checkins/batch", {"items": [item(zone.site_a, None, card_code=card_url)]}).json()
    assert batch["items"][0]["reason_codes"] == ["unknown_person"]
