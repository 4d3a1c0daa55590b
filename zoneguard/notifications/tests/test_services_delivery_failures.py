"""Failures are retried and visible, never dropped: one sender per attempt, the commanders told
when a delivery runs out of attempts, recipients without an address shown as failed; the
commander configures the rules per recipient group and tests them."""

import pytest
from django.core import mail

from zoneguard.core.errors import Forbidden
from zoneguard.notifications import services
from zoneguard.notifications.models import Delivery, DeliveryRule, Notification
from zoneguard.notifications.tests.test_services_notify import notify_fever


def test_a_delivery_is_sent_once_when_the_command_races_the_commit(zone, robot, django_capture_on_commit_callbacks):
    calls, _answers = robot
    DeliveryRule.objects.create(name="w", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[zone.commander], kind="alert", title="x")
    delivery = Delivery.objects.get()
    stale = Delivery.objects.get(pk=delivery.pk)  # what a concurrent `send_notifications` had read
    callbacks[0]()  # the on-commit attempt sends it
    services.delivery_attempt(stale)  # the command's attempt finds it taken
    assert services.deliver_due() == 0
    assert len(calls) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_the_commanders_hear_of_a_delivery_out_of_attempts(zone, robot, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    calls, answers = robot
    answers.append(OSError("down"))
    DeliveryRule.objects.create(name="w", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x")
    notify_fever(zone, django_capture_on_commit_callbacks)
    failure = Notification.objects.get(recipient=zone.commander, title__startswith="推送失败")
    assert "down" in failure.body and failure.link == "/notifications/deliveries/?status=failed"
    assert len(calls) == 1  # the failure report itself goes to the inbox only, not to the broken robot
    assert Delivery.objects.count() == 1


def test_a_recipient_without_an_address_shows_as_a_failed_delivery(zone, django_capture_on_commit_callbacks):
    zone.commander.email = ""
    zone.commander.save()
    DeliveryRule.objects.create(name="mail", audience="commanders", channel="email")
    notify_fever(zone, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.target) == ("failed", "commander")
    assert "e-mail" in delivery.last_error
    assert mail.outbox == []


def test_the_commander_configures_and_tests_rules(zone, robot, client_for):
    calls, _answers = robot
    client = client_for("commander")
    response = client.post(
        "/notifications/rules/new/",
        {
            "name": "建设局工地群",
            "audience": "organisation_admins",
            "kinds": ["incident", "reminder"],
            "channel": "dingtalk",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=t",
            "webhook_secret": "SEC",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = DeliveryRule.objects.get()
    assert (rule.kinds, rule.webhook_secret) == (["incident", "reminder"], "SEC")
    client.post(
        f"/notifications/rules/{rule.pk}/",
        {
            "name": "工地群",
            "audience": "organisation_admins",
            "channel": "dingtalk",
            "webhook_url": rule.webhook_url,
            "is_active": "on",
        },
    )
    rule.refresh_from_db()
    assert (rule.name, rule.webhook_secret, rule.kinds) == ("工地群", "SEC", [])
    client.post(f"/notifications/rules/{rule.pk}/test/")
    assert "&sign=" in calls[0][0]
    assert Delivery.objects.get().status == "sent"
    assert "工地群" in client.get("/notifications/rules/").content.decode()
    assert client_for("officer_a").get("/notifications/rules/").status_code == 404
    assert client_for("officer_a").post(f"/notifications/rules/{rule.pk}/test/").status_code == 404
    with pytest.raises(Forbidden):
        services.rule_save(actor=zone.officer_a, rule=rule, data={"name": "x"})


def test_a_robot_rule_needs_its_url(zone, client_for):
    response = client_for("commander").post(
        "/notifications/rules/new/", {"name": "x", "audience": "everyone", "channel": "wecom", "is_active": "on"}
    )
    assert response.status_code == 200
    assert not DeliveryRule.objects.exists()


def test_the_deliveries_page_counts_failures(zone, django_capture_on_commit_callbacks, client_for):
    zone.commander.email = ""
    zone.commander.save()
    DeliveryRule.objects.create(name="mail", audience="commanders", channel="email")
    notify_fever(zone, django_capture_on_commit_callbacks)
    assert 'data-testid="count-failed">1<' in client_for("commander").get("/notifications/deliveries/").content.decode()
