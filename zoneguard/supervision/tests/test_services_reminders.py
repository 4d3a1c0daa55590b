"""Overdue items remind their person once, and a day later their department's head once."""

from unittest import mock

from django.core.management import call_command

from zoneguard.audit.models import AuditEvent
from zoneguard.notifications.models import Notification
from zoneguard.supervision import services
from zoneguard.supervision.models import TaskItem

from .conftest import local


def run(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return services.remind_overdue()


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_nothing_on_the_items_day_up_to_local_midnight(zone, plan):
    assert run(local(2020, 2, 20, 23, 59, 59)) == (0, 0)


def test_it_reminds_the_responsible_person_once_from_local_midnight(zone, plan):
    services.department_head_set(actor=zone.commander, department=zone.department_a, user=zone.officer_a2)
    assert run(local(2020, 2, 21, 0, 0, 1)) == (3, 0)  # the three items of both departments
    assert run(local(2020, 2, 21, 9, 0)) == (0, 0)  # idempotent
    titles = inbox(zone.officer_a)
    assert len(titles) == 1 and "对接金化科技二期开工" in titles[0]
    assert TaskItem.objects.get(pk=plan.item.pk).reminded_at is not None


def test_it_tells_the_head_a_day_later_once(zone, plan):
    services.department_head_set(actor=zone.commander, department=zone.department_a, user=zone.officer_a2)
    run(local(2020, 2, 21, 8, 0))
    assert run(local(2020, 2, 21, 23, 59)) == (0, 0)
    reminded, escalated = run(local(2020, 2, 22, 0, 1))
    assert (reminded, escalated) == (0, 2)  # department A's two items; department B has no head
    assert run(local(2020, 2, 23, 8, 0)) == (0, 0)
    head_titles = [t for t in inbox(zone.officer_a2) if "经发局" in t]
    assert len(head_titles) == 2
    assert AuditEvent.objects.filter(detail__action="escalate").count() == 2


def test_a_done_item_is_left_alone(zone, plan):
    with mock.patch("django.utils.timezone.now", return_value=local(2020, 2, 20, 18, 0)):
        services.item_report(actor=zone.officer_a, item=plan.item, status="done")
    services.department_head_set(actor=zone.commander, department=zone.department_a, user=zone.officer_a2)
    run(local(2020, 2, 25, 8, 0))
    item = TaskItem.objects.get(pk=plan.item.pk)
    assert item.reminded_at is None and item.escalated_at is None


def test_the_command_runs_the_same(zone, plan, capsys):
    with mock.patch("django.utils.timezone.now", return_value=local(2020, 2, 21, 8, 0)):
        call_command("remind_overdue_items")
        call_command("remind_overdue_items")
    out = capsys.readouterr().out
    assert "reminded 3" in out and "reminded 0" in out
