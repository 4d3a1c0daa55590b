"""The commander's delivery API: failures listed, retried; rules listed and tested; others refused."""

from zoneguard.notifications.models import Delivery, DeliveryRule
from zoneguard.notifications.tests.test_services_notify import notify_fever


def test_the_commander_lists_and_retries_failed_deliveries(
    zone, robot, api_for, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    calls, answers = robot
    answers.append(OSError("down"))
    rule = DeliveryRule.objects.create(
        name="w", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    notify_fever(zone, django_capture_on_commit_callbacks)
    client = api_for("commander")
    failed = client.get("/api/v1/notifications/deliveries?status=failed").json()
    assert failed["count"] == 1 and "down" in failed["items"][0]["last_error"]
    pk = failed["items"][0]["id"]
    assert client.post(f"/api/v1/notifications/deliveries/{pk}/retry").json()["status"] == "sent"
    assert client.get("/api/v1/notifications/rules").json()[0] | {"id": 0} == {
        "id": 0,
        "name": "w",
        "audience": "everyone",
        "department_id": None,
        "organisation_id": None,
        "kinds": [],
        "channel": "wecom",
        "webhook_url": "https://robot.invalid/x",
        "has_secret": False,
        "is_active": True,
        "failed": 0,
    }
    assert client.post(f"/api/v1/notifications/rules/{rule.pk}/test").json()["status"] == "sent"
    assert len(calls) == 3


def test_others_are_refused(zone, api_for):
    rule = DeliveryRule.objects.create(
        name="w", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    delivery = Delivery.objects.create(rule=rule, channel="wecom", target=rule.webhook_url, title="t", status="failed")
    client = api_for("officer_a")
    assert client.get("/api/v1/notifications/deliveries").status_code == 403
    assert client.post(f"/api/v1/notifications/deliveries/{delivery.pk}/retry").status_code == 403
    assert client.get("/api/v1/notifications/rules").status_code == 403
    assert client.post(f"/api/v1/notifications/rules/{rule.pk}/test").status_code == 403


def test_the_list_costs_the_same_queries_for_more_deliveries(zone, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rule = DeliveryRule.objects.create(
        name="w", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    client = api_for("commander")
    client.get("/api/v1/notifications/rules")  # the token's first use is recorded once
    Delivery.objects.create(rule=rule, channel="wecom", target=rule.webhook_url, title="t")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/notifications/deliveries").json()["count"] == 1
    for _ in range(3):
        Delivery.objects.create(rule=rule, channel="wecom", target=rule.webhook_url, title="t")
    with CaptureQueriesContext(connection) as four:
        assert client.get("/api/v1/notifications/deliveries").json()["count"] == 4
    assert len(four) == len(one)


def test_it_refuses_to_send_again_a_delivery_that_did_not_fail(zone, robot, api_for):
    calls, _answers = robot
    rule = DeliveryRule.objects.create(
        name="w", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    sent = Delivery.objects.create(
        rule=rule, channel="wecom", target=rule.webhook_url, title="t", status="sent", attempts=1
    )
    pending = Delivery.objects.create(
        rule=rule, channel="wecom", target=rule.webhook_url, title="t", status="pending", attempts=2
    )
    client = api_for("commander")
    for delivery in (sent, pending):
        answer = client.post(f"/api/v1/notifications/deliveries/{delivery.pk}/retry")
        assert answer.status_code == 409 and answer.json()["code"] == "delivery_not_failed"
    assert calls == []
    sent.refresh_from_db()
    pending.refresh_from_db()
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert (pending.status, pending.attempts) == ("pending", 2)


def test_a_stale_retry_of_a_delivery_already_retried_is_refused(zone, robot):
    """Two clicks on "Send again": the second, holding the delivery as it was loaded, sends nothing."""
    import pytest

    from zoneguard.core.errors import Conflict
    from zoneguard.notifications import services

    calls, _answers = robot
    rule = DeliveryRule.objects.create(
        name="w", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    Delivery.objects.create(rule=rule, channel="wecom", target=rule.webhook_url, title="t", status="failed")
    first, second = Delivery.objects.get(), Delivery.objects.get()
    assert services.delivery_retry(actor=zone.commander, delivery=first).status == "sent"
    with pytest.raises(Conflict):
        services.delivery_retry(actor=zone.commander, delivery=second)
    assert len(calls) == 1
