"""The order of the notice list: the same on PostgreSQL and SQLite."""

from datetime import timedelta

from django.utils import timezone

from zoneguard.notices import selectors, services
from zoneguard.notices.models import Notice

from .test_services_notices import create


def test_drafts_come_first_for_their_author_then_the_newest_published(zone):
    older = create(zone, title="旧通知")
    services.notice_publish(actor=zone.commander, notice=older)
    newer = create(zone, title="新通知")
    services.notice_publish(actor=zone.commander, notice=newer)
    # Two notices published at the same moment keep one order: the later one first.
    same = create(zone, title="同时发布")
    services.notice_publish(actor=zone.commander, notice=same)
    moment = timezone.now() - timedelta(hours=1)
    Notice.objects.filter(pk=older.pk).update(published_at=moment - timedelta(days=1))
    Notice.objects.filter(pk__in=[newer.pk, same.pk]).update(published_at=moment)
    draft = create(zone, title="草稿")
    listed = [n.pk for n in selectors.notice_list(actor=zone.commander)]
    assert listed == [draft.pk, same.pk, newer.pk, older.pk]
    # An enterprise sees what was sent to it, never a draft.
    assert [n.pk for n in selectors.notice_list(actor=zone.admin_a)] == [same.pk, newer.pk, older.pk]
