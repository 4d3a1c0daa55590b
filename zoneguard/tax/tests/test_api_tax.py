"""The tax API as the issue specifies it: slots, appointments (409 slot_full), deferrals with
amounts as strings (422 and nothing written on bad input), decisions and the summary; every
endpoint refuses outsiders; lists cost a fixed number of queries."""

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zoneguard.notifications.models import Notification
from zoneguard.tax import services
from zoneguard.tax.models import Appointment, Deferral, DeferralItem, Slot

from .test_services_deferrals import STORY, apply
from .test_services_eligibility import make_policy


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute))).isoformat()


def test_a_tax_officer_creates_a_slot_and_anyone_booking_lists_them(tax, api_for):
    day = timezone.localdate() + timedelta(days=3)
    response = post(
        api_for("taxofficer"),
        "/api/v1/tax/slots",
        {"starts_at": local(day, 9), "ends_at": local(day, 9, 30), "capacity": 2},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["capacity"], body["booked"]) == (2, 0)
    listed = api_for("admin_a").get("/api/v1/tax/slots", {"date": day.isoformat()})
    assert listed.status_code == 200
    [slot] = listed.json()
    assert set(slot) >= {"id", "starts_at", "ends_at", "capacity", "booked"}
    assert slot["id"] == body["id"]
    assert api_for("admin_a").get("/api/v1/tax/slots", {"date": (day + timedelta(days=1)).isoformat()}).json() == []


def test_naive_times_are_the_zone_s_local_time(tax, api_for):
    day = timezone.localdate() + timedelta(days=3)
    response = post(
        api_for("taxofficer"),
        "/api/v1/tax/slots",
        {"starts_at": f"{day}T14:00:00", "ends_at": f"{day}T14:30:00", "capacity": 1},
    )
    assert response.status_code == 201
    assert timezone.localtime(Slot.objects.get().starts_at).hour == 14


@pytest.mark.parametrize(
    "payload",
    [
        {"starts_at": "2020-02-21T09:00:00+08:00", "ends_at": "2020-02-21T09:30:00+08:00", "capacity": 2},
        {"capacity": 0},
        {"capacity": 1001},
        {"ends_at_before": True},
    ],
)
def test_bad_slots_answer_422_and_write_nothing(tax, api_for, payload):
    day = timezone.localdate() + timedelta(days=3)
    data = {"starts_at": local(day, 9), "ends_at": local(day, 9, 30), "capacity": 2}
    if payload.pop("ends_at_before", False):
        data["ends_at"] = local(day, 8)
    data.update(payload)
    response = post(api_for("taxofficer"), "/api/v1/tax/slots", data)
    assert response.status_code == 422
    assert not Slot.objects.exists()


def test_booking_answers_201_with_the_code_then_409_slot_full(tax, api_for):
    zone = tax.zone
    slot = tax.slot(capacity=1)
    response = post(
        api_for("admin_a"),
        "/api/v1/tax/appointments",
        {"slot_id": slot.pk, "organisation_id": zone.enterprise_a.pk, "purpose": "declaration"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["code"]) == 8 and body["status"] == "booked"
    assert Appointment.objects.get().code == body["code"]
    response = post(
        api_for("admin_b"),
        "/api/v1/tax/appointments",
        {"slot_id": slot.pk, "organisation_id": zone.enterprise_b.pk, "purpose": "invoices"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "slot_full"
    assert api_for("admin_a").get("/api/v1/tax/slots", {"date": body["starts_at"][:10]}).json()[0]["booked"] == 1


def test_an_enterprise_cannot_book_for_another(tax, api_for):
    zone = tax.zone
    slot = tax.slot()
    response = post(
        api_for("admin_b"),
        "/api/v1/tax/appointments",
        {"slot_id": slot.pk, "organisation_id": zone.enterprise_a.pk, "purpose": "declaration"},
    )
    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_cancel_and_reschedule_through_the_api(tax, api_for):
    zone = tax.zone
    first, second = tax.slot(days=2), tax.slot(days=3)
    client = api_for("admin_a")
    booked = post(
        client,
        "/api/v1/tax/appointments",
        {"slot_id": first.pk, "organisation_id": zone.enterprise_a.pk, "purpose": "deferral"},
    ).json()
    moved = post(client, f"/api/v1/tax/appointments/{booked['id']}/reschedule", {"slot_id": second.pk})
    assert moved.status_code == 200 and moved.json()["slot_id"] == second.pk
    assert post(api_for("admin_b"), f"/api/v1/tax/appointments/{booked['id']}/cancel").status_code == 404
    cancelled = post(client, f"/api/v1/tax/appointments/{booked['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert post(client, f"/api/v1/tax/appointments/{booked['id']}/cancel").status_code == 409
    assert post(client, f"/api/v1/tax/appointments/{booked['id']}/no-show").status_code == 403


def test_an_enterprise_lists_only_its_own_bookings(tax, api_for):
    zone = tax.zone
    services.appointment_book(
        actor=zone.admin_a, slot=tax.slot(hour=9), organisation=zone.enterprise_a, purpose="other"
    )
    services.appointment_book(
        actor=zone.admin_b, slot=tax.slot(hour=10), organisation=zone.enterprise_b, purpose="other"
    )
    own = api_for("admin_b").get("/api/v1/tax/appointments").json()
    assert [a["organisation_id"] for a in own["items"]] == [zone.enterprise_b.pk]
    assert api_for("taxofficer").get("/api/v1/tax/appointments").json()["count"] == 2
    assert api_for("officer_a").get("/api/v1/tax/appointments").json()["count"] == 0


def test_a_deferral_answers_201_with_its_exact_total(tax, api_for):
    zone = tax.zone
    response = post(
        api_for("admin_a"),
        "/api/v1/tax/deferrals",
        {
            "organisation_id": zone.enterprise_a.pk,
            "months": 3,
            "reason": "疫情冲击",
            "items": [{"tax_type": code, "amount": amount} for code, amount in STORY],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == "595646.00" and body["status"] == "submitted" and body["id"]
    assert [i["amount"] for i in body["items"]] == ["420000.00", "90000.00", "35700.00", "10200.00", "39746.00"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": [{"tax_type": "vat", "amount": "595646.001"}]}, "items.0.amount"),
        ({"items": [{"tax_type": "vat", "amount": "-595646.00"}]}, "items.0.amount"),
        ({"items": [{"tax_type": "vat", "amount": 595646.0}]}, "items.0.amount"),
        ({"items": [{"tax_type": "vat", "amount": "0.00"}]}, "items.0.amount"),
        ({"items": [{"tax_type": "tariff", "amount": "1.00"}]}, "items.0.tax_type"),
        ({"items": []}, "items"),
        ({"months": 0}, "months"),
        ({"months": 4}, "months"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_deferrals_answer_422_and_write_nothing(tax, api_for, change, field):
    zone = tax.zone
    payload = {
        "organisation_id": zone.enterprise_a.pk,
        "months": 3,
        "reason": "疫情冲击",
        "items": [{"tax_type": "vat", "amount": "100.00"}],
        **change,
    }
    response = post(api_for("admin_a"), "/api/v1/tax/deferrals", payload)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Deferral.objects.exists() and not DeferralItem.objects.exists()


def test_the_decision_changes_the_summary(tax, api_for):
    zone = tax.zone
    deferral = apply(tax)
    officer = api_for("taxofficer")
    today = timezone.localdate().isoformat()
    before = officer.get("/api/v1/tax/deferrals/summary", {"from": today, "to": today}).json()
    assert before == {"count": 0, "deferrals": 0, "total": "0.00", "by_tax_type": {}}
    assert (
        post(api_for("admin_a"), f"/api/v1/tax/deferrals/{deferral.pk}/decision", {"decision": "approve"}).status_code
        == 403
    )
    response = post(
        officer,
        f"/api/v1/tax/deferrals/{deferral.pk}/decision",
        {"decision": "approve", "months": 2, "amounts": {"stamp": "39745.99"}},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["approved_total"], body["approved_months"]) == ("approved", "595645.99", 2)
    summary = officer.get("/api/v1/tax/deferrals/summary", {"from": today, "to": today}).json()
    assert summary["count"] == 1 and summary["total"] == "595645.99"
    assert summary["by_tax_type"]["stamp"] == "39745.99"
    again = post(officer, f"/api/v1/tax/deferrals/{deferral.pk}/decision", {"decision": "refuse", "note": "x"})
    assert again.status_code == 409
    assert api_for("admin_b").get("/api/v1/tax/deferrals/summary").json()["total"] == "0.00"
    assert api_for("admin_a").get("/api/v1/tax/deferrals/summary").json()["total"] == "595645.99"
    assert zone.admin_a  # the enterprise's own total, read above


@pytest.mark.parametrize(
    "payload",
    [
        {"decision": "approve", "amounts": {"vat": "1.001"}},
        {"decision": "approve", "amounts": {"vat": "-1"}},
        {"decision": "approve", "months": 4},
        {"decision": "maybe"},
        {"decision": "refuse"},
    ],
)
def test_bad_decisions_answer_422_and_change_nothing(tax, api_for, payload):
    deferral = apply(tax)
    response = post(api_for("taxofficer"), f"/api/v1/tax/deferrals/{deferral.pk}/decision", payload)
    assert response.status_code == 422
    deferral.refresh_from_db()
    assert deferral.status == "submitted"


def test_an_enterprise_sees_only_its_own_applications(tax, api_for):
    zone = tax.zone
    own = apply(tax)
    other = apply(tax, organisation=zone.enterprise_b, actor=zone.admin_b)
    client = api_for("admin_a")
    assert [d["id"] for d in client.get("/api/v1/tax/deferrals").json()["items"]] == [own.pk]
    assert client.get(f"/api/v1/tax/deferrals/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/tax/deferrals/{own.pk}").status_code == 200
    assert api_for("officer_a").get(f"/api/v1/tax/deferrals/{own.pk}").status_code == 404
    assert api_for("commander").get(f"/api/v1/tax/deferrals/{own.pk}").status_code == 200


def test_evidence_is_uploaded_to_an_application(tax, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    deferral = apply(tax, evidence=[])
    response = api_for("admin_a").post(
        f"/api/v1/tax/deferrals/{deferral.pk}/evidence",
        {"file": SimpleUploadedFile("statement.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert response.status_code == 201, response.content
    assert response.json()["url"] == f"/tax/evidence/{deferral.evidence.get().pk}/"
    refused = api_for("admin_b").post(
        f"/api/v1/tax/deferrals/{deferral.pk}/evidence",
        {"file": SimpleUploadedFile("x.pdf", b"%PDF", "application/pdf")},
    )
    assert refused.status_code == 404


def test_policies_conditions_and_matching_through_the_api(tax, api_for):
    zone = tax.zone
    officer = api_for("taxofficer")
    response = post(
        officer,
        "/api/v1/tax/policies",
        {
            "title": "延期缴纳税款",
            "category_id": tax.category.pk,
            "issuer": "国家税务总局湖南省税务局",
            "valid_from": "2020-02-10",
            "text": "全文",
        },
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    wrong = post(officer, f"/api/v1/tax/policies/{pk}/conditions", {"fact": "size", "operator": "gt", "value": "小型"})
    assert wrong.status_code == 422 and "operator" in wrong.json()["errors"]
    condition = post(
        officer, f"/api/v1/tax/policies/{pk}/conditions", {"fact": "total_staff", "operator": "gte", "value": "10"}
    )
    assert condition.status_code == 201, condition.content
    assert condition.json()["text"] == "职工总数 至少为 10"
    assert api_for("admin_a").get(f"/api/v1/tax/policies/{pk}").status_code == 404  # a draft
    assert post(officer, f"/api/v1/tax/policies/{pk}/publish").json()["status"] == "published"
    matched = officer.get(f"/api/v1/tax/policies/{pk}/organisations").json()
    assert [o["name"] for o in matched["items"]] == ["企业甲"]
    assert matched["items"][0]["notified"] is True
    assert matched["items"][0]["reasons"] == [
        {"fact": "total_staff", "condition": "职工总数 至少为 10", "actual": "10", "holds": True}
    ]
    mine = api_for("admin_a").get(f"/api/v1/tax/organisations/{zone.enterprise_a.pk}/policies").json()
    assert [p["policy_id"] for p in mine] == [pk]
    assert api_for("admin_b").get(f"/api/v1/tax/organisations/{zone.enterprise_b.pk}/policies").json() == []
    assert api_for("admin_b").get(f"/api/v1/tax/organisations/{zone.enterprise_a.pk}/policies").status_code == 404
    assert api_for("admin_a").get(f"/api/v1/tax/policies/{pk}/organisations").status_code == 403
    removed = officer.delete(f"/api/v1/tax/policies/{pk}/conditions/{condition.json()['id']}")
    assert removed.status_code == 204


def test_the_profile_is_kept_through_the_api(tax, api_for):
    zone = tax.zone
    path = f"/api/v1/tax/profiles/{zone.enterprise_a.pk}"
    assert api_for("admin_a").get(path).json()["taxpayer_type"] == ""
    undescribed = api_for("admin_a").patch(
        path, {"taxpayer_type": "small_scale", "hardship_reported": True}, content_type="application/json"
    )
    assert undescribed.status_code == 422 and "hardship_note" in undescribed.json()["errors"]
    response = api_for("admin_a").patch(
        path,
        {"taxpayer_type": "small_scale", "hardship_reported": True, "hardship_note": "门店停业"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["hardship_reported"] is True
    assert api_for("admin_b").get(path).status_code == 404
    assert (
        api_for("officer_a").patch(path, {"hardship_reported": False}, content_type="application/json").status_code
        == 404
    )


def test_questions_answers_and_faq_through_the_api(tax, api_for):
    zone = tax.zone
    policy = make_policy(tax, publish=True)
    asked = post(
        api_for("admin_a"),
        "/api/v1/tax/questions",
        {"policy_id": policy.pk, "organisation_id": zone.enterprise_a.pk, "question": "需要哪些资料？"},
    )
    assert asked.status_code == 201
    pk = asked.json()["id"]
    assert api_for("admin_b").get(f"/api/v1/tax/questions/{pk}").status_code == 404
    assert api_for("admin_b").get("/api/v1/tax/questions").json()["count"] == 0
    assert post(api_for("admin_a"), f"/api/v1/tax/questions/{pk}/answer", {"answer": "x"}).status_code == 403
    answered = post(api_for("taxofficer"), f"/api/v1/tax/questions/{pk}/answer", {"answer": "对账单", "publish": True})
    assert answered.json()["is_faq"] is True
    faq = api_for("admin_b").get("/api/v1/tax/faq").json()["items"]
    assert faq == [
        {
            "id": pk,
            "policy_id": policy.pk,
            "policy_title": policy.title,
            "question": "需要哪些资料？",
            "answer": "对账单",
        }
    ]


OUTSIDER_REQUESTS = [
    ("get", "/api/v1/tax/facts", None),
    ("get", "/api/v1/tax/policy-categories", None),
    ("get", "/api/v1/tax/tax-types", None),
    ("get", "/api/v1/tax/policies", None),
    (
        "post",
        "/api/v1/tax/policies",
        {"title": "x", "category_id": 1, "issuer": "x", "valid_from": "2020-01-01", "text": "x"},
    ),
    ("get", "/api/v1/tax/halls", None),
    ("get", "/api/v1/tax/slots?date=2020-02-21", None),
    ("post", "/api/v1/tax/slots/generate", {"date_from": "2030-01-01", "date_to": "2030-01-02"}),
    ("post", "/api/v1/tax/closures", {"date": "2030-01-01"}),
    ("get", "/api/v1/tax/faq", None),
    ("get", "/api/v1/tax/deferrals/summary", None),
]


@pytest.mark.parametrize(("method", "path", "data"), OUTSIDER_REQUESTS)
def test_outsiders_are_refused(tax, api_for, method, path, data):
    client = api_for("volunteer")
    response = (
        getattr(client, method)(path, data, content_type="application/json") if data else getattr(client, method)(path)
    )
    assert response.status_code == 403


def test_outsiders_see_no_objects(tax, api_for):
    zone = tax.zone
    slot = tax.slot()
    appointment = services.appointment_book(
        actor=zone.admin_a, slot=slot, organisation=zone.enterprise_a, purpose="other"
    )
    deferral = apply(tax)
    policy = make_policy(tax, publish=True)
    question = services.question_ask(actor=zone.admin_a, policy=policy, organisation=zone.enterprise_a, question="?")
    for user in ("volunteer", "officer_a", "gate_a", "community_worker"):
        client = api_for(user)
        assert client.get(f"/api/v1/tax/appointments/{appointment.pk}").status_code == 404
        assert client.get(f"/api/v1/tax/deferrals/{deferral.pk}").status_code == 404
        assert client.get(f"/api/v1/tax/questions/{question.pk}").status_code == 404
        assert client.get(f"/api/v1/tax/profiles/{zone.enterprise_a.pk}").status_code == 404
        assert client.get(f"/api/v1/tax/policies/{policy.pk}").status_code in {403, 404}
        assert client.get("/api/v1/tax/appointments").json().get("count", 0) == 0
        assert client.get("/api/v1/tax/deferrals").json().get("count", 0) == 0
        assert client.get("/api/v1/tax/questions").json().get("count", 0) == 0
        assert post(client, f"/api/v1/tax/appointments/{appointment.pk}/arrival").status_code == 404
        assert post(client, f"/api/v1/tax/deferrals/{deferral.pk}/decision", {"decision": "approve"}).status_code == 404
        assert (
            client.patch(f"/api/v1/tax/slots/{slot.pk}", {"capacity": 9}, content_type="application/json").status_code
            == 403
        )
    assert (
        post(
            api_for("admin_a"),
            "/api/v1/tax/slots",
            {"starts_at": local(date(2030, 1, 1), 9), "ends_at": local(date(2030, 1, 1), 10), "capacity": 1},
        ).status_code
        == 403
    )


def _count(client, path, params=None):
    client.get(path, params or {})  # warm up: token lookups, translations
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(queries)


def test_lists_cost_a_fixed_number_of_queries(tax, api_for):
    zone = tax.zone
    officer = api_for("taxofficer")
    day = timezone.localdate() + timedelta(days=1)

    sequence = itertools.count(1)

    def grow(n):
        for _ in range(n):
            i = next(sequence)
            organisation = zone.enterprise_a if i % 2 == 0 else zone.enterprise_b
            admin = zone.admin_a if i % 2 == 0 else zone.admin_b
            services.appointment_book(
                actor=admin, slot=tax.slot(days=i, capacity=3), organisation=organisation, purpose="other"
            )
            period = date(2020, i, 1)  # periods gone by, their deadline still ahead
            deferral = apply(
                tax,
                organisation=organisation,
                actor=admin,
                period=period,
                due_on=timezone.localdate() + timedelta(days=45),
            )
            services.deferral_decide(actor=tax.officer, deferral=deferral, approve=True)
            policy = make_policy(tax, ("total_staff", "gte", "1"), title=f"政策{i}", publish=True)
            question = services.question_ask(actor=admin, policy=policy, organisation=organisation, question="问")
            services.question_answer(actor=tax.officer, question=question, answer="答", publish=True)

    paths = [
        ("/api/v1/tax/appointments", None),
        ("/api/v1/tax/deferrals", None),
        ("/api/v1/tax/policies", None),
        ("/api/v1/tax/questions", None),
        ("/api/v1/tax/faq", None),
        ("/api/v1/tax/slots", {"date": day.isoformat()}),
        ("/api/v1/tax/deferrals/summary", None),
    ]
    grow(2)
    few = [_count(officer, p, q) for p, q in paths]
    grow(4)
    many = [_count(officer, p, q) for p, q in paths]
    assert few == many


def test_the_hall_is_set_up_through_the_api(tax, api_for, client_for):
    officer = api_for("taxofficer")
    hall = tax.hall
    window = post(officer, f"/api/v1/tax/halls/{hall.pk}/windows", {"name": "4号窗口", "services": "发票"})
    assert window.status_code == 201
    patched = officer.patch(
        f"/api/v1/tax/windows/{window.json()['id']}", {"is_active": False}, content_type="application/json"
    )
    assert patched.json()["is_active"] is False
    overlapping = post(
        officer, f"/api/v1/tax/halls/{hall.pk}/opening-hours", {"weekday": 0, "opens_at": "11:00", "closes_at": "13:00"}
    )
    assert overlapping.status_code == 422
    zoned = post(
        officer,
        f"/api/v1/tax/halls/{hall.pk}/opening-hours",
        {"weekday": 0, "opens_at": "14:00+08:00", "closes_at": "17:00"},
    )
    assert zoned.status_code == 422
    hours = post(
        officer, f"/api/v1/tax/halls/{hall.pk}/opening-hours", {"weekday": 0, "opens_at": "14:00", "closes_at": "17:30"}
    )
    assert hours.status_code == 201 and hours.json()["closes_at"] == "17:30"
    listed = officer.get("/api/v1/tax/halls").json()[0]
    assert [w["name"] for w in listed["windows"]] == ["1号窗口", "2号窗口", "3号窗口", "4号窗口"]
    assert officer.delete(f"/api/v1/tax/opening-hours/{hours.json()['id']}").status_code == 204
    day = (timezone.localdate() + timedelta(days=4)).isoformat()
    closure = post(officer, "/api/v1/tax/closures", {"date": day, "reason": "消毒"})
    assert closure.status_code == 201 and closure.json()["cancelled"] == 0
    assert post(officer, "/api/v1/tax/closures", {"date": day}).status_code == 409
    assert officer.delete(f"/api/v1/tax/closures/{closure.json()['id']}").status_code == 204
    for outsider in ("admin_a", "officer_a", "commander"):
        client = api_for(outsider)
        assert post(client, f"/api/v1/tax/halls/{hall.pk}/windows", {"name": "x"}).status_code == 403
        assert (
            client.patch(
                f"/api/v1/tax/windows/{window.json()['id']}", {"name": "x"}, content_type="application/json"
            ).status_code
            == 403
        )
        assert client.delete(f"/api/v1/tax/opening-hours/{hall.opening_hours.first().pk}").status_code == 403
        assert (
            post(
                client,
                f"/api/v1/tax/halls/{hall.pk}/opening-hours",
                {"weekday": 6, "opens_at": "13:00", "closes_at": "14:00"},
            ).status_code
            == 403
        )


def test_attachments_are_added_and_removed_by_the_tax_officer(tax, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    policy = make_policy(tax, publish=True)
    added = api_for("taxofficer").post(
        f"/api/v1/tax/policies/{policy.pk}/attachments",
        {"file": SimpleUploadedFile("十项措施.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert added.status_code == 201 and added.json()["name"] == "十项措施.pdf"
    pk = added.json()["id"]
    assert api_for("admin_a").get(f"/api/v1/tax/policies/{policy.pk}").json()["attachments"][0]["id"] == pk
    assert api_for("admin_a").delete(f"/api/v1/tax/attachments/{pk}").status_code == 403
    assert api_for("taxofficer").delete(f"/api/v1/tax/attachments/{pk}").status_code == 204
    assert not policy.attachments.exists()


def test_the_tax_bureau_cancels_and_moves_through_the_api_with_a_reason(tax, api_for):
    zone = tax.zone
    appointment = services.appointment_book(
        actor=zone.admin_a, slot=tax.slot(days=2, hour=9), organisation=zone.enterprise_a, purpose="other"
    )
    officer = api_for("taxofficer")
    later = tax.slot(days=2, hour=10)
    too_long = post(officer, f"/api/v1/tax/appointments/{appointment.pk}/cancel", {"reason": "因" * 201})
    assert too_long.status_code == 422
    moved = post(
        officer, f"/api/v1/tax/appointments/{appointment.pk}/reschedule", {"slot_id": later.pk, "reason": "窗口检修"}
    )
    assert moved.status_code == 200 and moved.json()["slot_id"] == later.pk
    cancelled = post(officer, f"/api/v1/tax/appointments/{appointment.pk}/cancel", {"reason": "系统升级"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    bodies = list(
        Notification.objects.filter(recipient=zone.admin_a, source_type="tax.appointment")
        .order_by("pk")
        .values_list("body", flat=True)
    )
    assert len(bodies) == 2 and "窗口检修" in bodies[0] and "系统升级" in bodies[1]


def test_a_second_answer_and_an_approval_without_evidence_answer_409(tax, api_for):
    zone = tax.zone
    officer = api_for("taxofficer")
    policy = make_policy(tax, publish=True)
    question = services.question_ask(actor=zone.admin_a, policy=policy, organisation=zone.enterprise_a, question="?")
    assert post(officer, f"/api/v1/tax/questions/{question.pk}/answer", {"answer": "答"}).status_code == 200
    again = post(officer, f"/api/v1/tax/questions/{question.pk}/answer", {"answer": "改"})
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    deferral = apply(tax, evidence=[])
    refused = post(officer, f"/api/v1/tax/deferrals/{deferral.pk}/decision", {"decision": "approve"})
    assert refused.status_code == 409 and refused.json()["code"] == "no_evidence"
    deferral.refresh_from_db()
    assert deferral.status == "submitted"


def test_withdrawing_a_policy_not_published_answers_a_conflict(tax, api_for):
    from zoneguard.tax.models import Policy

    from .test_services_eligibility import make_policy

    draft = make_policy(tax)
    officer = api_for("taxofficer")
    refused = post(officer, f"/api/v1/tax/policies/{draft.pk}/withdraw")
    assert refused.status_code == 409 and refused.json()["code"] == "not_published"
    published = make_policy(tax, publish=True)
    assert post(officer, f"/api/v1/tax/policies/{published.pk}/withdraw").json()["status"] == "withdrawn"
    again = post(officer, f"/api/v1/tax/policies/{published.pk}/withdraw")
    assert again.status_code == 409 and again.json()["code"] == "not_published"
    assert post(api_for("admin_a"), f"/api/v1/tax/policies/{draft.pk}/withdraw").status_code == 404
    assert Policy.objects.get(pk=draft.pk).status == "draft"
