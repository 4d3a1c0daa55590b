"""The errands API: the life-cycle with its refusals, amounts to the cent, who sees what (a
volunteer no address before the errand is theirs), two volunteers accepting at once, escalation."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from zoneguard.errands import services
from zoneguard.errands.models import Errand
from zoneguard.gates.tests.conftest import post
from zoneguard.notifications.models import Notification
from zoneguard.testing import at_once

from .conftest import receipt_photo

URL = "/api/v1/errands"
LINES = [
    {"kind": "groceries", "item": "青菜", "quantity": "2斤"},
    {"kind": "medicine", "item": "布洛芬", "quantity": "1盒"},
]


def _ask(client, case, **data):
    return post(client, URL, {"case_id": case.pk, "lines": LINES, "note": "放门口", **data})


def _deliver(client, pk, amount="56.80", photo=True):
    data = {"amount": amount}
    if photo:
        data["receipt"] = receipt_photo()
    return client.post(f"{URL}/{pk}/deliver", data)


def test_the_life_of_an_errand(zone, api_for, errands):
    worker, volunteer = api_for("community_worker"), api_for("volunteer")
    asked = _ask(worker, errands.case)
    assert asked.status_code == 201, asked.content
    errand = asked.json()
    assert (errand["status"], errand["name"]) == ("open", "王*")
    assert [line["item"] for line in errand["lines"]] == ["青菜", "布洛芬"]
    # Offered to the community's volunteers, who are told; no address yet.
    assert Notification.objects.filter(recipient=errands.first.user).exists()
    offered = volunteer.get(URL).json()["items"]
    assert [e["id"] for e in offered] == [errand["id"]] and offered[0]["address"] == ""
    # Out of order: delivered before anyone took it.
    early = _deliver(volunteer, errand["id"])
    assert early.status_code == 409 and early.json()["code"] == "out_of_order"
    taken = post(volunteer, f"{URL}/{errand['id']}/accept", {})
    assert taken.json()["status"] == "accepted" and taken.json()["address"] == "祥光小区3栋201"
    # The other volunteer no longer sees it, and cannot take it.
    other = api_for("volunteer_2")
    assert other.get(URL).json()["items"] == []
    assert post(other, f"{URL}/{errand['id']}/accept", {}).status_code == 404
    assert _deliver(volunteer, errand["id"], photo=False).status_code == 422
    assert _deliver(volunteer, errand["id"], amount="12.345").status_code == 422
    delivered = _deliver(volunteer, errand["id"])
    assert delivered.status_code == 200, delivered.content
    assert (delivered.json()["amount"], delivered.json()["has_receipt"]) == ("56.80", True)
    assert Errand.objects.get().amount == Decimal("56.80")
    assert post(volunteer, f"{URL}/{errand['id']}/settle", {}).status_code == 409  # not received yet
    assert post(worker, f"{URL}/{errand['id']}/confirm", {}).json()["status"] == "received"
    assert post(volunteer, f"{URL}/{errand['id']}/settle", {}).json()["status"] == "settled"
    assert post(worker, f"{URL}/{errand['id']}/cancel", {}).status_code == 409


def test_the_worker_assigns_and_cancels(zone, api_for, errands):
    worker = api_for("community_worker")
    errand = _ask(worker, errands.case).json()
    assigned = post(worker, f"{URL}/{errand['id']}/assign", {"volunteer_id": errands.second.pk})
    assert assigned.json()["volunteer_id"] == errands.second.pk
    assert post(worker, f"{URL}/{errand['id']}/assign", {"volunteer_id": errands.outsider.pk}).status_code == 422
    assert Notification.objects.filter(recipient=errands.second.user, title__contains="").exists()
    cancelled = post(worker, f"{URL}/{errand['id']}/cancel", {"reason": "家属已送"})
    assert cancelled.json()["status"] == "cancelled"


def test_a_retry_with_the_same_key_asks_once(zone, api_for, errands):
    worker = api_for("community_worker")
    key = str(uuid.uuid4())
    first, again = _ask(worker, errands.case, client_id=key), _ask(worker, errands.case, client_id=key)
    assert first.json()["id"] == again.json()["id"]
    assert Errand.objects.count() == 1


def test_outsiders_see_nothing(zone, api_for, device_for, errands):
    errand = _ask(api_for("community_worker"), errands.case).json()
    for client in (api_for("volunteer_other"), api_for("admin_a"), api_for("gate_a"), device_for(zone.site_a)):
        listed = client.get(URL)
        assert listed.status_code in {403, 404} or listed.json()["items"] == []
        assert client.get(f"{URL}/{errand['id']}").status_code in {403, 404}
        assert post(client, f"{URL}/{errand['id']}/accept", {}).status_code in {403, 404}
    assert Client().get(URL).status_code == 401
    # A volunteer does not ask for errands (the resident and the worker do).
    assert _ask(api_for("volunteer"), errands.case).status_code == 404
    assert Errand.objects.get().status == "open"


def test_an_errand_nobody_takes_within_the_hour_goes_to_the_worker_once(zone, api_for, errands):
    _ask(api_for("community_worker"), errands.case)
    Errand.objects.update(requested_at=timezone.now() - timedelta(minutes=61))
    before = Notification.objects.filter(recipient=zone.community_worker, kind="alert").count()
    assert services.escalate_due() == 1
    assert services.escalate_due() == 0
    assert Notification.objects.filter(recipient=zone.community_worker, kind="alert").count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_two_volunteers_accepting_at_once_get_one_errand_between_them(zone, concurrent_db):
    errands = concurrent_db
    errand = services.errand_request(actor=zone.community_worker, case=errands.case, lines=LINES)

    def take(user):
        return lambda: services.errand_accept(actor=user, errand=Errand.objects.get(pk=errand.pk))

    results = at_once(take(errands.first.user), take(errands.second.user))
    codes = sorted("taken" if isinstance(r, Errand) else getattr(r, "code", repr(r)) for r in results)
    assert codes == ["errand_taken", "taken"]
    assert Errand.objects.get().volunteer_id in {errands.first.pk, errands.second.pk}
