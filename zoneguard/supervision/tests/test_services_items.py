"""Reporting progress on items, who may, and the day boundary in Asia/Shanghai."""

from datetime import date
from unittest import mock

import pytest

from zoneguard.audit.models import AuditEvent
from zoneguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zoneguard.supervision import selectors, services
from zoneguard.supervision.models import Evidence, ItemStatus, TaskItem

from .conftest import evidence, local


def report(actor, item, status="done", **kwargs):
    return services.item_report(actor=actor, item=item, status=status, **kwargs)


def test_it_records_done_with_evidence_and_an_audit_row(zone, plan):
    with mock.patch("django.utils.timezone.now", return_value=local(2020, 2, 20, 10, 0)):
        progress = report(zone.officer_a, plan.item, note="已开工", files=[evidence()])
    item = TaskItem.objects.get(pk=plan.item.pk)
    assert (item.status, item.percent, item.done_on) == (ItemStatus.DONE, 100, date(2020, 2, 20))
    stored = Evidence.objects.get(report=progress)
    assert stored.name == "photo.jpg" and stored.file.read().startswith(b"\xff\xd8")
    assert AuditEvent.objects.filter(object_type="supervision.taskitem", object_id=str(item.pk)).count() == 2


def test_partly_done_needs_a_percentage_and_blocked_a_reason(zone, plan):
    with pytest.raises(InvalidInput):
        report(zone.officer_a, plan.item, "partly")
    with pytest.raises(InvalidInput):
        report(zone.officer_a, plan.item, "partly", percent=100)
    with pytest.raises(InvalidInput):
        report(zone.officer_a, plan.item, "blocked")
    report(zone.officer_a, plan.item, "partly", percent=40)
    report(zone.officer_a, plan.item, "blocked", reason="施工方人员未返岗")
    item = TaskItem.objects.get(pk=plan.item.pk)
    assert (item.status, item.percent) == (ItemStatus.BLOCKED, 40)
    assert [r.status for r in selectors.item_reports(item=item)] == ["blocked", "partly"]


def test_done_is_final(zone, plan):
    report(zone.officer_a, plan.item)
    with pytest.raises(Conflict):
        report(zone.officer_a, plan.item, "partly", percent=50)


def test_a_department_cannot_report_another_departments_items(zone, plan):
    with pytest.raises(NotFound):
        report(zone.officer_b, plan.item)
    with pytest.raises(NotFound):
        report(zone.officer_a, plan.item_b)
    with pytest.raises(NotFound):
        report(zone.admin_a, plan.item)
    assert TaskItem.objects.get(pk=plan.item.pk).status == ItemStatus.OPEN


def test_only_the_responsible_person_or_the_head_reports(zone, plan):
    with pytest.raises(Forbidden):
        report(zone.officer_a2, plan.item)
    with pytest.raises(Forbidden):
        report(zone.commander, plan.item)
    services.department_head_set(actor=zone.commander, department=zone.department_a, user=zone.officer_a2)
    report(zone.officer_a2, plan.item, "partly", percent=30)
    assert TaskItem.objects.get(pk=plan.item.pk).percent == 30


def test_evidence_must_be_a_document_or_a_photo(zone, plan):
    with pytest.raises(InvalidInput):
        report(zone.officer_a, plan.item, files=[evidence("run.exe")])
    assert TaskItem.objects.get(pk=plan.item.pk).status == ItemStatus.OPEN


def test_items_fall_in_the_tasks_quarter_and_go_to_its_officers(zone, plan):
    with pytest.raises(InvalidInput):
        services.item_create(
            actor=zone.officer_a,
            task=plan.task,
            due_on=date(2020, 4, 1),
            title="x",
            expected_result="y",
            responsible=zone.officer_a,
        )
    with pytest.raises(InvalidInput):
        services.item_create(
            actor=zone.officer_a,
            task=plan.task,
            due_on=date(2020, 3, 1),
            title="x",
            expected_result="y",
            responsible=zone.officer_b,
        )
    with pytest.raises(NotFound):
        services.item_create(
            actor=zone.officer_b,
            task=plan.task,
            due_on=date(2020, 3, 1),
            title="x",
            expected_result="y",
            responsible=zone.officer_b,
        )


def test_the_head_is_an_officer_of_the_department_set_by_the_commander(zone, plan):
    with pytest.raises(Forbidden):
        services.department_head_set(actor=zone.officer_a, department=zone.department_a, user=zone.officer_a)
    with pytest.raises(InvalidInput):
        services.department_head_set(actor=zone.commander, department=zone.department_a, user=zone.officer_b)
    services.department_head_set(actor=zone.commander, department=zone.department_a, user=zone.officer_a)
    services.department_head_set(actor=zone.commander, department=zone.department_a, user=zone.officer_a2)
    zone.department_a.refresh_from_db()
    assert zone.department_a.head == zone.officer_a2


@pytest.mark.parametrize(
    "moment, done_on, late",
    [
        (local(2020, 2, 20, 23, 59, 59), date(2020, 2, 20), False),  # 15:59:59 UTC: still its day
        (local(2020, 2, 21, 0, 0, 1), date(2020, 2, 21), True),  # 16:00:01 UTC on the 20th: the next day
    ],
)
def test_done_just_before_or_after_local_midnight(zone, plan, moment, done_on, late):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        report(zone.officer_a, plan.item)
        overdue = selectors.item_list(actor=zone.commander, overdue=True)
    item = TaskItem.objects.get(pk=plan.item.pk)
    assert item.done_on == done_on
    assert (item.done_on > item.due_on) is late
    assert item not in overdue


@pytest.mark.parametrize(
    "moment, overdue", [(local(2020, 2, 20, 23, 59, 59), False), (local(2020, 2, 21, 0, 0, 1), True)]
)
def test_an_open_item_is_overdue_from_local_midnight(zone, plan, moment, overdue):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert (plan.item in selectors.item_list(actor=zone.commander, overdue=True)) is overdue
        assert (plan.item in selectors.my_items(actor=zone.officer_a)) is True  # today's, or overdue
