"""The demo's key tasks, scores and dispatch meeting."""

from django.utils import timezone

from zoneguard.demo.builder import load_demo_zone
from zoneguard.notices.models import NoticeReader
from zoneguard.registry.models import Department
from zoneguard.supervision import selectors
from zoneguard.supervision.models import Decision, ItemStatus, KeyTask, Meeting, TaskItem


def test_every_department_of_the_story_has_its_days_and_a_meeting(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    zone = load_demo_zone(password="demo-password-1")
    today = timezone.localdate()
    departments = set(KeyTask.objects.values_list("department__code", flat=True))
    assert departments == {"jingfa", "jianshe", "zhaoshang", "guihua", "zhengshou", "caizheng"}
    assert Department.objects.filter(head__isnull=False).count() == 6
    overdue = selectors.item_list(actor=zone.users["commander"], overdue=True)
    assert 5 <= overdue.count() <= 15
    assert TaskItem.objects.filter(status=ItemStatus.DONE).count() >= 15
    assert TaskItem.objects.filter(status=ItemStatus.DONE, done_on__gt=today).count() == 0
    officer = zone.users["officer"]
    assert selectors.my_items(actor=officer).filter(due_on=today).count() == 2
    meeting = Meeting.objects.get()
    assert meeting.minutes and meeting.minutes_notice_id is not None
    assert Decision.objects.filter(item__isnull=False).count() == 3
    assert NoticeReader.objects.filter(notice_id=meeting.minutes_notice_id).count() >= 6
    # Last month's ranking has every department, this month's shows the change.
    month = today.replace(day=1)
    rows = selectors.month_scores(actor=zone.users["commander"], month=month).rows
    assert len(rows) == 6 and all(row.lines for row in rows)
    counts = (KeyTask.objects.count(), TaskItem.objects.count(), Meeting.objects.count())
    load_demo_zone(password="demo-password-2")
    assert (KeyTask.objects.count(), TaskItem.objects.count(), Meeting.objects.count()) == counts
