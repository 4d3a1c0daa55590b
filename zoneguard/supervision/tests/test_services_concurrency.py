"""Writes at the same moment, in threads, on SQLite and on PostgreSQL (DATABASE_URL): a decision
becomes one item however many times it is clicked; an item is reported done once; a month is
closed once."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from zoneguard.accounts.models import User
from zoneguard.core.errors import Conflict
from zoneguard.supervision import services
from zoneguard.supervision.models import ClosedMonth, Decision, ProgressReport, TaskItem
from zoneguard.testing import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def outcome(results):
    return Counter(type(r).__name__ if not isinstance(r, Conflict) else r.code for r in results)


def test_a_decision_clicked_twice_at_once_becomes_one_item(zone, concurrent_db):
    meeting = services.meeting_create(
        actor=zone.commander,
        title="调度会",
        held_at=datetime(2020, 2, 21, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
        place="会议室",
    )
    decision = services.decision_add(
        actor=zone.commander,
        meeting=meeting,
        text="二期开工",
        department=zone.department_a,
        owner=zone.officer_a,
        due_on=date(2020, 2, 28),
    )

    def convert():
        return services.decision_to_item(
            actor=User.objects.get(pk=zone.commander.pk), decision=Decision.objects.get(pk=decision.pk)
        )

    results = at_once(convert, convert)
    assert outcome(results) == Counter({"TaskItem": 1, "decision_item_exists": 1}), results
    assert TaskItem.objects.filter(title="二期开工").count() == 1


def test_an_item_reported_done_twice_at_once_is_done_once(zone, concurrent_db):
    plan = concurrent_db

    def report():
        return services.item_report(
            actor=User.objects.get(pk=zone.officer_a.pk), item=TaskItem.objects.get(pk=plan.item.pk), status="done"
        )

    results = at_once(report, report)
    assert outcome(results) == Counter({"ProgressReport": 1, "item_done": 1}), results
    assert ProgressReport.objects.filter(item_id=plan.item.pk).count() == 1


def test_a_month_closed_twice_at_once_is_closed_once(zone, concurrent_db):
    def close():
        return services.month_close(actor=User.objects.get(pk=zone.commander.pk), month=date(2020, 2, 1))

    # One clock for both threads: patched once, around them.
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2020, 3, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    ):
        results = at_once(close, close)
    assert outcome(results) == Counter({"ClosedMonth": 1, "month_closed": 1}), results
    assert ClosedMonth.objects.count() == 1
