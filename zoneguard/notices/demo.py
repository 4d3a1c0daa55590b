"""A notice of the demo zone: 经发局's guidance on resumption to every enterprise, read by some."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from zoneguard.registry.models import Organisation

from .models import Notice, NoticeRecipient, NoticeStatus

TITLE = "关于做好企业复工复产疫情防控工作的通知"
BODY = (
    "<p>各企业：</p><p>为统筹做好疫情防控和经济社会发展，现就复工复产有关事项通知如下：</p>"
    "<ol><li>复工前将<strong>防疫工作方案</strong>上报主管部门备案；</li>"
    "<li>实行<strong>防控日报表</strong>制度，每日上午10时前填报；</li>"
    "<li>门岗设置体温监测点，<strong>凡进必测</strong>，37.3 °C 及以上不得入内；</li>"
    "<li>紧急情况随时上报。</li></ol><p>高新区经发局</p>"
)
READ_BY = {"湖南金化科技集团有限公司": "jinhua", "湖南泓坤医疗器械有限公司": "hongkun"}


def load(zone: Any) -> None:
    author = zone.users.get("officer")
    published = zone.at(zone.today - timedelta(days=2), 9, 30)
    notice, created = Notice.objects.get_or_create(
        title=TITLE,
        defaults={
            "body": BODY,
            "status": NoticeStatus.PUBLISHED,
            "author": author,
            "department": zone.departments["jingfa"],
            "published_at": published,
            "audience_kinds": ["enterprise"],
        },
    )
    if not created:
        return
    enterprises = Organisation.objects.filter(kind="enterprise", pk__in=[o.pk for o in zone.organisations.values()])
    NoticeRecipient.objects.bulk_create(
        [
            NoticeRecipient(
                notice=notice,
                organisation=organisation,
                read_at=published + timedelta(hours=1) if organisation.name in READ_BY else None,
                read_by=zone.users.get(READ_BY.get(organisation.name, "")),
            )
            for organisation in enterprises
        ],
        batch_size=500,
    )
