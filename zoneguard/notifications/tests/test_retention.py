"""Notifications are messages of their moment: once older than the keeping time of personal data
(core.retention) they go, with the copies sent by e-mail or group chat; a copy still being tried
stays."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from zoneguard.audit.models import AuditEvent
from zoneguard.core.retention import purge_personal_data
from zoneguard.notifications.models import Delivery, DeliveryStatus, Notification

KEPT = 40


def _notification(user, title, *, days_ago):
    notification = Notification.objects.create(recipient=user, kind="alert", title=title)
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return notification


def _delivery(status, *, days_ago):
    delivery = Delivery.objects.create(channel="email", target="a@example.org", title="t", status=status)
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return delivery


@override_settings(PERSONAL_DATA_DAYS=KEPT)
def test_old_notifications_and_their_sent_copies_go(zone):
    user = zone.commander
    old = _notification(user, "体温异常: 王*", days_ago=KEPT + 2)
    recent = _notification(user, "体温异常: 李*", days_ago=3)
    sent = _delivery(DeliveryStatus.SENT, days_ago=KEPT + 2)
    failed = _delivery(DeliveryStatus.FAILED, days_ago=KEPT + 2)
    still_tried = _delivery(DeliveryStatus.PENDING, days_ago=KEPT + 2)
    sent_lately = _delivery(DeliveryStatus.SENT, days_ago=3)

    assert purge_personal_data(dry_run=True)["notifications.notification"] == 1
    assert Notification.objects.filter(pk=old.pk).exists()
    counts = purge_personal_data()
    assert (counts["notifications.notification"], counts["notifications.delivery"]) == (1, 2)

    assert list(Notification.objects.filter(recipient=user)) == [recent]
    assert not Delivery.objects.filter(pk__in=[sent.pk, failed.pk]).exists()
    assert set(Delivery.objects.values_list("pk", flat=True)) == {still_tried.pk, sent_lately.pk}
    event = AuditEvent.objects.get(action="delete", object_type="notifications.notification")
    assert event.detail["records"] == 1 and "王" not in str(event.detail)
