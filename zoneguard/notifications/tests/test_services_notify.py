"""The notification service: inbox always, e-mail and group robots by rule, retries until sent."""

import json
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zoneguard.notifications import services
from zoneguard.notifications.models import Delivery, DeliveryRule, Notification
from zoneguard.notifications.selectors import unread_count


def notify_fever(zone, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.notify(
            recipients=[zone.commander, zone.admin_a],
            kind="alert",
            title=gettext_lazy("Fever at %(site)s"),
            body="37.8",
            params={"site": "大门"},
            link="/registry/sites/",
            **kwargs,
        )


def test_it_puts_the_notification_in_each_inbox(zone, django_capture_on_commit_callbacks):
    notifications = notify_fever(zone, django_capture_on_commit_callbacks)
    assert len(notifications) == 2
    assert unread_count(actor=zone.admin_a) == 1
    assert unread_count(actor=zone.admin_b) == 0
    assert Notification.objects.get(recipient=zone.admin_a).title == "Fever at 大门"


def test_it_renders_each_recipient_s_language(zone, django_capture_on_commit_callbacks):
    zone.admin_a.language = "en"
    zone.admin_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[zone.commander, zone.admin_a], kind="info", title=gettext_lazy("Not found."))
    assert Notification.objects.get(recipient=zone.commander).title == "未找到。"
    assert Notification.objects.get(recipient=zone.admin_a).title == "Not found."


def test_it_sends_e_mail_to_the_rule_s_audience(zone, django_capture_on_commit_callbacks):
    zone.commander.email = "commander@example.org"
    zone.commander.save()
    zone.admin_a.email = "a@example.org"
    zone.admin_a.save()
    DeliveryRule.objects.create(name="duty mail", audience="duty_officers", channel="email", kinds=["alert"])
    notify_fever(zone, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["commander@example.org"]]
    assert Delivery.objects.get().status == "sent"


def test_it_skips_rules_for_other_kinds(zone, django_capture_on_commit_callbacks):
    DeliveryRule.objects.create(name="reminders", audience="everyone", channel="email", kinds=["reminder"])
    zone.commander.email = "commander@example.org"
    zone.commander.save()
    notify_fever(zone, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()


def test_it_posts_the_wecom_robot_format(zone, robot, django_capture_on_commit_callbacks):
    calls, _answers = robot
    DeliveryRule.objects.create(
        name="wecom",
        audience="everyone",
        channel="wecom",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
    )
    notify_fever(zone, django_capture_on_commit_callbacks)
    assert len(calls) == 1  # once per event, not once per recipient
    url, payload = calls[0]
    assert url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    assert payload["msgtype"] == "markdown"
    assert payload["markdown"]["content"].startswith("**Fever at 大门**\n37.8\n")
    assert "http://127.0.0.1:8000/registry/sites/" in payload["markdown"]["content"]
    json.dumps(payload)


def test_it_posts_the_signed_dingtalk_robot_format(zone, robot, django_capture_on_commit_callbacks):
    calls, _answers = robot
    DeliveryRule.objects.create(
        name="ding",
        audience="commanders",
        channel="dingtalk",
        webhook_secret="SEC123",
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=t",
    )
    notify_fever(zone, django_capture_on_commit_callbacks)
    url, payload = calls[0]
    assert url.startswith("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=")
    assert "&sign=" in url
    assert payload == {
        "msgtype": "markdown",
        "markdown": {
            "title": "Fever at 大门",
            "text": "#### Fever at 大门\n\n37.8\n\n"
            "[http://127.0.0.1:8000/registry/sites/](http://127.0.0.1:8000/registry/sites/)",
        },
    }


def test_it_signs_dingtalk_requests_as_documented():
    # HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, base64, URL-encoded.
    import base64
    import hashlib
    import hmac
    import urllib.parse

    expected = urllib.parse.quote_plus(
        base64.b64encode(hmac.new(b"SEC", b"1600000000000\nSEC", hashlib.sha256).digest())
    )
    url = services.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SEC", timestamp_ms=1600000000000
    )
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1600000000000&sign={expected}"


def test_it_retries_failures_and_keeps_them_visible(zone, robot, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    calls, answers = robot
    answers.extend([OSError("connection refused"), {"errcode": 93000, "errmsg": "invalid webhook url"}])
    DeliveryRule.objects.create(
        name="wecom", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    notify_fever(zone, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "connection refused" in delivery.last_error
    assert services.deliver_due() == 0  # not due yet
    later = timezone.now() + timedelta(minutes=2)
    assert services.deliver_due(now=later) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    assert "93000" in delivery.last_error
    services.deliver_due(now=later + timedelta(minutes=5))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(calls) == 3


def test_it_marks_a_delivery_failed_after_the_last_attempt(zone, robot, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    _calls, answers = robot
    answers.append(OSError("down"))
    DeliveryRule.objects.create(
        name="wecom", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    notify_fever(zone, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.next_attempt_at is None


def test_it_queues_deliveries_only_when_the_event_commits(zone, robot, django_capture_on_commit_callbacks):
    calls, _answers = robot
    DeliveryRule.objects.create(
        name="wecom", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[zone.commander], kind="alert", title="x")
    assert calls == []
    assert len(callbacks) == 1


def test_it_shows_the_inbox_and_marks_read(zone, client_for, django_capture_on_commit_callbacks):
    notify_fever(zone, django_capture_on_commit_callbacks)
    client = client_for("admin_a")
    page = client.get("/notifications/").content.decode()
    assert "Fever at 大门" in page
    assert 'data-testid="unread-count">1<' in page
    notification = Notification.objects.get(recipient=zone.admin_a)
    assert client.post(f"/notifications/{notification.pk}/open/").url == "/registry/sites/"
    assert unread_count(actor=zone.admin_a) == 0


def test_it_serves_the_inbox_through_the_api(zone, api_for, django_capture_on_commit_callbacks):
    notify_fever(zone, django_capture_on_commit_callbacks)
    client = api_for("admin_a")
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 1}
    item = client.get("/api/v1/notifications").json()["items"][0]
    assert client.post(f"/api/v1/notifications/{item['id']}/read").json() == {"unread": 0}
    other = Notification.objects.get(recipient=zone.commander)
    assert client.post(f"/api/v1/notifications/{other.pk}/read").status_code == 404


def test_it_lets_the_commander_retry_a_failed_delivery(
    zone, robot, client_for, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    _calls, answers = robot
    answers.append(OSError("down"))
    DeliveryRule.objects.create(
        name="wecom", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    notify_fever(zone, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert client_for("admin_a").post(f"/notifications/deliveries/{delivery.pk}/retry/").status_code == 404
    assert "发送失败" in client_for("commander").get("/notifications/deliveries/").content.decode()
    client_for("commander").post(f"/notifications/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_the_page_refuses_to_send_a_sent_delivery_again(zone, robot, client_for):
    calls, _answers = robot
    rule = DeliveryRule.objects.create(
        name="wecom", audience="everyone", channel="wecom", webhook_url="https://robot.invalid/x"
    )
    delivery = Delivery.objects.create(rule=rule, channel="wecom", target=rule.webhook_url, title="t", status="sent")
    client = client_for("commander")
    page = client.get("/notifications/deliveries/").content.decode()
    assert f"/notifications/deliveries/{delivery.pk}/retry/" not in page
    answer = client.post(f"/notifications/deliveries/{delivery.pk}/retry/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already sent" in answer.content.decode()
    assert client_for("volunteer").post(f"/notifications/deliveries/{delivery.pk}/retry/").status_code == 404
    assert calls == []


def test_what_waits_for_the_reader_is_labelled_to_act_on(zone, client_for, django_capture_on_commit_callbacks):
    # A request to accept, an answer to confirm, a filing to review: not all of them approvals.
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[zone.admin_a], kind="approval", title="您的诉求已答复：物流通行证")
    page = client_for("admin_a").get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span class="pill">待办</span>' in page and "审批" not in page
