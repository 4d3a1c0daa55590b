"""POST /api/v1/checkins/batch: an offline gate's upload, answered per item, idempotent."""

import uuid
from datetime import timedelta

from django.utils import timezone

from zoneguard.gates.models import CheckIn, FeverAlert
from zoneguard.gates.selectors import onsite_now

from .conftest import post


def test_it_records_a_batch_and_answers_per_item_in_order(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    declare(zone.staff_a[1], "red")
    items = [
        item(zone.site_a, zone.staff_a[0]),
        item(zone.site_a, zone.staff_a[1]),
        item(zone.site_a, zone.staff_a[2], 50.0),
    ]
    response = post(device_for(zone.site_a), "/api/v1/checkins/batch", {"items": items})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [a["client_id"] for a in body["items"]] == [i["client_id"] for i in items]
    assert [a["decision"] for a in body["items"]] == ["allow", "deny", None]
    assert body["items"][2]["error"]["code"] == "implausible_temperature"
    assert (body["recorded"], body["replayed"], body["errors"]) == (2, 0, 1)
    assert CheckIn.objects.count() == 2


def test_uploading_again_and_repeating_an_item_records_nothing_new(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    first = item(zone.site_a, zone.staff_a[0])
    second = item(zone.site_a, zone.staff_a[1])
    body = post(client, "/api/v1/checkins/batch", {"items": [first, second, first]}).json()
    assert CheckIn.objects.count() == 2
    assert body["items"][2]["replayed"] is True
    assert body["items"][2]["checkin_id"] == body["items"][0]["checkin_id"]
    again = post(client, "/api/v1/checkins/batch", {"items": [second, first]}).json()
    assert again["replayed"] == 2 and again["recorded"] == 0
    assert [a["checkin_id"] for a in again["items"]] == [body["items"][1]["checkin_id"], body["items"][0]["checkin_id"]]
    # The single path knows the batch's items too.
    assert post(client, "/api/v1/checkins", first).status_code == 200
    assert CheckIn.objects.count() == 2


def test_items_out_of_order_are_judged_by_their_time(zone, declare, device_for, item):
    declare(zone.staff_a[0], declared_at=timezone.now() - timedelta(hours=3))
    now = timezone.now()
    morning, noon = now - timedelta(hours=2), now - timedelta(hours=1)
    person = zone.staff_a[0]
    items = [
        item(zone.site_a, person, None, direction="out", checked_at=noon.isoformat()),
        item(zone.site_a, person, 36.4, checked_at=morning.isoformat()),
    ]
    post(device_for(zone.site_a), "/api/v1/checkins/batch", {"items": items})
    # In at 8, out at 9, uploaded the other way round: not on site.
    assert onsite_now(actor=zone.commander) == []
    post(device_for(zone.site_a), "/api/v1/checkins/batch", {"items": [item(zone.site_a, person, 36.5)]})
    assert [e.person_id for e in onsite_now(actor=zone.commander)] == [person.pk]


def test_items_at_sites_out_of_scope_are_refused_one_by_one(zone, declare, api_for, item):
    declare(zone.staff_a[0])
    items = [item(zone.site_a, zone.staff_a[0]), item(zone.site_b, zone.staff_b[0])]
    body = post(api_for("gate_a"), "/api/v1/checkins/batch", {"items": items}).json()
    assert body["items"][0]["decision"] == "allow"
    error = body["items"][1]["error"]
    assert error["code"] == "site_not_found" and error["errors"]["site_id"] == [error["message"]]
    assert "site_id" in error["message"]
    assert CheckIn.objects.count() == 1


def test_a_device_batch_for_another_site_is_refused(zone, device_for, item):
    body = post(device_for(zone.site_a), "/api/v1/checkins/batch", {"items": [item(zone.site_b, zone.staff_b[0])]})
    assert body.json()["items"][0]["error"]["code"] == "site_not_found"
    assert not CheckIn.objects.exists()


def test_fevers_in_a_batch_raise_one_alert_each_once(zone, declare, device_for, item):
    client = device_for(zone.site_a)
    fever = item(zone.site_a, zone.staff_a[0], 38.2)
    post(client, "/api/v1/checkins/batch", {"items": [fever, item(zone.site_a, zone.staff_a[1], 37.9)]})
    post(client, "/api/v1/checkins/batch", {"items": [fever]})
    assert FeverAlert.objects.count() == 2


def test_a_batch_is_limited_to_1000_items(zone, device_for, item):
    items = [item(zone.site_a, zone.staff_a[0]) for _ in range(1001)]
    response = post(device_for(zone.site_a), "/api/v1/checkins/batch", {"items": items})
    assert response.status_code == 422
    assert not CheckIn.objects.exists()


def test_a_full_batch_costs_a_fixed_number_of_queries(zone, declare, device_for, item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    declare(zone.staff_a[0])
    client = device_for(zone.site_a)
    post(client, "/api/v1/checkins", item(zone.site_a, zone.staff_a[0]))
    items = [item(zone.site_a, zone.staff_a[i % 3], client_id=str(uuid.uuid4())) for i in range(600)]
    with CaptureQueriesContext(connection) as queries:
        assert post(client, "/api/v1/checkins/batch", {"items": items}).json()["recorded"] == 600
    # token, sites, people, known client ids, two inserts of 500 and 100 (and the transaction)
    assert len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))]) <= 6


def test_a_batch_whose_columns_are_all_empty_is_recorded(zone, client_for, item):
    # Exits of people nobody registered, sent from the signed-in gate page: no person, no
    # temperature, no token in any row (each column goes to the database as one array on PostgreSQL).
    from zoneguard.testing import valid_id_number

    numbers = [valid_id_number(area="110101", seq=700 + n) for n in range(3)]
    items = [item(zone.site_a, None, None, id_number=number, direction="out") for number in numbers]
    body = post(client_for("gate_a"), "/api/v1/checkins/batch", {"items": items}).json()
    assert (body["recorded"], body["errors"]) == (3, 0), body
    rows = CheckIn.objects.filter(client_id__in=[i["client_id"] for i in items])
    assert [(r.person_id, r.temperature, r.token_id, r.direction) for r in rows] == [(None, None, None, "out")] * 3


def test_a_batch_stores_its_columns_as_the_orm_would(zone, declare, device_for, item):
    # The batch writes its rows without the ORM (services.entry_log.insert_statements): what it stores must
    # be found by the ORM's own lookups, which on SQLite compare the stored text.
    from datetime import datetime

    declare(zone.staff_a[0])
    declare(zone.staff_a[1], "red")
    now = timezone.now().replace(microsecond=120000)
    beijing = datetime.fromisoformat((now - timedelta(minutes=5)).isoformat()).astimezone(
        timezone.get_fixed_timezone(480)
    )
    items = [
        item(zone.site_a, zone.staff_a[0], checked_at=now.isoformat()),
        item(zone.site_a, zone.staff_a[1], checked_at=beijing.isoformat()),
        item(zone.site_a, zone.staff_a[0], direction="out", checked_at=(now - timedelta(seconds=1)).isoformat()),
    ]
    body = post(device_for(zone.site_a), "/api/v1/checkins/batch", {"items": items}).json()
    assert body["recorded"] == 3, body
    assert body["items"][1]["reasons"] == ["红码：与确诊或疑似病例有接触"]  # the declaration's reasons
    ids = [answer["checkin_id"] for answer in body["items"]]
    by_time = [CheckIn.objects.get(checked_at=when).pk for when in (now, beijing, now - timedelta(seconds=1))]
    assert by_time == ids
    rows = {row.pk: row for row in CheckIn.objects.filter(pk__in=ids)}
    received = {row.received_at for row in rows.values()}
    assert len(received) == 1  # one upload, one time of receipt
    assert CheckIn.objects.filter(received_at=received.pop()).count() == 3
    assert [rows[pk].reason_codes for pk in ids] == [[], ["status_red"], []]
    assert CheckIn.objects.filter(reasons=[]).count() == 2
    for answer, sent in zip(body["items"], items, strict=True):
        assert CheckIn.objects.get(client_id=uuid.UUID(sent["client_id"])).pk == answer["checkin_id"]


def test_an_item_that_does_not_validate_is_answered_in_its_place_and_the_others_recorded(
    zone, declare, device_for, item
):
    declare(zone.staff_a[0])
    good = item(zone.site_a, zone.staff_a[0])
    no_time = item(zone.site_a, zone.staff_a[1])
    del no_time["checked_at"]
    bad_direction = item(zone.site_a, zone.staff_a[2], direction="sideways")
    not_an_object = "in 36.5"
    bad_id = item(zone.site_a, zone.staff_a[0], client_id="not-a-uuid")
    items = [no_time, good, bad_direction, not_an_object, bad_id]
    response = post(device_for(zone.site_a), "/api/v1/checkins/batch", {"items": items})
    assert response.status_code == 200, response.content
    body = response.json()
    answers = body["items"]
    assert [a["client_id"] for a in answers] == [
        no_time["client_id"],
        good["client_id"],
        bad_direction["client_id"],
        None,
        None,
    ]
    assert answers[1]["decision"] == "allow" and answers[1]["error"] is None
    assert answers[0]["error"]["code"] == "invalid" and list(answers[0]["error"]["errors"]) == ["checked_at"]
    assert list(answers[2]["error"]["errors"]) == ["direction"] and "in / out" in answers[2]["error"]["message"]
    assert answers[3]["error"]["code"] == "invalid" and answers[4]["error"]["errors"].keys() == {"client_id"}
    assert (body["recorded"], body["replayed"], body["errors"]) == (1, 0, 4)
    assert list(CheckIn.objects.values_list("client_id", flat=True)) == [uuid.UUID(good["client_id"])]


def test_an_unreadable_item_is_said_in_the_callers_language(zone, device_for, item):
    broken = item(zone.site_a, zone.staff_a[0], temperature="hot")
    client = device_for(zone.site_a)
    response = client.post(
        "/api/v1/checkins/batch", {"items": [broken]}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    error = response.json()["items"][0]["error"]
    assert error["errors"]["temperature"] == ["请输入数字。"]
    assert not CheckIn.objects.exists()


def test_a_client_id_reused_for_another_passage_is_refused_not_replayed(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    declare(zone.staff_a[1])
    client = device_for(zone.site_a)
    first = item(zone.site_a, zone.staff_a[0])
    assert post(client, "/api/v1/checkins/batch", {"items": [first]}).json()["recorded"] == 1
    other_person = {**first, "id_number": zone.staff_a[1].id_number}
    later = {**first, "checked_at": (timezone.now() + timedelta(minutes=1)).isoformat()}
    exit_ = {**first, "direction": "out", "temperature": None}
    for changed in (other_person, later, exit_):
        answer = post(client, "/api/v1/checkins/batch", {"items": [changed]}).json()["items"][0]
        assert answer["error"]["code"] == "client_id_used" and answer["person"] is None
    assert post(client, "/api/v1/checkins/batch", {"items": [first]}).json()["items"][0]["replayed"] is True
    # Within one upload too: the second passage under the same client id is refused.
    fresh = item(zone.site_a, zone.staff_a[1])
    twin = {**fresh, "id_number": zone.staff_a[0].id_number}
    answers = post(client, "/api/v1/checkins/batch", {"items": [fresh, twin]}).json()["items"]
    assert answers[0]["error"] is None and answers[1]["error"]["code"] == "client_id_used"
    assert CheckIn.objects.count() == 2
