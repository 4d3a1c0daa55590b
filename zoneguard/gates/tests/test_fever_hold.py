"""A fever refusal holds: whoever was refused at 37.3 °C or more is refused at every gate of the
zone until a normal re-test releases them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zoneguard.gates.models import CheckIn, FeverAlert
from zoneguard.gates.tests.conftest import post
from zoneguard.health.selectors import holds_in_force


@pytest.fixture
def at(item):
    """at(site, person, temperature, minutes_ago) → a check-in item taken that long ago."""

    def make(site, person, temperature, minutes_ago=0):
        return item(site, person, temperature, checked_at=(timezone.now() - timedelta(minutes=minutes_ago)).isoformat())

    return make


def test_a_fever_refuses_the_person_at_every_gate_until_a_normal_retest(zone, declare, device_for, at, api_for):
    person = zone.staff_a[0]
    declaration = declare(person)
    gate_a = device_for(zone.site_a)
    fever = post(gate_a, "/api/v1/checkins", at(zone.site_a, person, 37.5, minutes_ago=1)).json()
    assert (fever["decision"], fever["reason_codes"]) == ("deny", ["fever"])
    # A minute later, normal, at the same gate and at another organisation's gate: still refused.
    again = post(gate_a, "/api/v1/checkins", at(zone.site_a, person, 36.6)).json()
    assert (again["decision"], again["reason_codes"]) == ("deny", ["fever_hold"])
    assert "复测正常前" in again["reasons"][0]
    elsewhere = post(device_for(zone.site_b), "/api/v1/checkins", at(zone.site_b, person, 36.5)).json()
    assert elsewhere["reason_codes"] == ["fever_hold"]
    # Leaving is never refused.
    assert (
        post(gate_a, "/api/v1/checkins", {**at(zone.site_a, person, None), "direction": "out"}).json()["decision"]
        == "allow"
    )
    # Their status card says so too, not the green of the declaration alone.
    assert ["复测正常前" in hold for hold in holds_in_force(declaration)] == [True]
    alert = FeverAlert.objects.get()
    officer = api_for("admin_a")
    # A re-test within the observation period does not release by itself; closing the alert does.
    retest = officer.post(
        f"/api/v1/alerts/{alert.pk}/retests", {"temperature": "36.7", "method": "ear"}, content_type="application/json"
    )
    assert retest.status_code == 201, retest.content
    assert retest.json()["released_at"] is None
    assert post(gate_a, "/api/v1/checkins", at(zone.site_a, person, 36.6)).json()["reason_codes"] == ["fever_hold"]
    closed = officer.post(f"/api/v1/alerts/{alert.pk}/close", {"note": "复测正常"}, content_type="application/json")
    assert closed.json()["released_at"] is not None
    admitted = post(gate_a, "/api/v1/checkins", at(zone.site_a, person, 36.6)).json()
    assert (admitted["decision"], admitted["reason_codes"]) == ("allow", [])
    assert holds_in_force(declaration) == []


def test_a_normal_retest_after_the_observation_period_releases_by_itself(
    zone, declare, device_for, at, api_for, settings
):
    settings.FEVER_OBSERVATION_MINUTES = 30
    person = zone.staff_a[0]
    declare(person, declared_at=timezone.now() - timedelta(hours=2))
    gate = device_for(zone.site_a)
    post(gate, "/api/v1/checkins", at(zone.site_a, person, 38.1, minutes_ago=45))
    alert = FeverAlert.objects.get()
    client = api_for("gate_a")
    url = f"/api/v1/alerts/{alert.pk}/retests"
    # A fever again keeps the hold.
    assert (
        client.post(url, {"temperature": "37.8", "method": "axillary"}, content_type="application/json").json()[
            "released_at"
        ]
        is None
    )
    released = client.post(url, {"temperature": "36.5", "method": "forehead"}, content_type="application/json").json()
    assert released["released_at"] is not None and released["status"] != "closed"
    assert [r["method"] for r in released["retests"]] == ["axillary", "forehead"]
    assert post(gate, "/api/v1/checkins", at(zone.site_a, person, 36.5)).json()["decision"] == "allow"
    # An entry from before the fever, uploaded late by an offline gate, was never held.
    early = post(gate, "/api/v1/checkins", at(zone.site_a, person, 36.4, minutes_ago=50)).json()
    assert early["decision"] == "allow"


def test_an_offline_batch_holds_the_entries_after_its_own_fever(zone, declare, device_for, at):
    person = zone.staff_a[0]
    declare(person, declared_at=timezone.now() - timedelta(hours=3))
    normal_before = at(zone.site_a, person, 36.5, minutes_ago=120)
    fever = at(zone.site_a, person, 37.6, minutes_ago=110)
    normal_after = at(zone.site_a, person, 36.6, minutes_ago=100)
    # Sent out of order: the gate's clock, not the list, says what came first.
    body = post(
        device_for(zone.site_a), "/api/v1/checkins/batch", {"items": [normal_after, fever, normal_before]}
    ).json()
    assert [item["reason_codes"] for item in body["items"]] == [["fever_hold"], ["fever"], []]
    assert FeverAlert.objects.count() == 1
    # And the hold reaches the present.
    assert post(device_for(zone.site_b), "/api/v1/checkins", at(zone.site_b, person, 36.5)).json()["reason_codes"] == [
        "fever_hold"
    ]


def test_only_those_responsible_record_retests(zone, declare, device_for, at, api_for):
    person = zone.staff_a[0]
    declare(person)
    post(device_for(zone.site_a), "/api/v1/checkins", at(zone.site_a, person, 37.9))
    alert = FeverAlert.objects.get()
    data = {"temperature": "36.5", "method": "ear"}
    assert (
        api_for("admin_b").post(f"/api/v1/alerts/{alert.pk}/retests", data, content_type="application/json").status_code
        == 404
    )
    assert (
        api_for("volunteer")
        .post(f"/api/v1/alerts/{alert.pk}/retests", data, content_type="application/json")
        .status_code
        == 404
    )
    bad = api_for("admin_a").post(
        f"/api/v1/alerts/{alert.pk}/retests",
        {**data, "measured_at": (alert.checked_at - timedelta(minutes=5)).isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["measured_at"]
    assert not alert.retests.exists()


def test_the_alert_page_records_a_retest_and_shows_the_hold(zone, declare, device_for, at, client_for):
    person = zone.staff_a[0]
    declare(person)
    post(device_for(zone.site_a), "/api/v1/checkins", at(zone.site_a, person, 37.4))
    alert = FeverAlert.objects.get()
    page = client_for("gate_a")
    assert "复测正常前" in page.get(f"/gates/alerts/{alert.pk}/").content.decode()
    response = page.post(f"/gates/alerts/{alert.pk}/retest/", {"temperature": "36.6", "method": "ear"})
    assert response.status_code == 302
    page.post(f"/gates/alerts/{alert.pk}/close/", {"note": "休息后复测正常"})
    alert.refresh_from_db()
    assert alert.released_at is not None
    assert CheckIn.objects.count() == 1
