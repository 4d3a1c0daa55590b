"""Dispatch meetings: agenda, decisions that become items once, minutes sent with read receipts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zoneguard.core.errors import Conflict, Forbidden, InvalidInput
from zoneguard.notices import selectors as notices
from zoneguard.notices.services import notice_mark_read
from zoneguard.notifications.models import Notification
from zoneguard.supervision import selectors, services
from zoneguard.supervision.models import KeyTask, Meeting, TaskItem, TaskKind
from zoneguard.tickets.services import ticket_file

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def meeting(zone, plan):
    return services.meeting_create(
        actor=zone.commander,
        title="一季度经济运行调度会",
        held_at=datetime(2020, 2, 21, 9, 0, tzinfo=SHANGHAI),
        video_link="https://meeting.example.cn/123",
        departments=[zone.department_a],
        people=[zone.officer_b],
    )


def test_only_the_commander_holds_a_meeting_in_a_place_or_by_video(zone, plan):
    with pytest.raises(Forbidden):
        services.meeting_create(
            actor=zone.officer_a, title="x", held_at=datetime(2020, 2, 21, tzinfo=SHANGHAI), place="会议室"
        )
    with pytest.raises(InvalidInput):
        services.meeting_create(actor=zone.commander, title="x", held_at=datetime(2020, 2, 21, tzinfo=SHANGHAI))


def test_a_meeting_is_planned_at_most_a_year_ahead(zone, plan):
    with pytest.raises(InvalidInput) as refused:
        services.meeting_create(
            actor=zone.commander, title="x", held_at=datetime(2099, 2, 21, 9, 0, tzinfo=SHANGHAI), place="会议室"
        )
    assert (refused.value.code, list(refused.value.errors)) == ("too_far_ahead", ["held_at"])
    assert not Meeting.objects.exists()


def test_the_agenda_links_a_task_or_a_ticket(zone, plan, meeting):
    ticket = ticket_file(
        actor=zone.admin_a, category="raw_materials", urgency="urgent", title="原材料难购入", description="缺少原料"
    )
    item = services.agenda_add(actor=zone.commander, meeting=meeting, title="重点项目开工", task=plan.task)
    about = services.agenda_add(actor=zone.commander, meeting=meeting, title="金化科技原材料", ticket=ticket)
    assert (item.task, about.ticket) == (plan.task, ticket)
    with pytest.raises(InvalidInput):
        services.agenda_add(actor=zone.commander, meeting=meeting, title="x", task=plan.task, ticket=ticket)
    with pytest.raises(Forbidden):
        services.agenda_add(actor=zone.officer_a, meeting=meeting, title="x", task=plan.task)


def test_a_decision_becomes_an_item_once(zone, plan, meeting):
    agenda = services.agenda_add(actor=zone.commander, meeting=meeting, title="重点项目开工", task=plan.task)
    decision = services.decision_add(
        actor=zone.commander,
        meeting=meeting,
        text="金化科技二期 2 月底前开工",
        department=zone.department_a,
        owner=zone.officer_a2,
        due_on=date(2020, 2, 28),
        agenda_item=agenda,
    )
    item = services.decision_to_item(actor=zone.commander, decision=decision)
    assert (item.task, item.responsible, item.due_on) == (plan.task, zone.officer_a2, date(2020, 2, 28))
    with pytest.raises(Conflict):
        services.decision_to_item(actor=zone.commander, decision=decision)
    assert TaskItem.objects.filter(title="金化科技二期 2 月底前开工").count() == 1


def test_a_decision_without_a_task_goes_to_the_departments_meeting_decisions(zone, plan, meeting):
    first = services.decision_add(
        actor=zone.commander,
        meeting=meeting,
        text="梳理在建项目用工缺口",
        department=zone.department_b,
        owner=zone.officer_b,
        due_on=date(2020, 3, 3),
    )
    second = services.decision_add(
        actor=zone.commander,
        meeting=meeting,
        text="协调施工方返岗",
        department=zone.department_b,
        owner=zone.officer_b,
        due_on=date(2020, 3, 10),
    )
    one = services.decision_to_item(actor=zone.commander, decision=first)
    two = services.decision_to_item(actor=zone.commander, decision=second)
    assert one.task == two.task and one.task.kind == TaskKind.MEETING
    assert KeyTask.objects.filter(kind=TaskKind.MEETING).count() == 1


def test_a_decisions_owner_is_an_officer_of_its_department(zone, plan, meeting):
    with pytest.raises(InvalidInput):
        services.decision_add(
            actor=zone.commander,
            meeting=meeting,
            text="x",
            department=zone.department_a,
            owner=zone.officer_b,
            due_on=date(2020, 3, 3),
        )


def test_the_minutes_go_to_the_attendees_with_read_receipts(zone, plan, meeting):
    with pytest.raises(InvalidInput):
        services.minutes_send(actor=zone.commander, meeting=meeting)
    services.meeting_minutes_save(
        actor=zone.commander, meeting=meeting, minutes="会议听取了各部门一季度计划。\n要求细化落实到每一天。"
    )
    services.decision_add(
        actor=zone.commander,
        meeting=meeting,
        text="加强调度督查",
        department=zone.department_a,
        owner=zone.officer_a,
        due_on=date(2020, 2, 28),
    )
    notice = services.minutes_send(actor=zone.commander, meeting=meeting)
    readers = {r.user for r in notices.reader_receipts(notice=notice)}
    assert readers == {zone.officer_a, zone.officer_a2, zone.officer_b}  # department A, and officer_b by name
    assert "加强调度督查" in notice.body and "<script" not in notice.body
    assert Notification.objects.filter(recipient=zone.officer_a, kind="notice").count() == 1
    from zoneguard.notices.selectors import notice_access

    assert notice_access(actor=zone.officer_a, pk=notice.pk) == notice
    notice_mark_read(actor=zone.officer_a, notice=notice)
    notice_mark_read(actor=zone.officer_a, notice=notice)
    read = {r.user: r.read_at for r in notices.reader_receipts(notice=notice)}
    assert read[zone.officer_a] is not None and read[zone.officer_b] is None
    with pytest.raises(Conflict):
        services.minutes_send(actor=zone.commander, meeting=meeting)
    with pytest.raises(Conflict):
        services.meeting_minutes_save(actor=zone.commander, meeting=meeting, minutes="改")


def test_a_meeting_is_moved_until_its_minutes_are_sent(zone, plan, meeting):
    moved = datetime(2020, 2, 22, 14, 0, tzinfo=SHANGHAI)
    details = {"title": "调度会（改期）", "held_at": moved, "place": "管委会三楼", "departments": [zone.department_b]}
    with pytest.raises(Forbidden):
        services.meeting_update(actor=zone.officer_a, meeting=meeting, **details)
    with pytest.raises(InvalidInput):  # neither a place nor a link: nothing changes
        services.meeting_update(actor=zone.commander, meeting=meeting, **{**details, "place": " "})
    meeting.refresh_from_db()
    assert meeting.held_at == datetime(2020, 2, 21, 9, 0, tzinfo=SHANGHAI)
    services.meeting_update(actor=zone.commander, meeting=meeting, **details)
    meeting.refresh_from_db()
    assert (meeting.title, meeting.held_at, meeting.place, meeting.video_link) == (
        "调度会（改期）",
        moved,
        "管委会三楼",
        "",
    )
    assert list(meeting.departments.all()) == [zone.department_b] and not meeting.people.exists()
    assert list(selectors.meeting_list(actor=zone.officer_a)) == []  # department A no longer attends
    services.meeting_minutes_save(actor=zone.commander, meeting=meeting, minutes="纪要")
    services.minutes_send(actor=zone.commander, meeting=meeting)
    with pytest.raises(Conflict):
        services.meeting_update(actor=zone.commander, meeting=meeting, **details)


def test_no_decision_is_added_once_the_minutes_are_sent(zone, plan, meeting):
    """The minutes carry the decisions to the attendees: one added after would reach none of them."""
    services.meeting_minutes_save(actor=zone.commander, meeting=meeting, minutes="纪要")
    services.minutes_send(actor=zone.commander, meeting=meeting)
    with pytest.raises(Conflict) as refused:
        services.decision_add(
            actor=zone.commander,
            meeting=Meeting.objects.get(pk=meeting.pk),
            text="会后补充",
            department=zone.department_a,
            owner=zone.officer_a,
            due_on=date(2020, 2, 28),
        )
    assert refused.value.code == "minutes_sent"
    assert not meeting.decisions.exists()


def test_a_decision_on_a_meeting_loaded_before_its_minutes_went_out_is_refused(zone, plan, meeting):
    stale = Meeting.objects.get(pk=meeting.pk)
    services.meeting_minutes_save(actor=zone.commander, meeting=meeting, minutes="纪要")
    services.minutes_send(actor=zone.commander, meeting=meeting)
    with pytest.raises(Conflict):
        services.decision_add(
            actor=zone.commander,
            meeting=stale,
            text="会后补充",
            department=zone.department_a,
            owner=zone.officer_a,
            due_on=date(2020, 2, 28),
        )
    assert not meeting.decisions.exists()


def test_officers_see_the_meetings_they_attend(zone, plan, meeting):
    assert list(selectors.meeting_list(actor=zone.officer_a)) == [meeting]
    assert list(selectors.meeting_list(actor=zone.officer_b)) == [meeting]
    assert list(selectors.meeting_list(actor=zone.commander)) == [meeting]
    assert list(selectors.meeting_list(actor=zone.admin_a)) == []


def test_the_agenda_links_an_investment_project(zone, plan, meeting, api_for):
    from zoneguard.dispatch import services as dispatch
    from zoneguard.dispatch.tests.conftest import project_data

    project = dispatch.project_create(actor=zone.commander, data=project_data(zone), building_sites=[zone.project])
    item = services.agenda_add(actor=zone.commander, meeting=meeting, title="标准厂房三期开工", project=project)
    assert item.project == project
    with pytest.raises(InvalidInput):
        services.agenda_add(actor=zone.commander, meeting=meeting, title="x", project=project, task=plan.task)
    response = api_for("commander").post(
        f"/api/v1/dispatch/meetings/{meeting.pk}/agenda",
        {"title": "厂房项目调度", "project_id": project.pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["project_id"] == project.pk


def test_the_agenda_is_closed_once_the_minutes_are_sent(zone, plan, meeting, client_for):
    stale = Meeting.objects.get(pk=meeting.pk)
    services.meeting_minutes_save(actor=zone.commander, meeting=meeting, minutes="纪要")
    services.minutes_send(actor=zone.commander, meeting=meeting)
    with pytest.raises(Conflict) as refused:
        services.agenda_add(actor=zone.commander, meeting=stale, title="会后补议")
    assert refused.value.code == "minutes_sent"
    client = client_for("commander")
    page = client.get(f"/supervision/meetings/{meeting.pk}/").content.decode()
    assert f"/supervision/meetings/{meeting.pk}/agenda/" not in page
    answer = client.post(f"/supervision/meetings/{meeting.pk}/agenda/", {"title": "会后补议"}, follow=True)
    assert "议程已关闭" in answer.content.decode()
    assert not meeting.agenda.filter(title="会后补议").exists()
