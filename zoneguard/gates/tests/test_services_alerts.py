"""A fever raises an alert at once: the alert row, in-app notifications for the organisation's
admins and the duty officers, a group-chat delivery where configured, and fever_detected."""

from zoneguard.core.events import fever_detected
from zoneguard.gates.models import AlertStatus, FeverAlert
from zoneguard.notifications.models import Delivery, DeliveryRule, Notification

from .conftest import post


def test_a_fever_raises_an_alert_notifies_and_announces_it(zone, declare, device_for, item):
    declare(zone.staff_a[0])
    DeliveryRule.objects.create(
        name="防控群",
        audience="duty_officers",
        channel="wecom",
        webhook_url="https://qyapi.example/robot",
        kinds=["alert"],
    )
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    fever_detected.connect(receiver)
    try:
        response = post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], 38.5))
    finally:
        fever_detected.disconnect(receiver)
    assert response.json()["decision"] == "deny"
    alert = FeverAlert.objects.get()
    assert alert.status == AlertStatus.OPEN
    assert str(alert.temperature) == "38.5"
    assert alert.person == zone.staff_a[0]
    recipients = set(Notification.objects.filter(kind="alert").values_list("recipient__username", flat=True))
    assert recipients == {"admin_a", "commander"}
    title = Notification.objects.filter(recipient=zone.admin_a).get().title
    assert "38.5" in title and "大门" in title
    assert Delivery.objects.filter(channel="wecom").count() == 1
    assert len(received) == 1
    event = received[0]
    assert event["alert"] == alert
    assert (event["organisation_id"], event["site_id"], event["person_id"]) == (
        zone.enterprise_a.pk,
        zone.site_a.pk,
        zone.staff_a[0].pk,
    )
    assert str(event["temperature"]) == "38.5"


def test_a_retried_fever_raises_no_second_alert(zone, device_for, item):
    client = device_for(zone.site_a)
    fever = item(zone.site_a, zone.staff_a[0], 39.0)
    post(client, "/api/v1/checkins", fever)
    post(client, "/api/v1/checkins", fever)
    assert FeverAlert.objects.count() == 1
    assert Notification.objects.filter(recipient=zone.admin_a).count() == 1


def test_an_unknown_person_with_fever_raises_an_alert_too(zone, device_for, item):
    from zoneguard.testing import valid_id_number

    post(
        device_for(zone.site_a),
        "/api/v1/checkins",
        item(zone.site_a, id_number=valid_id_number(area="110101", seq=950), temperature=37.8),
    )
    alert = FeverAlert.objects.get()
    assert alert.person is None
    assert "*" in alert.checkin.masked_id_number


def test_alerts_are_acknowledged_and_closed_by_those_in_charge(zone, device_for, item, api_for):
    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], 38.0))
    alert = FeverAlert.objects.get()
    assert api_for("admin_b").post(f"/api/v1/alerts/{alert.pk}/acknowledge").status_code == 404
    assert api_for("officer_a").post(f"/api/v1/alerts/{alert.pk}/acknowledge").status_code == 403
    response = api_for("admin_a").post(f"/api/v1/alerts/{alert.pk}/acknowledge")
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    assert api_for("admin_a").post(f"/api/v1/alerts/{alert.pk}/acknowledge").status_code == 409
    response = api_for("commander").post(
        f"/api/v1/alerts/{alert.pk}/close", {"note": "已送发热门诊"}, content_type="application/json"
    )
    assert response.json()["status"] == "closed"
    assert response.json()["note"] == "已送发热门诊"
    assert api_for("admin_b").get("/api/v1/alerts").json()["count"] == 0
    assert api_for("admin_a").get("/api/v1/alerts").json()["items"][0]["person"] == "甲**0"


def test_a_stale_acknowledge_is_refused_and_the_first_taker_stays(zone, device_for, item):
    """Two people open the same alert and take it in charge: the second, holding the alert as it was
    loaded, is refused and does not overwrite who took it."""
    import pytest

    from zoneguard.audit.models import AuditEvent
    from zoneguard.core.errors import Conflict
    from zoneguard.gates import services

    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], 38.0))
    first, stale = FeverAlert.objects.get(), FeverAlert.objects.get()
    services.alert_acknowledge(actor=zone.admin_a, alert=first)
    audited = AuditEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        services.alert_acknowledge(actor=zone.commander, alert=stale)
    assert refused.value.code == "alert_not_open"
    alert = FeverAlert.objects.get()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, zone.admin_a)
    assert AuditEvent.objects.count() == audited


def test_a_stale_close_is_refused_and_the_first_close_stays(zone, device_for, item):
    import pytest

    from zoneguard.audit.models import AuditEvent
    from zoneguard.core.errors import Conflict
    from zoneguard.gates import services

    post(device_for(zone.site_a), "/api/v1/checkins", item(zone.site_a, zone.staff_a[0], 38.0))
    first, stale = FeverAlert.objects.get(), FeverAlert.objects.get()
    services.alert_close(actor=zone.admin_a, alert=first, note="已送发热门诊")
    audited = AuditEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        services.alert_close(actor=zone.commander, alert=stale, note="另一说法")
    assert refused.value.code == "alert_closed"
    alert = FeverAlert.objects.get()
    assert (alert.closed_by, alert.acknowledged_by, alert.note) == (zone.admin_a, zone.admin_a, "已送发热门诊")
    assert AuditEvent.objects.count() == audited
    # A stale acknowledge of the closed alert is refused too.
    with pytest.raises(Conflict):
        services.alert_acknowledge(actor=zone.commander, alert=stale)
    assert FeverAlert.objects.get().status == AlertStatus.CLOSED
